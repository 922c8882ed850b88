// Web app benchmark in headless Chromium: time from choosing the generated 1M-event dataset
// in the file picker to the overview being drawn, the longest main-thread stall meanwhile
// (how long the page could not respond), and the memory of the page and of the engine's
// worker (WebAssembly high-water marks) plus the page's JavaScript heap.
//
// The timings and memory come from the benchmark build of the app (the `bench` feature of
// waymark-web, web/src/bench.rs), which writes them on <main>; the product build carries none:
//
//   WAYMARK_WEB_FEATURES=bench scripts/build-web
//   node tests/bench/app-load.mjs DATA_DIR [runs] [FILES]   (DATA_DIR
//                                       from waymark-bench --write-dir; FILES: which of its
//                                       files to choose, comma-separated, all six by default,
//                                       e.g. people.csv,events.csv)
import fs from 'node:fs';
import path from 'node:path';
import { APP_READY, openApp } from '../e2e/helpers.mjs';

const [dataDir, runsArg, filesArg] = process.argv.slice(2);
if (!dataDir) {
  console.error('usage: node tests/bench/app-load.mjs DATA_DIR [runs]');
  process.exit(2);
}
const runs = Number(runsArg ?? 3);
const names = filesArg ? filesArg.split(',') : ['people.csv', 'outcomes.csv', 'events.csv', 'goals.csv', 'status.csv', 'feedback.csv'];
const files = names.map((f) => path.join(dataDir, f));
const bytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);

// The figures the benchmark build writes on <main> (web/src/bench.rs).
async function engineFigures(page) {
  const seconds = await page.getAttribute('main#main', 'data-engine-seconds');
  if (seconds === null) {
    console.error('web/dist is not the benchmark build: run WAYMARK_WEB_FEATURES=bench scripts/build-web first');
    process.exit(2);
  }
  const [read, parse, analyse, decode] = seconds.split(' ').map(Number);
  const wasm = Number(await page.getAttribute('main#main', 'data-wasm-bytes'));
  const engine = Number(await page.getAttribute('main#main', 'data-engine-bytes'));
  return { read, parse, analyse, decode, wasm, engine };
}

const results = [];
for (let i = 0; i < runs; i++) {
  const shellStart = Date.now();
  const app = await openApp({ ready: 'main#main' });
  const shell = await app.page.evaluate(() => performance.now());
  await app.page.waitForSelector(APP_READY);
  const engineReady = await app.page.evaluate(() => performance.now());
  // The worker warms up after it says it is ready, and gives way to any request that comes
  // first. A user takes longer than this to choose files; the warm-up (about 0.3 s) is over.
  await app.page.waitForTimeout(1500);
  // Longest gap between animation frames while loading: the page's worst unresponsive stretch.
  await app.page.evaluate(() => {
    window.__gaps = [];
    let last = performance.now();
    const tick = (t) => { window.__gaps.push(t - last); last = t; window.__raf = requestAnimationFrame(tick); };
    window.__raf = requestAnimationFrame(tick);
  });
  // Page-side clock: from the file input's change event to the first animation frame after
  // the overview's figures are in the page (that frame paints them), and to everything in.
  // A repeat load must first leave the previous analysis's overview.
  const armClock = () =>
    app.page.evaluate(() => {
      window.__t = {};
      const overviewShown = () => document.querySelector('main[data-overview-ready="true"]');
      document.querySelector('#file-input').addEventListener(
        'change',
        () => {
          window.__t.chosen = performance.now();
          window.__t.left = !overviewShown();
        },
        { capture: true, once: true },
      );
      const observer = new MutationObserver(() => {
        if (window.__t.chosen && !window.__t.left && !overviewShown()) window.__t.left = true;
        if (window.__t.left && !window.__t.overview && document.querySelector('main[data-overview-ready="true"] [data-testid="overview"] [data-testid="kpi-cost-avoided"]')) {
          window.__t.overview = performance.now();
          requestAnimationFrame(() => { window.__t.painted = performance.now(); });
        }
        if (window.__t.overview && !window.__t.complete && document.querySelector('main[data-ready="true"]')) {
          window.__t.complete = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    });
  await armClock();
  const start = Date.now();
  await app.page.setInputFiles('#file-input', files);
  // The overview is drawn from the analysis; the person-level lists (for other views) follow.
  await app.page.waitForSelector('main[data-overview-ready="true"] [data-testid="overview"] [data-testid="kpi-cost-avoided"]', { timeout: 120_000 });
  let elapsed = (Date.now() - start) / 1000;
  await app.page.waitForSelector('main[data-ready="true"]', { timeout: 120_000 });
  const polled = elapsed;
  const t = await app.page.evaluate(() => window.__t);
  elapsed = (t.painted - t.chosen) / 1000;
  const complete = (t.complete - t.chosen) / 1000;
  const stall = await app.page.evaluate(() => { cancelAnimationFrame(window.__raf); return Math.max(...window.__gaps); });
  const heap = await app.page.evaluate(() => performance.memory ? performance.memory.usedJSHeapSize : 0);
  // The worker's seconds reading and analysing, and the page's seconds decoding the result.
  const { read, parse, analyse, decode, wasm, engine } = await engineFigures(app.page);
  console.log(`run ${i + 1}: ${elapsed.toFixed(2)} s (${polled.toFixed(2)} s as Playwright saw it) = worker read ${read.toFixed(2)} s (of which parsing ${parse.toFixed(2)} s) + analyse ${analyse.toFixed(2)} s + page decode ${decode.toFixed(2)} s + the rest (messages, drawing); person-level detail in at ${complete.toFixed(2)} s`);
  // The same files again in the same tab (a second look, or the next month's export).
  await app.page.waitForTimeout(1000);
  await armClock();
  await app.page.setInputFiles('#file-input', files);
  await app.page.waitForFunction(() => window.__t.painted && window.__t.complete, null, { timeout: 300_000, polling: 100 });
  const again = await app.page.evaluate(() => (window.__t.painted - window.__t.chosen) / 1000);
  const { read: read2, parse: parse2, analyse: analyse2, decode: decode2, engine: engine2 } = await engineFigures(app.page);
  console.log(`run ${i + 1}, same tab again: ${again.toFixed(2)} s = worker read ${read2.toFixed(2)} s (of which parsing ${parse2.toFixed(2)} s) + analyse ${analyse2.toFixed(2)} s + page decode ${decode2.toFixed(2)} s; engine worker memory then ${(engine2 / 1e6).toFixed(0)} MB`);
  results.push({ again, elapsed, complete, stall, shell: shell / 1000, engineReady: engineReady / 1000, jsHeap: heap, wasm, engine, setup: (start - shellStart) / 1000 });
  await app.close();
}
results.sort((a, b) => a.elapsed - b.elapsed);
const median = results[Math.floor(results.length / 2)];
console.log(
  `${(bytes / 1e6).toFixed(1)} MB in ${files.length} files: overview drawn ${median.elapsed.toFixed(2)} s after choosing them (median of ${runs}; all runs ${results.map((r) => r.elapsed.toFixed(2)).join(', ')} s), every view's detail in at ${median.complete.toFixed(2)} s; the same files again in the same tab ${[...results].sort((a, b) => a.again - b.again)[Math.floor(results.length / 2)].again.toFixed(2)} s (median); ` +
    `longest frame gap ${(median.stall / 1000).toFixed(2)} s; app shell interactive ${median.shell.toFixed(2)} s after navigation, engine worker ready at ${median.engineReady.toFixed(2)} s; ` +
    `WebAssembly memory: page ${(median.wasm / 1e6).toFixed(0)} MB, engine worker ${(median.engine / 1e6).toFixed(0)} MB (${((median.wasm + median.engine) / bytes).toFixed(2)}x the files; high-water marks) + page JS heap ${(median.jsHeap / 1e6).toFixed(0)} MB`,
);
process.exit(0);
