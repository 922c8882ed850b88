// The governance pack (issue 13 §3): the view lists one row per team of the CLI's pack for the
// same demo files (plus the whole-service row), presentation mode shows the controlled pack's
// stars for small groups, and the download is the disclosure-controlled printable page. The
// CLI binary is built by the native test stage (cargo test).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { APP_READY, cliPath, openApp } from './helpers.mjs';

let pack;

before(() => {
  const binary = cliPath();
  assert.ok(fs.existsSync(binary), `the CLI is built first (cargo build -p waymark-cli): ${binary}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-governance-'));
  execFileSync(binary, ['demo', dir]);
  // The demo's own analysis date is the app's (DemoParams::reference_date).
  pack = JSON.parse(execFileSync(binary, ['governance', dir, '--as-of', '2026-06-30', '--format', 'json'], { maxBuffer: 1 << 28 }).toString());
});

async function openGovernance(app) {
  await app.page.click('#demo-button');
  await app.page.waitForSelector('main[data-ready="true"] [data-testid="overview"]');
  await app.page.click('nav a[href="#governance"], nav a[href^="#governance?"]');
  await app.page.waitForSelector('main[data-view="governance"] [data-testid="governance-teams"]');
}

test('the governance view has one row per team of the CLI pack, then the whole service', async () => {
  const app = await openApp({ ready: APP_READY });
  try {
    await openGovernance(app);
    assert.equal(await app.page.locator('h1#view-heading, #view-heading').first().innerText(), 'Team and coordinator governance');
    const teams = await app.page.locator('[data-testid="governance-teams"] tbody th[scope="row"]').allInnerTexts();
    assert.ok(pack.teams.length > 0);
    assert.deepEqual(teams, [...pack.teams.map((t) => t.name), 'Whole service']);
    const coordinators = await app.page.locator('[data-testid="governance-coordinators"] tbody th[scope="row"]').allInnerTexts();
    assert.deepEqual(coordinators, [...pack.coordinators.map((c) => c.name), 'Whole service']);
    // On screen the counts are exact; the CLI's pack is rounded to 5 (8 and more here).
    const cells = await app.page.locator('[data-testid="governance-teams"] tbody tr').last().locator('td').allInnerTexts();
    const inService = Number(cells[1]);
    assert.equal(Math.floor((inService + 2) / 5) * 5, pack.service.in_service);
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('presentation mode shows the controlled pack', async () => {
  const app = await openApp({ ready: APP_READY });
  try {
    await openGovernance(app);
    if (!(await app.page.locator('details.controls[open]').count())) await app.page.click('details.controls > summary');
    await app.page.check('#presentation-mode');
    await app.page.waitForFunction(() => document.querySelector('#presentation-mode')?.checked);
    await app.page.waitForSelector('[data-testid="governance-teams"] caption:has-text("shown as *")');
    const cells = await app.page.locator('[data-testid="governance-teams"] tbody tr').last().locator('td').allInnerTexts();
    // Columns after the row header: in service now, in service during the period, ...
    assert.equal(Number(cells[0]), pack.service.in_service_now, 'in service now, as the CLI pack shows it');
    assert.equal(Number(cells[1]), pack.service.in_service, 'in service during the period, as the CLI pack shows it');
  } finally {
    await app.close();
  }
});

test('the governance pack downloads as a controlled, printable page', async () => {
  const app = await openApp({ ready: APP_READY, contextOptions: { acceptDownloads: true } });
  try {
    await openGovernance(app);
    const [download] = await Promise.all([
      app.page.waitForEvent('download'),
      app.page.click('[data-testid="download-governance"]'),
    ]);
    assert.equal(download.suggestedFilename(), 'waymark-governance.html');
    const html = fs.readFileSync(await download.path(), 'utf8');
    assert.match(html, /<h1>Team and coordinator governance<\/h1>/);
    assert.match(html, /under disclosure control/);
    assert.match(html, /@page\{size:A4 portrait/);
    assert.doesNotMatch(html, /<script/);
    // Every whole number in a cell is 0, 8 or more and a multiple of 5 (rates have a decimal
    // point, percentages a %).
    for (const cell of html.split('<td>').slice(1).map((c) => c.split('</td>')[0])) {
      for (const word of cell.split(/[ ()]/)) {
        if (/^\d+$/.test(word)) {
          const n = Number(word);
          assert.ok(n === 0 || (n >= 8 && n % 5 === 0), `a count in the pack: ${cell}`);
        }
      }
    }
    for (const team of pack.teams) assert.ok(html.includes(`<th scope="row">${team.name}</th>`), team.name);
  } finally {
    await app.close();
  }
});
