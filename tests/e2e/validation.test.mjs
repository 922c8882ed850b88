// The foundation's promise in a real browser: pick a messy export with the file picker and see
// the right counts and positioned issues; load the demo data; and make no request beyond the
// app's own files. Expected values come from tests/fixtures/messy/README.md.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { APP_READY, openApp, repoRoot } from './helpers.mjs';

const fixture = path.join(repoRoot, 'tests', 'fixtures', 'messy', 'people-win1252.csv');

test('a Windows-1252, semicolon, day-first export shows correct counts and positioned issues', async () => {
  const app = await openApp({ ready: APP_READY });
  try {
    await app.page.setInputFiles('#file-input', fixture);
    await app.page.waitForSelector('main[data-ready="true"]');
    await app.page.click('nav a[href="#data"]');
    await app.page.waitForSelector('main[data-view="data"] [data-testid="validation"]');

    const fileRow = app.page.locator('[data-testid="file-summaries"] tr[data-file="people-win1252.csv"]');
    assert.equal(await fileRow.locator('td').nth(0).innerText(), 'people');
    assert.equal(await fileRow.locator('td').nth(1).innerText(), 'Windows-1252');
    assert.equal(await fileRow.locator('td').nth(2).innerText(), 'semicolon');
    assert.equal(await fileRow.locator('td').nth(3).innerText(), '2');
    assert.equal(await fileRow.locator('td.read').innerText(), '7');
    assert.equal(await fileRow.locator('td.accepted').innerText(), '3');
    assert.equal(await fileRow.locator('td.rejected').innerText(), '4');
    assert.equal(await app.page.locator('[data-testid="table-counts"] tr[data-table="people"] td.rows').innerText(), '3');

    const issues = await app.page.locator('[data-testid="issues"] li.issue').allInnerTexts();
    const expected = [
      'people-win1252.csv, line 5, column "Referral Date"',
      'people-win1252.csv, line 6, column "Care Pathway"',
      'people-win1252.csv, line 7, column "Discharge Date"',
      'people-win1252.csv, line 8, column "Referral Date"',
    ];
    for (const position of expected) {
      assert.ok(issues.some((text) => text.startsWith(position)), `an issue at ${position}; got:\n${issues.join('\n')}`);
    }
    assert.ok(issues.some((text) => text.includes('Found "31/02/2024"')), 'the value found is shown');
    assert.match(await app.page.locator('[data-testid="issue-totals"]').innerText(), /^4 error\(s\)/);
    await app.screenshot('messy-export');
    assert.deepEqual(app.externalRequests(), []);
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('demo data loads with every table and no errors, without network requests', async () => {
  const app = await openApp({ ready: APP_READY });
  try {
    const before = app.requests.length;
    await app.page.click('#demo-button');
    await app.page.waitForSelector('main[data-ready="true"]');
    await app.page.click('nav a[href="#data"]');
    await app.page.waitForSelector('main[data-view="data"] [data-testid="validation"]');
    assert.match(await app.page.locator('[data-testid="verdict"]').innerText(), /can be analysed/);
    for (const table of ['people', 'outcomes', 'events', 'goals', 'status', 'feedback']) {
      const rows = Number(await app.page.locator(`[data-testid="table-counts"] tr[data-table="${table}"] td.rows`).innerText());
      assert.ok(rows > 0, `${table} has rows`);
    }
    assert.equal(await app.page.locator('[data-testid="table-counts"] tr[data-table="people"] td.rows').innerText(), '300');
    assert.match(await app.page.locator('[data-testid="issue-totals"]').innerText(), /^0 error\(s\)/);
    assert.equal(app.requests.length, before, `no requests after the app loaded: ${JSON.stringify(app.requests.slice(before))}`);
    await app.screenshot('demo');
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('the mapping step maps an unrecognised file by hand and reads it again', async () => {
  const contacts = path.join(repoRoot, 'tests', 'fixtures', 'messy', 'contacts-unrecognised.csv');
  const app = await openApp({ ready: APP_READY });
  try {
    await app.page.setInputFiles('#file-input', [fixture, contacts]);
    await app.page.waitForSelector('main[data-ready="true"]');
    await app.page.click('nav a[href="#data"]');
    const file = app.page.locator('fieldset.file-mapping[data-file="contacts-unrecognised.csv"]');
    await file.waitFor();
    assert.equal(await app.page.locator('[data-testid="file-summaries"] tr[data-file="contacts-unrecognised.csv"] td.accepted').innerText(), '0');
    // Previews show the file as read: its header and first rows, decoded.
    const preview = file.locator('[data-testid="preview"]');
    assert.deepEqual(await preview.locator('thead th').allInnerTexts(), ['Ref', 'Contact date', 'Kind']);
    assert.deepEqual(await preview.locator('tbody tr').first().locator('td').allInnerTexts(), ['001', '03/02/2024', 'crisis_contact']);
    // A Windows-1252 file previews decoded, below its title row.
    const people = app.page.locator('fieldset.file-mapping[data-file="people-win1252.csv"] [data-testid="preview"]');
    assert.deepEqual((await people.locator('thead th').allInnerTexts()).slice(0, 2), ['Client ID', 'Care Pathway']);
    assert.equal(await people.locator('tbody tr').first().locator('td').nth(1).innerText(), 'Café support');
    await file.locator('select[id^="table-"]').selectOption('events');
    await file.getByLabel('Ref', { exact: true }).selectOption('person_id');
    await file.getByLabel('Contact date', { exact: true }).selectOption('date');
    await file.getByLabel('Kind', { exact: true }).selectOption('event_type');
    await app.page.click('#apply-mapping');
    await app.page.waitForFunction(() => document.querySelector('[data-testid="file-summaries"] tr[data-file="contacts-unrecognised.csv"] td.accepted')?.textContent === '3');
    assert.equal(await app.page.locator('[data-testid="table-counts"] tr[data-table="events"] td.rows').innerText(), '3');
    assert.equal(await app.page.locator('[data-testid="file-summaries"] tr[data-file="people-win1252.csv"] td.accepted').innerText(), '3');
    await app.screenshot('mapping-step');
    assert.deepEqual(app.externalRequests(), []);
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});
