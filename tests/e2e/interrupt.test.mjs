// Interrupted loads (issue 15): whatever the moment a load is cancelled or replaced, the app
// ends in one consistent state: the newest request's data, or (after a cancel) nothing new,
// and never a mixture. The timing of each interruption varies from run to run, so each test
// asserts the final state only, which must hold at any moment of interruption.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APP_READY, cliPath, openApp, repoRoot } from './helpers.mjs';

const SMALL = path.join(repoRoot, 'tests', 'fixtures', 'workbook', 'csv');
const smallFiles = () => fs.readdirSync(SMALL).map((f) => path.join(SMALL, f));

function bigDataset() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-interrupt-'));
  execFileSync(cliPath(), ['demo', dir, '--people', '6000', '--seed', '3']);
  return { dir, files: fs.readdirSync(dir).map((f) => path.join(dir, f)) };
}

/// The overview's people figure once the page has settled on a loaded dataset.
async function peopleShown(app) {
  await app.page.waitForSelector('main[data-ready="true"] [data-testid="overview"]');
  return app.page.locator('[data-testid="kpi-people-in-data"] dd').innerText();
}

/// Waits until the overview shows `expected` people. Choosing files re-renders on the next
/// tick, so for a moment the previous load's overview can still be on screen; the final
/// state is what must hold, and a stale figure that never clears fails with its value.
async function settlesOn(app, expected) {
  const kpi = '[data-testid="kpi-people-in-data"] dd';
  try {
    await app.page.waitForFunction(
      ([sel, want]) => document.querySelector('main[data-ready="true"]') && document.querySelector(sel)?.innerText === want,
      [kpi, expected],
      { timeout: 60000 },
    );
  } catch {
    // Report what was shown instead of a bare timeout.
  }
  return app.page.locator(kpi).innerText();
}

async function smallPeople() {
  const app = await openApp({ ready: APP_READY });
  try {
    await app.page.setInputFiles('#file-input', smallFiles());
    return await peopleShown(app);
  } finally {
    await app.close();
  }
}

test('new files chosen while a large load is read or analysed replace it entirely', async () => {
  const expected = await smallPeople();
  const big = bigDataset();
  try {
    for (const waitMs of [0, 150, 600]) {
      const app = await openApp({ ready: APP_READY });
      try {
        await app.page.setInputFiles('#file-input', big.files);
        await app.page.waitForTimeout(waitMs);
        await app.page.setInputFiles('#file-input', smallFiles());
        assert.equal(await settlesOn(app, expected), expected, `replaced after ${waitMs} ms`);
        // Nothing of the large load arrives later to overwrite it.
        await app.page.waitForTimeout(1500);
        assert.equal(await app.page.locator('[data-testid="kpi-people-in-data"] dd').innerText(), expected);
        assert.deepEqual(app.errors(), []);
      } finally {
        await app.close();
      }
    }
  } finally {
    fs.rmSync(big.dir, { recursive: true, force: true });
  }
});

test('a load cancelled while it is read keeps nothing, and the next load works', async (t) => {
  const expected = await smallPeople();
  const big = bigDataset();
  try {
    const app = await openApp({ ready: APP_READY });
    try {
      await app.page.setInputFiles('#file-input', big.files);
      const cancel = app.page.locator('[data-testid="progress"] button');
      // The read may finish before the button can be pressed: then the load simply completes.
      const cancelled = await cancel.click({ timeout: 2000 }).then(() => true, () => false);
      t.diagnostic(cancelled ? 'cancelled during the read' : 'the read finished before Cancel could be pressed');
      if (cancelled) {
        await app.page.waitForSelector('text=Loading was cancelled. Nothing was kept.');
        assert.equal(await app.page.locator('[data-testid="overview"]').count(), 0);
      } else {
        await peopleShown(app);
      }
      await app.page.setInputFiles('#file-input', smallFiles());
      assert.equal(await settlesOn(app, expected), expected);
      assert.deepEqual(app.errors(), []);
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(big.dir, { recursive: true, force: true });
  }
});
