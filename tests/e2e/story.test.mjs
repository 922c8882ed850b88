// The commissioner's story (issue 13): the first screen answers four questions at 1366x768
// and reads top to bottom at 400px; every indicator row links to its chart; every person ID in
// every list opens that person.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { APP_READY, artifactsDir, openApp, runAxe } from './helpers.mjs';

const STORY = ['story-changed', 'story-stable', 'story-worth', 'story-sure'];
// The figure each answer leads with.
const LEADS = ['[data-testid^="kpi-improved-"]', '[data-testid="kpi-crisis"]', '[data-testid="kpi-cost-avoided"]', '[data-testid="main-caveat"]'];

async function loadDemo(app) {
  await app.page.click('#demo-button');
  await app.page.waitForSelector('main[data-ready="true"] [data-testid="overview"]');
}

async function box(app, selector) {
  const b = await app.page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} is drawn`);
  return b;
}

test('at 1366x768 the first screen answers the four questions, with the controls folded', async () => {
  const app = await openApp({ ready: APP_READY, contextOptions: { viewport: { width: 1366, height: 768 } } });
  try {
    await loadDemo(app);
    assert.equal(await app.page.locator('details.controls[open]').count(), 0, 'the load and filter controls are folded');
    assert.match(await app.page.locator('[data-testid="source"]').innerText(), /^Showing: built-in demo data/);
    assert.equal(await app.page.locator('[data-testid="filter-summary"]').innerText(), 'Everyone in the files');
    for (const lead of LEADS) {
      const b = await box(app, lead);
      assert.ok(b.y + b.height <= 768, `${lead} is on the first screen (bottom at ${Math.round(b.y + b.height)}px)`);
    }
    // The crisis answer carries its Making Data Count icon, named for screen readers.
    assert.equal(await app.page.locator('[data-testid="kpi-crisis-spc"] svg[role="img"] title').count(), 1);
    // The controls open on demand.
    await app.page.click('details.controls > summary');
    assert.ok(await app.page.locator('#filter-pathway').isVisible());
    await app.screenshot('story-1366', { fullPage: false });
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('at 400px the story reads top to bottom, key figures first', async () => {
  const app = await openApp({ ready: APP_READY, contextOptions: { viewport: { width: 400, height: 800 } } });
  try {
    await loadDemo(app);
    const tops = [];
    for (const card of STORY) tops.push((await box(app, `[data-testid="${card}"]`)).y);
    assert.deepEqual([...tops].sort((a, b) => a - b), tops, 'the four answers in order');
    const first = await box(app, LEADS[0]);
    assert.ok(first.y < 800, `the first figure starts on the first screen (${Math.round(first.y)}px down)`);
    const width = await app.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 400, `no sideways scrolling (${width}px)`);
    await app.screenshot('story-400', { fullPage: false });
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('each indicator in the summary links to its chart, opened and in view', async () => {
  const app = await openApp({ ready: APP_READY, contextOptions: { viewport: { width: 1366, height: 768 } } });
  try {
    await loadDemo(app);
    const rows = app.page.locator('[data-testid="indicator-summary"] tbody tr');
    const n = await rows.count();
    assert.ok(n >= 5, `every indicator has a row (${n})`);
    const key = await rows.nth(n - 1).getAttribute('data-indicator');
    await rows.nth(n - 1).locator('a').click();
    await app.page.waitForSelector(`main[data-view="direction"] details#indicator-${key}[open]`);
    await app.page.waitForFunction((id) => {
      const r = document.getElementById(id).getBoundingClientRect();
      return r.top >= 0 && r.top < window.innerHeight;
    }, `indicator-${key}`);
    assert.equal(await app.page.locator('details.indicator').count(), n, 'one chart per indicator');
    // The long view has a contents list, and its charts fold.
    assert.ok(await app.page.locator('nav.contents a').count() >= 3);
    assert.equal(await app.page.locator('details.indicator[open]').count(), 1);
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('a person opens from every list, whatever the case of the ID typed', async () => {
  const app = await openApp({ ready: APP_READY });
  try {
    await loadDemo(app);
    for (const [view, list] of [['stability', 'flagged-people'], ['goals', 'static-plans'], ['narrative', 'discordant-cases']]) {
      await app.page.click(`nav a[href^="#${view}"]`);
      const link = app.page.locator(`main[data-ready="true"] [data-testid="${list}"] tbody th a`).first();
      const id = await link.innerText();
      await link.click();
      await app.page.waitForSelector('main[data-view="person"] [data-testid="person"][data-loaded="true"]');
      assert.equal(await app.page.inputValue('#person-id'), id, `${list} opens ${id}`);
      assert.match(await app.page.locator('[data-testid="timeline"] caption').innerText(), new RegExp(`^Timeline of ${id} `));
      assert.ok(await app.page.locator('[data-testid="timeline"] tbody tr').count() > 1);
      // A person's records stay on screen: the timeline chart offers no download.
      assert.equal(await app.page.locator('figure[data-chart="person-timeline"] svg[role="img"]').count(), 1);
      assert.equal(await app.page.locator('main[data-view="person"] button', { hasText: 'Download' }).count(), 0);
    }
    // Typed in lower case, the ID still finds the person.
    const id = await app.page.inputValue('#person-id');
    await app.page.fill('#person-id', id.toLowerCase());
    await app.page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline"] tbody tr').length > 1);
    assert.equal(await app.page.locator('[data-testid="person-unknown"]').count(), 0);
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('the report pack: cover and key messages first, nothing technical there, A4 print without lost columns, and axe-clean', async () => {
  const app = await openApp({ ready: APP_READY, contextOptions: { acceptDownloads: true } });
  try {
    await loadDemo(app);
    // The cover is entered once in the app and goes into the report.
    await app.page.click('[data-testid="report-settings"] > summary');
    await app.page.fill('#service-name', 'Northside Community Support');
    await app.page.fill('#provider', 'Example Health Trust');
    await app.page.click('#apply-report-settings');
    await app.page.waitForFunction(() => document.querySelector('main[data-ready="true"]') && document.querySelector('#service-name')?.value === 'Northside Community Support');
    await app.page.waitForSelector('main[data-ready="true"] [data-testid="overview"]');
    const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.click('#download-report')]);
    // Saved under its own name: the browser reads a file without .html as text.
    fs.mkdirSync(artifactsDir, { recursive: true });
    const file = path.join(artifactsDir, 'report-pack.html');
    await download.saveAs(file);
    const report = await app.context.newPage();
    await report.setViewportSize({ width: 794, height: 1123 });
    await report.goto(`file://${file}`);
    const cover = await report.locator('header.cover').innerText();
    assert.match(cover, /Northside Community Support/);
    assert.match(cover, /Example Health Trust/);
    assert.match(cover, /Period/);
    const messages = await report.locator('section.key-messages li').allInnerTexts();
    assert.ok(messages.length >= 5 && messages.length <= 7, `five to seven key messages (${messages.length})`);
    const firstPage = `${cover}\n${messages.join('\n')}`;
    assert.doesNotMatch(firstPage, /schema|rows\b/i, 'nothing technical on the first page');
    // The appendix carries the technical detail.
    assert.match(await report.locator('body').innerText(), /Appendix: about the data[\s\S]*Schema/i);
    // Printed on A4 portrait, no table is wider than the page, and sections start on a new page.
    await report.emulateMedia({ media: 'print' });
    const overflowing = await report.evaluate(() => [...document.querySelectorAll('table')]
      .filter((t) => t.getBoundingClientRect().right > document.querySelector('main').getBoundingClientRect().right + 1)
      .map((t) => t.querySelector('caption')?.textContent || t.outerHTML.slice(0, 80)));
    assert.deepEqual(overflowing, [], 'tables reflow to the page width');
    const breaks = await report.evaluate(() => [...document.querySelectorAll('main > section')].map((s) => getComputedStyle(s).breakBefore));
    assert.ok(breaks.filter((b) => b === 'page').length >= 3, `page breaks between sections (${breaks})`);
    const pdf = await report.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10_000, 'the report prints to PDF');
    await report.emulateMedia({ media: 'screen' });
    const violations = await runAxe(report, { tags: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] });
    assert.deepEqual(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`), [], 'axe on the report');
    fs.mkdirSync(artifactsDir, { recursive: true });
    await report.screenshot({ path: path.join(artifactsDir, 'report-pack-cover.png') });
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});
