// Value mapping (issue 14): an export that writes its crisis contacts as "Crisis line call"
// counts none of them until the mapping step says what the words mean; then the crisis figures
// are those of the same data written with Waymark's own names (the CLI's report of the demo).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APP_READY, cliPath, openApp } from './helpers.mjs';

test('unfamiliar event labels are mapped in the mapping step and the crisis figures follow', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-values-'));
  execFileSync(cliPath(), ['demo', dir]);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => path.join(dir, f));
  const report = JSON.parse(execFileSync(cliPath(), ['report', ...files, '--as-of', '2026-06-30', '--format', 'json'], { maxBuffer: 1 << 28 }).toString());
  const crisis = report.direction_of_travel.service.indicators.find((i) => i.key === 'crisis_rate');
  const latest = crisis.months.filter((m) => m.value !== null).at(-1).value;
  // The same events, with the provider's own words for a crisis contact.
  const events = path.join(dir, 'events.csv');
  const renamed = fs.readFileSync(events, 'utf8').replaceAll(',crisis_contact,', ',Crisis line call,');
  assert.ok(renamed.includes(',Crisis line call,'));
  fs.writeFileSync(events, renamed);

  const app = await openApp({ ready: APP_READY, contextOptions: { viewport: { width: 1366, height: 900 } } });
  try {
    await app.page.setInputFiles('#file-input', files);
    await app.page.waitForSelector('main[data-ready="true"] [data-testid="overview"]');
    assert.match(await app.page.locator('[data-testid="kpi-crisis"] dd').innerText(), /^0\.0 per 100 person-months/);
    // Validation says what is not counted, with its rows.
    assert.match(await app.page.locator('[data-testid="overview-problems"]').textContent(), /"Crisis line call": \d+ of \d+ rows \([\d.]+%\): not counted/);

    await app.page.evaluate(() => { window.location.hash = '#data'; });
    const row = app.page.locator('[data-testid="value-mapping"] tr[data-value="Crisis line call"]');
    await row.waitFor();
    assert.equal(await row.locator('td.number').innerText(), String(renamed.split(',Crisis line call,').length - 1));
    assert.equal(await row.locator('select').inputValue(), 'not_counted');
    await row.locator('select').selectOption('crisis_contact');
    await app.page.click('#apply-mapping');
    await app.page.waitForFunction(() => document.querySelector('[data-testid="value-mapping"] tr[data-value="Crisis line call"] select')?.value === 'crisis_contact'
      && document.querySelector('main[data-ready="true"]'));
    await row.screenshot({ path: path.join(dir, 'row.png') });

    await app.page.evaluate(() => { window.location.hash = '#overview'; });
    await app.page.waitForSelector('main[data-ready="true"] [data-testid="overview"]');
    assert.match(await app.page.locator('[data-testid="kpi-crisis"] dd').innerText(), new RegExp(`^${latest.toFixed(1)} per 100 person-months`));
    assert.doesNotMatch(await app.page.locator('main').textContent(), /"Crisis line call"[^.]*not counted/);
    await app.screenshot('value-mapping', { fullPage: false });
    assert.deepEqual(app.externalRequests(), []);
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
