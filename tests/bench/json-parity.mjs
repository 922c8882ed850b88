// The JavaScript API's report (WebAssembly, as the app computes it) against the CLI's, on the
// same large files: every count, label and text compared exactly, and every other number to
// one part in 10^12 (the mathematical library behind exp and ln differs in the last binary
// digit between a native build and WebAssembly; the largest such difference is printed). For
// the speed-and-scale figures: the CLI that analyses a national extract must say what the app
// says.
//
//   waymark report --format json --as-of DATE -o CLI_JSON DATA_DIR/people.csv DATA_DIR/events.csv
//   node tests/bench/json-parity.mjs PKG_DIR DATA_DIR CLI_JSON DATE [FILE...]
//     (PKG_DIR: wasm-pack build crates/waymark-wasm --release --target nodejs; FILE: the
//     files of DATA_DIR the CLI read, people.csv and events.csv when none are named)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [pkgDir, dataDir, cliJson, asOf, ...named] = process.argv.slice(2);
if (!pkgDir || !dataDir || !cliJson || !asOf) {
  console.error('usage: node tests/bench/json-parity.mjs PKG_DIR DATA_DIR CLI_JSON DATE');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const waymark = require(path.resolve(pkgDir, 'waymark_wasm.js'));
const names = named.length > 0 ? named : ['people.csv', 'events.csv'];
const contents = names.map((n) => new Uint8Array(fs.readFileSync(path.join(dataDir, n))));
const started = process.hrtime.bigint();
const app = JSON.parse(JSON.stringify(waymark.report(names, contents, null, asOf)));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cli = JSON.parse(fs.readFileSync(cliJson, 'utf8'));

const differences = [];
let largest = { relative: 0, at: null };
function compare(a, b, at) {
  if (typeof a === 'number' && typeof b === 'number' && !(Number.isInteger(a) && Number.isInteger(b)) && a !== b) {
    const relative = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    if (relative > largest.relative) largest = { relative, at: `${at}: ${a} (app) vs ${b} (CLI)` };
    if (relative <= 1e-12) return;
  }
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    differences.push(`${at}: ${JSON.stringify(a)} (app) vs ${JSON.stringify(b)} (CLI)`);
  } else if (a !== null && typeof a === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) compare(a[k], b[k], `${at}.${k}`);
  } else if (a !== b) {
    differences.push(`${at}: ${JSON.stringify(a)} (app) vs ${JSON.stringify(b)} (CLI)`);
  }
}
compare(app, cli, '$');
const bytes = contents.reduce((s, c) => s + c.length, 0);
console.log(`report of ${(bytes / 1e6).toFixed(1)} MB in WebAssembly (Node) in ${seconds.toFixed(2)} s`);
console.log(differences.length === 0 ? 'the same as the CLI report' : `${differences.length} differences:\n${differences.slice(0, 40).join('\n')}`);
console.log(largest.at ? `largest difference in a non-integer: ${largest.relative.toExponential(1)} relative, at ${largest.at}` : 'every number identical');
process.exit(differences.length === 0 ? 0 : 1);
