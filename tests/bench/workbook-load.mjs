// Workbook benchmark in headless Chromium: time from choosing one .xlsx workbook in the file
// picker to the overview being drawn (page-side clock), per run, and the median.
//
//   python3 tests/fixtures/workbook/make_workbook.py CSV_DIR BOOK.xlsx   (CSV_DIR from
//       `waymark demo --people 1500 CSV_DIR`: about 130,000 rows over six sheets)
//   node tests/bench/workbook-load.mjs BOOK.xlsx [runs]                  (after scripts/build-web)
import fs from 'node:fs';
import { APP_READY, openApp } from '../e2e/helpers.mjs';

const [book, runsArg] = process.argv.slice(2);
if (!book) {
  console.error('usage: node tests/bench/workbook-load.mjs BOOK.xlsx [runs]');
  process.exit(2);
}
const runs = Number(runsArg ?? 3);
const seconds = [];
for (let i = 0; i < runs; i++) {
  const app = await openApp({ ready: APP_READY, timeout: 120_000 });
  await app.page.evaluate(() => {
    window.__t = {};
    document.querySelector('#file-input').addEventListener('change', () => { window.__t.chosen = performance.now(); }, { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (!window.__t.overview && document.querySelector('main[data-overview-ready="true"] [data-testid="overview"]')) {
        requestAnimationFrame(() => { window.__t.overview = performance.now(); });
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await app.page.setInputFiles('#file-input', book);
  await app.page.waitForFunction(() => window.__t.overview, null, { timeout: 120_000 });
  const t = await app.page.evaluate(() => window.__t);
  seconds.push((t.overview - t.chosen) / 1000);
  const people = await app.page.locator('[data-testid="kpi-people-in-data"] dd').innerText();
  console.log(`run ${i + 1}: ${seconds.at(-1).toFixed(2)} s to the overview (${people} people)`);
  await app.close();
}
const sorted = [...seconds].sort((a, b) => a - b);
console.log(`${book} (${(fs.statSync(book).size / 1e6).toFixed(1)} MB): median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s over ${runs} runs`);
