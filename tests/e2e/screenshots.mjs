// Screenshots of the app for a reviewer's eyes (not a test): the demo data at 1366x768 and at
// 400px wide, each view, presentation mode, and the downloaded report. Run after
// scripts/build-web:  node tests/e2e/screenshots.mjs [out-dir]
import fs from 'node:fs';
import path from 'node:path';
import { APP_READY, closeAll, openApp } from './helpers.mjs';

const out = process.argv[2] || path.join(path.dirname(new URL(import.meta.url).pathname), 'artifacts', 'screens');
fs.mkdirSync(out, { recursive: true });
const VIEWS = ['overview', 'direction', 'stability', 'goals', 'governance', 'narrative', 'value', 'pathways', 'person', 'data', 'privacy', 'methods'];

for (const [name, viewport] of [['wide', { width: 1366, height: 768 }], ['narrow', { width: 400, height: 800 }]]) {
  const app = await openApp({ ready: APP_READY, contextOptions: { viewport, acceptDownloads: true } });
  await app.page.click('#demo-button');
  await app.page.waitForSelector('main[data-ready="true"] [data-testid="overview"]');
  for (const view of VIEWS) {
    // By the URL hash: the methods page is reached from the footer and figures, not the bar.
    await app.page.evaluate((v) => { window.location.hash = `#${v}`; }, view);
    await app.page.waitForSelector(`main[data-view="${view}"]`);
    await app.page.screenshot({ path: path.join(out, `${name}-${view}-fold.png`) });
    await app.page.screenshot({ path: path.join(out, `${name}-${view}-full.png`), fullPage: true });
  }
  await app.page.click('nav a[href^="#value"]');
  await app.page.fill('#attribution', '150');
  await app.page.locator('#attribution').scrollIntoViewIfNeeded();
  await app.page.screenshot({ path: path.join(out, `${name}-value-refused.png`) });
  await app.page.click('nav a[href^="#overview"]');
  await app.page.check('#presentation-mode');
  await app.page.screenshot({ path: path.join(out, `${name}-overview-presentation.png`), fullPage: true });
  if (name === 'wide') {
    const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.click('#download-report')]);
    const file = path.join(out, 'report.html');
    fs.copyFileSync(await download.path(), file);
    const report = await app.browser.newPage({ viewport });
    await report.goto(`file://${file}`);
    await report.screenshot({ path: path.join(out, 'report-fold.png') });
    await report.screenshot({ path: path.join(out, 'report-full.png'), fullPage: true });
    // The printed page: A4 portrait width, print media.
    await report.setViewportSize({ width: 794, height: 1123 });
    await report.emulateMedia({ media: 'print' });
    await report.screenshot({ path: path.join(out, 'report-print-full.png'), fullPage: true });
    await report.close();
    await app.page.evaluate(() => { window.location.hash = '#governance'; });
    await app.page.waitForSelector('[data-testid="download-governance"]');
    const [pack] = await Promise.all([app.page.waitForEvent('download'), app.page.click('[data-testid="download-governance"]')]);
    const packFile = path.join(out, 'governance.html');
    fs.copyFileSync(await pack.path(), packFile);
    const printed = await app.browser.newPage({ viewport: { width: 794, height: 1123 } });
    await printed.goto(`file://${packFile}`);
    await printed.emulateMedia({ media: 'print' });
    await printed.screenshot({ path: path.join(out, 'governance-print-full.png'), fullPage: true });
    await printed.close();
  }
  await app.close();
}
await closeAll();
console.log(`screenshots in ${out}`);
