// Workbooks (issue 14): the app reads an .xlsx file sheet by sheet and shows the same overview
// as for the same data in CSV files (tests/fixtures/workbook: the workbook made by openpyxl
// from the CSV files beside it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { APP_READY, openApp, repoRoot } from './helpers.mjs';

const DIR = path.join(repoRoot, 'tests', 'fixtures', 'workbook');
const KPIS = ['kpi-people', 'kpi-people-in-data', 'kpi-crisis', 'kpi-early-warnings', 'kpi-person-months'];

async function overview(files) {
  const app = await openApp({ ready: APP_READY });
  try {
    await app.page.setInputFiles('#file-input', files);
    await app.page.waitForSelector('main[data-ready="true"] [data-testid="overview"]');
    const shown = {};
    for (const kpi of KPIS) shown[kpi] = await app.page.locator(`[data-testid="${kpi}"] dd`).innerText();
    shown.headline = await app.page.locator('[data-testid="kpi-cost-avoided"]').innerText();
    await app.page.evaluate(() => { window.location.hash = '#data'; });
    await app.page.waitForSelector('[data-testid="file-summaries"]');
    const names = await app.page.locator('[data-testid="file-summaries"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-file')));
    assert.deepEqual(app.errors(), []);
    assert.deepEqual(app.externalRequests(), []);
    return { shown, names };
  } finally {
    await app.close();
  }
}

test('an .xlsx workbook gives the same overview as the same data in CSV', async () => {
  const csv = fs.readdirSync(path.join(DIR, 'csv')).map((f) => path.join(DIR, 'csv', f));
  const fromCsv = await overview(csv);
  const fromXlsx = await overview([path.join(DIR, 'caseload.xlsx')]);
  assert.deepEqual(fromXlsx.shown, fromCsv.shown);
  assert.ok(fromXlsx.names.includes('caseload.xlsx [people]'), fromXlsx.names.join(', '));
  assert.match(fromCsv.shown['kpi-people-in-data'], /^\d+$/);
});
