// Every view of the app on the demo data, as a commissioner would use it: the numbers on the
// page are the CLI's report for the same files (both come from waymark-core), every view passes
// axe-core, a CSV export is disclosure-controlled, and nothing is requested after the app's own
// files have loaded. The CLI binary is built by the native test stage (cargo test).

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { APP_READY, cliPath, openApp, repoRoot, runAxe } from './helpers.mjs';

const VIEWS = ['overview', 'direction', 'stability', 'goals', 'governance', 'narrative', 'value', 'pathways', 'person', 'data', 'privacy', 'methods'];
let cli;
let cliStepDown;
let cliPeriod;
let cliHalf;
const PERIOD = { from: '2025-10-01', to: '2026-03-31' };

before(() => {
  const binary = cliPath();
  assert.ok(fs.existsSync(binary), `the CLI is built first (cargo build -p waymark-cli): ${binary}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-demo-'));
  execFileSync(binary, ['demo', dir]);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => path.join(dir, f));
  cli = JSON.parse(execFileSync(binary, ['report', ...files, '--as-of', '2026-06-30', '--format', 'json'], { maxBuffer: 1 << 28 }).toString());
  const config = path.join(dir, 'step-down.toml');
  fs.writeFileSync(config, '[filter]\npathways = ["Step-down"]\n');
  cliStepDown = JSON.parse(execFileSync(binary, ['report', ...files, '--as-of', '2026-06-30', '--format', 'json', '--config', config], { maxBuffer: 1 << 28 }).toString());
  const periodConfig = path.join(dir, 'period.toml');
  fs.writeFileSync(periodConfig, `[filter]\nperiod_from = "${PERIOD.from}"\nperiod_to = "${PERIOD.to}"\n`);
  cliPeriod = JSON.parse(execFileSync(binary, ['report', ...files, '--as-of', '2026-06-30', '--format', 'json', '--config', periodConfig], { maxBuffer: 1 << 28 }).toString());
  const halfConfig = path.join(dir, 'half.toml');
  fs.writeFileSync(halfConfig, '[value]\nattribution_percent = 50.0\n');
  cliHalf = JSON.parse(execFileSync(binary, ['report', ...files, '--as-of', '2026-06-30', '--format', 'json', '--config', halfConfig], { maxBuffer: 1 << 28 }).toString());
});

// Presentation mode: the export rules on screen, so the page shows the CLI report's counts.
async function present(app) {
  await app.page.check('#presentation-mode');
  await app.page.waitForFunction(() => document.querySelector('#presentation-mode')?.checked);
  await app.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

// Once data are in, loading, filters and settings fold into a bar that opens on demand.
async function openControls(app) {
  const summary = app.page.locator('details.controls > summary');
  if (!(await app.page.locator('details.controls[open]').count())) await summary.click();
}

async function loadDemo(app) {
  await app.page.click('#demo-button');
  await app.page.waitForSelector('main[data-ready="true"] [data-testid="overview"]');
}

async function show(app, view) {
  // The methods page is linked from the footer (and from figures), not from the bar.
  await app.page.click(`:is(nav, footer) a[href="#${view}"], :is(nav, footer) a[href^="#${view}?"]`);
  await app.page.waitForSelector(`main[data-view="${view}"]`);
  // The page at rest: a focused link drops its underline for the design system's yellow focus
  // style, which axe's link-in-text-block rule cannot see.
  await app.page.evaluate(() => document.activeElement?.blur());
}

// The engine sends each analysis in two messages: the overview's figures first, then the
// person-level lists, which the page decodes after painting the overview.
test('the person-level lists follow the overview and fill the views that list them', async () => {
  const app = await openApp({ ready: APP_READY });
  try {
    await app.page.click('#demo-button');
    await app.page.waitForSelector('main[data-overview-ready="true"] [data-testid="overview"]');
    await app.page.waitForSelector('main[data-ready="true"]');
    const d = cli.direction_of_travel;
    // On screen every count is exact, so a list has as many rows as its tile says; the CLI's
    // report is disclosure-controlled (rounded half up to 5, 8 and more here).
    const shown = (n) => Math.floor((n + 2) / 5) * 5;
    const tileCount = async (id) => Number((await app.page.locator(`[data-testid="${id}"] dd`).innerText()).match(/\((\d+) of/)[1]);
    const warnings = await tileCount('kpi-early-warnings');
    await show(app, 'stability');
    const flagged = await app.page.locator('[data-testid="flagged-people"] tbody tr').count();
    assert.equal(flagged, warnings, 'the early-warnings tile and the list agree');
    assert.equal(shown(flagged), d.stability.early_warnings.numerator);
    await show(app, 'goals');
    assert.equal(shown(await app.page.locator('[data-testid="static-plans"] tbody tr').count()), d.goals.people_with_static_plans.numerator);
    await show(app, 'direction');
    assert.ok((await app.page.locator('figure[data-chart^="change-"]').count()) > 0, 'reliable-change scatters drawn');
    assert.equal(await app.page.locator('[data-testid="person-level-pending"]').count(), 0);
    // Measurement lives in the bench build only (docs/performance.md): the product page
    // carries none of its attributes.
    for (const attribute of ['data-engine-seconds', 'data-engine-bytes', 'data-wasm-bytes']) {
      assert.equal(await app.page.locator(`main[${attribute}]`).count(), 0, attribute);
    }
  } finally {
    await app.close();
  }
});

test('in presentation mode the overview and views show the same numbers as the CLI report', async () => {
  const app = await openApp({ ready: APP_READY });
  try {
    await loadDemo(app);
    await present(app);
    const d = cli.direction_of_travel;
    const kpi = (id) => app.page.locator(`[data-testid="${id}"] dd`).innerText();
    assert.equal(await kpi('kpi-people'), String(d.service.people_in_service));
    assert.equal(await kpi('kpi-people-in-data'), String(cli.data.n_people));
    for (const m of d.measures.filter((m) => m.reliable_improvement.percent !== null)) {
      const r = m.reliable_improvement;
      assert.equal(await kpi(`kpi-improved-${m.measure}`), `${Math.round(r.percent)}% (${r.numerator} of ${r.denominator})`);
    }
    const w = d.stability.early_warnings;
    assert.equal(await kpi('kpi-early-warnings'), `${Math.round(w.percent)}% (${w.numerator} of ${w.denominator})`);
    // The value headline is the report's, word for word.
    assert.equal(await app.page.locator('[data-testid="value-headline"] .headline-label').innerText(), cli.value.headline.label);
    assert.equal(await app.page.locator('[data-testid="value-headline"] p:nth-child(3)').innerText(), cli.value.headline.statement);
    assert.equal(await app.page.locator('[data-testid="person-level-hidden"]').count(), 0);
    const interpretation = await app.page.locator('[data-testid="interpretation"] li').allInnerTexts();
    assert.deepEqual(interpretation, d.interpretation);

    await show(app, 'direction');
    const verdicts = await app.page.locator('[data-testid="spc-verdict"]').count();
    assert.equal(verdicts, d.service.indicators.length);
    assert.ok(await app.page.locator('figure.chart svg[role="img"]').count() >= d.service.indicators.length);

    await show(app, 'goals');
    assert.equal(await kpi('goals-people'), String(d.goals.people_with_goals));

    await show(app, 'pathways');
    for (const g of cli.pathways.groups) {
      assert.equal(await app.page.locator(`[data-testid="pathway-table"] tr[data-pathway="${g.pathway}"] td.people`).innerText(), String(g.people));
    }

    await show(app, 'value');
    const gross = Math.round(cli.value.naive.gross_avoided.value).toLocaleString('en-GB');
    assert.match(await app.page.locator('[data-testid="value-gross"] dd').innerText(), new RegExp(`^£${gross.replace(/,/g, ',')}`));
    assert.match(await app.page.locator('[data-testid="value-lead"]').innerText(), new RegExp('^£' + Math.round(cli.value.headline.estimate.value).toLocaleString('en-GB')));
    await show(app, 'stability');
    assert.equal(await app.page.locator('[data-testid="person-level-hidden"]').count(), 1, 'person-level lists are hidden in presentation mode');
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('every view passes axe-core and no request leaves the app after it loads', async () => {
  const app = await openApp({ ready: APP_READY });
  try {
    const before = app.requests.length;
    await loadDemo(app);
    for (const view of VIEWS) {
      await show(app, view);
      const violations = await runAxe(app.page, { tags: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] });
      assert.deepEqual(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`), [], `axe on #${view}`);
      await app.screenshot(`view-${view}`);
    }
    assert.equal(app.requests.length, before, `no requests after the app loaded: ${JSON.stringify(app.requests.slice(before))}`);
    assert.deepEqual(app.externalRequests(), []);
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('a table exported as CSV has a byte-order mark, neutralised formulas and suppressed small counts', async () => {
  const app = await openApp({ ready: APP_READY, contextOptions: { acceptDownloads: true } });
  try {
    await loadDemo(app);
    await show(app, 'goals');
    const [download] = await Promise.all([
      app.page.waitForEvent('download'),
      app.page.locator('figure[data-chart="gas-histogram"] button', { hasText: 'Download table (CSV)' }).click(),
    ]);
    const bytes = fs.readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
    const lines = bytes.toString('utf8').slice(1).trim().split(/\r?\n/);
    assert.ok(lines.length > 2);
    for (const line of lines.slice(1)) {
      const count = line.split(',').pop();
      assert.ok(count === '*' || count === '0' || Number(count) >= 8, `a count of 1-7 is suppressed: ${line}`);
      assert.ok(!/^[=+\-@]/.test(line), `no cell starts a formula: ${line}`);
    }
  } finally {
    await app.close();
  }
});

test('the layout fits a 400px-wide screen without sideways scrolling of the page', async () => {
  const app = await openApp({ ready: APP_READY, contextOptions: { viewport: { width: 400, height: 800 } } });
  try {
    await loadDemo(app);
    for (const view of ['overview', 'direction', 'pathways']) {
      await show(app, view);
      const overflow = await app.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `#${view} scrolls sideways by ${overflow}px`);
      await app.screenshot(`narrow-${view}`);
    }
  } finally {
    await app.close();
  }
});

test('a pathway filter narrows every figure, lives in the URL, and is saved with the settings', async () => {
  const app = await openApp({ ready: APP_READY, contextOptions: { acceptDownloads: true } });
  try {
    await loadDemo(app);
    await present(app);
    await openControls(app);
    await app.page.selectOption('#filter-pathway', 'Step-down');
    await app.page.waitForFunction(() => location.hash.includes('pathway=Step-down'));
    const expected = String(cliStepDown.direction_of_travel.service.people_in_service);
    await app.page.waitForFunction((value) => document.querySelector('[data-testid="kpi-people"] dd')?.textContent === value, expected);
    assert.deepEqual(
      await app.page.locator('[data-testid="interpretation"] li').allInnerTexts(),
      cliStepDown.direction_of_travel.interpretation,
    );
    // The filter follows the user to other views, through the links' hashes.
    await show(app, 'pathways');
    assert.match(await app.page.evaluate(() => location.hash), /^#pathways\?pathway=Step-down$/);
    await openControls(app);
    const [download] = await Promise.all([
      app.page.waitForEvent('download'),
      app.page.click('text=Save settings (JSON, no data)'),
    ]);
    const saved = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.deepEqual(saved.filter.pathways, ['Step-down']);
    assert.ok(!JSON.stringify(saved).includes('WM-0'), 'no person identifiers in the settings file');
    // Restoring the file brings the filter back, into the figures and the URL.
    await show(app, 'overview');
    await openControls(app);
    await app.page.selectOption('#filter-pathway', '');
    await app.page.waitForFunction(() => !location.hash.includes('pathway='));
    const everyone = String(cli.direction_of_travel.service.people_in_service);
    await app.page.waitForFunction((value) => document.querySelector('main[data-ready="true"] [data-testid="kpi-people"] dd')?.textContent === value, everyone);
    await openControls(app);
    await app.page.setInputFiles('#settings-input', await download.path());
    await app.page.waitForFunction(() => location.hash.includes('pathway=Step-down'));
    await app.page.waitForFunction((value) => document.querySelector('main[data-ready="true"] [data-testid="kpi-people"] dd')?.textContent === value, expected);
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('a period filter matches the CLI with the same period, and survives a reload through the URL', async () => {
  const app = await openApp({ ready: APP_READY });
  try {
    await loadDemo(app);
    await present(app);
    assert.equal(await app.page.locator('main').getAttribute('data-engine'), 'worker', 'the analysis runs in a web worker');
    await openControls(app);
    await app.page.fill('#filter-from', PERIOD.from);
    await openControls(app);
    await app.page.fill('#filter-to', PERIOD.to);
    await app.page.waitForFunction((p) => location.hash.includes(`from=${p.from}`) && location.hash.includes(`to=${p.to}`), PERIOD);
    const d = cliPeriod.direction_of_travel;
    assert.notEqual(d.service.people_in_service, cli.direction_of_travel.service.people_in_service, 'the period changes who is counted');
    await app.page.waitForFunction((value) => document.querySelector('main[data-ready="true"] [data-testid="kpi-people"] dd')?.textContent === value, String(d.service.people_in_service));
    assert.deepEqual(await app.page.locator('[data-testid="interpretation"] li').allInnerTexts(), d.interpretation);
    assert.equal(cliPeriod.as_of, PERIOD.to, 'the period ends the analysis');
    // The period lives in the URL: after a reload, the same data give the same figures.
    await app.page.reload();
    await app.page.waitForSelector(APP_READY);
    await loadDemo(app);
    await present(app);
    await app.page.waitForFunction((value) => document.querySelector('main[data-ready="true"] [data-testid="kpi-people"] dd')?.textContent === value, String(d.service.people_in_service));
    await openControls(app);
    assert.equal(await app.page.inputValue('#filter-from'), PERIOD.from);
    // A period that ends before it starts is refused once, with both dates named, and no
    // figures stay under the message (they would be for another period than the one shown).
    await openControls(app);
    await app.page.fill('#filter-from', '2026-05-01');
    const alert = app.page.locator('[role="alert"]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /2026-05-01.*2026-03-31|2026-03-31.*2026-05-01/s);
    await app.page.waitForTimeout(1500);
    assert.equal(await app.page.locator('.updating').count(), 0, 'not retried');
    assert.match(await alert.innerText(), /2026-05-01/);
    assert.equal(await app.page.locator('[data-testid="kpi-people"]').count(), 0, 'no stale figures');
    assert.equal(await app.page.locator('[data-testid="filter-refused"]').count(), 1);
    // Correcting the period brings the figures back.
    await openControls(app);
    await app.page.fill('#filter-from', PERIOD.from);
    await app.page.waitForFunction((value) => document.querySelector('main[data-ready="true"] [data-testid="kpi-people"] dd')?.textContent === value, String(d.service.people_in_service));
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('the person timeline comes from the worker, and person IDs follow a filter', async () => {
  const app = await openApp({ ready: APP_READY });
  try {
    await loadDemo(app);
    await show(app, 'person');
    await app.page.waitForSelector('[data-testid="person"][data-loaded="true"]');
    const rows = await app.page.locator('[data-testid="timeline"] tbody tr').count();
    assert.ok(rows > 3, `a timeline with several entries (${rows})`);
    assert.equal(await app.page.locator('[data-testid="timeline"] th', { hasText: /^Start$/ }).count(), 1);
    await app.page.fill('#person-id', 'nobody-has-this-id');
    await app.page.waitForSelector('text=No person with this ID in the people table.');
    // With a filter, the discordant cases name people of the filtered group.
    await openControls(app);
    await app.page.selectOption('#filter-pathway', 'Step-down');
    await show(app, 'narrative');
    await app.page.waitForSelector('main[data-ready="true"] [data-testid="discordant-cases"]');
    const ids = await app.page.locator('[data-testid="discordant-cases"] tbody th').allInnerTexts();
    await show(app, 'person');
    for (const id of ids.slice(0, 3)) {
      await app.page.fill('#person-id', id);
      await app.page.waitForFunction((who) => document.querySelector('[data-testid="timeline"] caption')?.textContent.startsWith(`Timeline of ${who}`) && document.querySelector('[data-testid="person"]')?.dataset.loaded === 'true', id);
      const start = await app.page.locator('[data-testid="timeline"] tr').filter({ has: app.page.locator('th', { hasText: /^Start$/ }) }).innerText();
      assert.match(start, /Step-down/, `${id} is on the Step-down pathway`);
    }
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('value settings apply to every figure, are refused beside their field when out of range, and are saved', async () => {
  const app = await openApp({ ready: APP_READY, contextOptions: { acceptDownloads: true } });
  try {
    await loadDemo(app);
    await present(app);
    await show(app, 'value');
    // A value the core refuses stays in its box with the reason beside it; nothing is applied.
    await app.page.fill('#attribution', '150');
    assert.match(await app.page.locator('#attribution-error').innerText(), /0 to 100.*150/);
    assert.equal(await app.page.locator('#apply-value-settings').isDisabled(), true);
    await app.page.fill('#attribution', '50');
    assert.equal(await app.page.locator('#attribution-error').count(), 0);
    await app.page.click('#apply-value-settings');
    const expected = cliHalf.value.headline.estimate;
    const lead = (v) => new RegExp('^£' + Math.round(v.value).toLocaleString('en-GB'));
    await app.page.waitForFunction(() => document.querySelector('main[data-ready="true"] [data-testid="value-lead"]')?.textContent.length > 0);
    await app.page.waitForFunction((text) => document.querySelector('main[data-ready="true"] [data-testid="value-lead"]')?.textContent.startsWith(text), '£' + Math.round(expected.value).toLocaleString('en-GB'));
    assert.match(await app.page.locator('[data-testid="value-lead"]').innerText(), lead(expected));
    // The overview follows, and leaving the value view does not reset the settings.
    await show(app, 'overview');
    assert.match(await app.page.locator('[data-testid="kpi-cost-avoided"]').innerText(), lead(expected));
    assert.equal(await app.page.locator('[data-testid="value-headline"] p:nth-child(3)').innerText(), cliHalf.value.headline.statement);
    await show(app, 'value');
    assert.equal(await app.page.inputValue('#attribution'), '50');
    await openControls(app);
    const [download] = await Promise.all([
      app.page.waitForEvent('download'),
      app.page.click('text=Save settings (JSON, no data)'),
    ]);
    const saved = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.equal(saved.value.attribution_percent, 50);
    // The downloaded report carries the same headline.
    await show(app, 'overview');
    const [report] = await Promise.all([app.page.waitForEvent('download'), app.page.click('#download-report')]);
    const html = fs.readFileSync(await report.path(), 'utf8');
    assert.ok(html.includes(cliHalf.value.headline.statement.replace(/&/g, '&amp;')), 'the report leads with the same statement');
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('on screen the counts are exact; presentation mode rounds them as every export does', async () => {
  const app = await openApp({ ready: APP_READY });
  try {
    await loadDemo(app);
    const d = cli.direction_of_travel;
    const tile = () => app.page.locator('[data-testid="kpi-early-warnings"] dd').innerText();
    const exact = await tile();
    await present(app);
    const w = d.stability.early_warnings;
    await app.page.waitForFunction((t) => document.querySelector('[data-testid="kpi-early-warnings"] dd')?.textContent === t, `${Math.round(w.percent)}% (${w.numerator} of ${w.denominator})`);
    assert.notEqual(exact, await tile(), 'the demo has a count that rounding changes');
    // The problems at the top follow the mode too, as the report's data-quality section does.
    const problem = cli.data_quality.problems[0];
    assert.ok((await app.page.locator('[data-testid="overview-problems"] li').first().textContent()).includes(`: ${problem.count} of ${problem.of} rows`));
    await app.screenshot('presentation-mode');
    await show(app, 'data');
    assert.equal(await app.page.locator('[data-testid="validation-presented"]').count(), 1, 'the issue list is hidden');
    assert.equal(await app.page.locator('[data-testid="validation"]').count(), 0);
    await show(app, 'overview');
    await app.page.uncheck('#presentation-mode');
    await app.page.waitForFunction((t) => document.querySelector('[data-testid="kpi-early-warnings"] dd')?.textContent === t, exact);
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('the funnel plots use the overdispersion adjustment chosen in the pathways view, and name it', async () => {
  const app = await openApp({ ready: APP_READY });
  try {
    await loadDemo(app);
    await show(app, 'pathways');
    const methods = () => app.page.locator('[data-testid="funnel-method"]').allInnerTexts();
    assert.ok((await methods()).every((m) => m.includes('no overdispersion adjustment')), 'none by default');
    await app.page.selectOption('#funnel-overdispersion', 'multiplicative');
    await app.page.waitForFunction(() => [...document.querySelectorAll('main[data-ready="true"] [data-testid="funnel-method"]')].some((p) => !p.textContent.includes('no overdispersion adjustment')));
    for (const m of await methods()) {
      assert.match(m, /multiplicative overdispersion adjustment|requested but not needed/);
    }
    assert.equal(await app.page.inputValue('#funnel-overdispersion'), 'multiplicative');
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});
