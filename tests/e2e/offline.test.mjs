// The offline single-file build (web/dist/waymark-offline.html, made by scripts/build-web):
// opened from disk with the network switched off, it loads the demo data and draws the
// overview, with no request beyond the file itself and no console error (its strict CSP holds).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { distDir, launchBrowser, recordRequests } from './helpers.mjs';

test('the single-file build works opened from disk with the network off', async () => {
  const file = path.join(distDir, 'waymark-offline.html');
  assert.ok(fs.existsSync(file), 'scripts/build-web writes waymark-offline.html');
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ offline: true, serviceWorkers: 'block' });
    const page = await context.newPage();
    const log = recordRequests(page);
    const url = pathToFileURL(file).href;
    await page.goto(url);
    // A page opened from disk cannot start a worker from a file: the engine runs in the page.
    await page.waitForSelector('main[data-engine="inline"]', { timeout: 30_000 });
    await page.click('#demo-button');
    await page.waitForSelector('main[data-ready="true"] [data-testid="overview"]', { timeout: 60_000 });
    assert.match(await page.locator('[data-testid="kpi-people"] dd').innerText(), /^\d+$/);
    await page.click('nav a[href^="#privacy"]');
    assert.match(await page.locator('[data-testid="live-policy"]').innerText(), /connect-src 'none'/);
    // The NHS.UK styles and the methods are inside the file too.
    assert.equal(await page.locator('header.nhsuk-header').evaluate((h) => getComputedStyle(h).backgroundColor), 'rgb(0, 94, 184)');
    await page.click('footer a[href^="#methods"]');
    await page.waitForSelector('main[data-view="methods"] #method-small-number-suppression');
    const others = log.requests.filter((r) => r.url !== url && !/^(data|blob|about):/.test(r.url));
    assert.deepEqual(others, [], 'no request beyond the file itself');
    const errors = log.console.filter((m) => m.type === 'error').map((m) => m.text).concat(log.pageErrors);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
