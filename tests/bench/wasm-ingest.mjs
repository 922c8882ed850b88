// WebAssembly ingestion benchmark (Node): throughput and peak memory of `validate` on the
// generated 1M-row events file, using waymark-wasm built by wasm-pack for Node.
//
//   node tests/bench/wasm-ingest.mjs PKG_DIR DATA_DIR [runs]
//
// PKG_DIR: the JavaScript API built with its `bench` feature, which adds `memoryBytes` and
// `timeEngines` (the published package has neither; see docs/performance.md):
//   wasm-pack build crates/waymark-wasm --release --target nodejs ... -- --features bench
//
// Throughput: file bytes / median wall time of `runs` calls (the copy into WebAssembly memory
// included). Peak memory: growth of the module's memory during the first call (memory never
// shrinks, so this is the high-water mark), including the copy of the input.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [pkgDir, dataDir, runsArg] = process.argv.slice(2);
if (!pkgDir || !dataDir) {
  console.error('usage: node tests/bench/wasm-ingest.mjs PKG_DIR DATA_DIR [runs]');
  process.exit(2);
}
const runs = Number(runsArg ?? 5);
const require = createRequire(import.meta.url);
const waymark = require(path.resolve(pkgDir, 'waymark_wasm.js'));
if (typeof waymark.timeEngines !== 'function' || typeof waymark.memoryBytes !== 'function') {
  console.error(`${pkgDir} was built without the bench feature: add \`-- --features bench\` to wasm-pack build`);
  process.exit(2);
}

function measure(label, names) {
  const contents = names.map((name) => new Uint8Array(fs.readFileSync(path.join(dataDir, name))));
  const bytes = contents.reduce((sum, c) => sum + c.length, 0);
  const before = waymark.memoryBytes();
  const times = [];
  let report;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    report = waymark.validate(names, contents, null);
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (i === 0) var peak = waymark.memoryBytes() - before;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const events = report.tables.find((t) => t.table === 'events').rows;
  console.log(
    `${label}: ${events} event rows, ${(bytes / 1e6).toFixed(1)} MB in ${median.toFixed(3)} s (median of ${runs}) = ` +
      `${(bytes / 1e6 / median).toFixed(0)} MB/s; WebAssembly memory grew ${(peak / 1e6).toFixed(1)} MB = ` +
      `${(peak / bytes).toFixed(2)}x the file (the input stays in JavaScript and is copied in 1 MiB slices); ${report.n_errors} errors`,
  );
}

measure('events.csv alone', ['events.csv']);

// The engines after ingestion, timed inside WebAssembly (Date.now, millisecond resolution).
{
  const names = ['people.csv', 'outcomes.csv', 'events.csv', 'goals.csv', 'status.csv', 'feedback.csv'];
  const contents = names.map((name) => new Uint8Array(fs.readFileSync(path.join(dataDir, name))));
  const all = [];
  for (let i = 0; i < runs; i++) all.push(waymark.timeEngines(names, contents, '2026-06-30'));
  const median = (key) => all.map((t) => t[key]).sort((a, b) => a - b)[Math.floor(all.length / 2)];
  console.log(
    `engines on ${all[0].event_rows} event rows (median of ${runs}): ingest ${(median('ingest_ms') / 1000).toFixed(3)} s; ` +
      `direction of travel incl. pathways ${(median('direction_ms') / 1000).toFixed(3)} s; ` +
      `cost avoidance with 1000 bootstrap resamples ${(median('value_ms') / 1000).toFixed(3)} s; report ${(median('report_ms') / 1000).toFixed(3)} s`,
  );
}
