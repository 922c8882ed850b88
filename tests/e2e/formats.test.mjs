// Format profiles and status value mapping (issue 14): an MHSDS v6 extract is recognised and
// offered its profile, which reads it into Waymark's tables; a status indicator and its values
// written in the provider's own words are given their meaning in the mapping step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APP_READY, cliPath, openApp, repoRoot } from './helpers.mjs';

const MHSDS = path.join(repoRoot, 'tests', 'fixtures', 'mhsds');

test('an MHSDS v6 extract is offered its profile, and read with it as the CLI reads it', async () => {
  const files = fs.readdirSync(MHSDS).filter((f) => f.endsWith('.csv')).map((f) => path.join(MHSDS, f));
  const cli = execFileSync(cliPath(), ['validate', '--profile', 'mhsds_v6', ...files]).toString();
  const [, cliAccepted] = cli.match(/MHS201CareContact\.csv: events table, .*; \d+ rows read, (\d+) accepted/);

  const app = await openApp({ ready: APP_READY, contextOptions: { viewport: { width: 1366, height: 900 } } });
  try {
    await app.page.setInputFiles('#file-input', files);
    await app.page.evaluate(() => { window.location.hash = '#data'; });
    const offer = app.page.locator('[data-testid="format-offer"][data-format="mhsds_v6"]');
    await offer.waitFor();
    assert.equal(await offer.getAttribute('data-in-force'), 'false');
    assert.match(await offer.textContent(), /MHS201CareContact\.csv: MHS201 Care Contact/);
    await app.screenshot('mhsds-offer', { fullPage: false });

    await offer.locator('[data-testid="use-format"]').click();
    await app.page.waitForSelector('main[data-ready="true"] [data-testid="format-offer"][data-format="mhsds_v6"][data-in-force="true"]');
    const contacts = app.page.locator('[data-testid="file-summaries"] tbody tr[data-file="MHS201CareContact.csv"]');
    await contacts.waitFor();
    const cells = await contacts.locator('td').allInnerTexts();
    assert.ok(cells.includes('events'), cells.join(' | '));
    assert.ok(cells.includes(cliAccepted), cells.join(' | '));
    // The profile's meaning for a crisis-team contact, shown and changeable like any value.
    const crisis = app.page.locator('[data-testid="value-mapping"] tr[data-value="Crisis team contact, attended (5/6)"]');
    assert.equal(await crisis.locator('select').inputValue(), 'crisis_contact');
    assert.equal(await crisis.locator('td.number').innerText(), '2');
    await app.screenshot('mhsds-read', { fullPage: false });

    await app.page.evaluate(() => { window.location.hash = '#overview'; });
    await app.page.waitForSelector('main[data-ready="true"] [data-testid="overview"]');
    assert.equal(await app.page.locator('[data-testid="kpi-people"] dd').innerText(), '3');
    assert.deepEqual(app.externalRequests(), []);
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('a status indicator and its values are given their meaning in the mapping step', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-status-'));
  fs.writeFileSync(path.join(dir, 'people.csv'), 'person_id,pathway,start_date\nP1,Step-down,2024-01-10\nP2,Step-down,2024-01-20\n');
  fs.writeFileSync(path.join(dir, 'status.csv'), 'person_id,date,indicator,value\n'
    + 'P1,2024-02-01,Accommodation,Rough sleeping\nP1,2024-04-01,Accommodation,Supported accommodation\n'
    + 'P2,2024-02-10,Accommodation,Supported accommodation\n');
  fs.writeFileSync(path.join(dir, 'events.csv'), 'person_id,date,event_type\nP1,2024-03-01,crisis_contact\n');
  const app = await openApp({ ready: APP_READY, contextOptions: { viewport: { width: 1366, height: 900 } } });
  try {
    await app.page.setInputFiles('#file-input', ['people.csv', 'status.csv', 'events.csv'].map((f) => path.join(dir, f)));
    await app.page.waitForSelector('main[data-ready="true"] [data-testid="overview"]');
    await app.page.evaluate(() => { window.location.hash = '#data'; });
    const indicator = app.page.locator('[data-testid="value-mapping"][data-field="indicator"] tr[data-value="Accommodation"]');
    await indicator.waitFor();
    assert.equal(await indicator.locator('td.number').innerText(), '3');
    await indicator.locator('select').selectOption('housing');
    await app.page.click('#apply-mapping');
    // Now housing's order applies, and its values as written are offered its places.
    const supported = app.page.locator('[data-testid="value-mapping"][data-field="status.housing"] tr[data-value="Supported accommodation"]');
    await supported.waitFor();
    assert.equal(await supported.locator('select').inputValue(), 'not_counted');
    await supported.locator('select').selectOption('supported');
    await app.page.locator('[data-testid="value-mapping"][data-field="status.housing"] tr[data-value="Rough sleeping"] select').selectOption('homeless');
    await app.page.click('#apply-mapping');
    await app.page.waitForFunction(() => document.querySelector('[data-testid="value-mapping"][data-field="status.housing"] tr[data-value="Supported accommodation"] select')?.value === 'supported'
      && document.querySelector('main[data-ready="true"]') !== null);
    const rows = app.page.locator('[data-testid="file-summaries"] tbody tr[data-file="status.csv"]');
    const cells = await rows.locator('td').allInnerTexts();
    assert.ok(cells.includes('status'), cells.join(' | '));
    // All three rows are accepted now that every value has its place.
    assert.ok(cells.filter((c) => c === '3').length >= 2, cells.join(' | '));
    await app.page.locator('[data-testid="value-mapping"][data-field="status.housing"]').screenshot({ path: path.join(app.artifacts ?? dir, 'status-values.png') }).catch(() => {});
    await app.screenshot('status-value-mapping', { fullPage: true });
    assert.deepEqual(app.externalRequests(), []);
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
