// The NHS design language and the methods (issue 13, section 5): the NHS.UK frontend styles
// come from the app itself, every view has one heading of rank one, the controls use the design
// system's components, and each figure's "How is this worked out?" opens its section of the
// methods, which are part of the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { APP_READY, distDir, openApp } from './helpers.mjs';

const VIEWS = ['overview', 'direction', 'stability', 'goals', 'governance', 'narrative', 'value', 'pathways', 'person', 'data', 'privacy', 'methods'];

test('the NHS.UK frontend style sheet is served by the app, with nothing fetched from elsewhere', () => {
  const css = fs.readFileSync(path.join(distDir, 'nhsuk.css'), 'utf8');
  assert.match(css, /^\/\* NHS\.UK frontend \d+\.\d+\.\d+ \(MIT/);
  assert.match(css, /\.nhsuk-header\{/);
  const urls = [...css.matchAll(/url\(\s*["']?([^)"']*)/g)].map((m) => m[1]);
  assert.ok(urls.length > 0, 'its icons are there');
  assert.deepEqual(urls.filter((u) => !u.startsWith('data:')), [], 'every url() is inlined');
  assert.doesNotMatch(css, /https?:\/\//, 'no web font or other host');
  const index = fs.readFileSync(path.join(distDir, 'index.html'), 'utf8');
  assert.ok(index.indexOf('href="nhsuk.css"') < index.indexOf('href="style.css"'), 'the design system first, the app on top');
});

test('every view: one h1, the NHS header and components, and its figures link to how they are worked out', async () => {
  const app = await openApp({ ready: APP_READY, contextOptions: { viewport: { width: 1366, height: 768 } } });
  try {
    await app.page.click('#demo-button');
    await app.page.waitForSelector('main[data-ready="true"] [data-testid="overview"]');
    assert.equal(await app.page.locator('header.nhsuk-header .nhsuk-header__service-name').innerText(), 'Waymark');
    assert.equal(await app.page.locator('#download-report.nhsuk-button').count(), 1);
    const sections = new Set();
    for (const view of VIEWS) {
      await app.page.evaluate((v) => { window.location.hash = `#${v}`; }, view);
      await app.page.waitForSelector(`main[data-view="${view}"][data-ready="true"]`);
      assert.equal(await app.page.locator('h1').count(), 1, `${view}: one heading of rank one`);
      for (const href of await app.page.locator('a.how-worked-out').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
        sections.add(new URLSearchParams(href.split('?')[1]).get('show'));
      }
      // Native controls are the design system's.
      const plain = await app.page.evaluate(() => [...document.querySelectorAll('main button, main select, main input:not([type=checkbox]):not([type=file])')]
        .filter((e) => !/nhsuk-(button|select|input)/.test(e.className)).map((e) => e.id || e.outerHTML.slice(0, 60)));
      assert.deepEqual(plain, [], `${view}: buttons, selects and inputs use NHS.UK classes`);
    }
    assert.ok(sections.size >= 12, `figures link to many sections of the methods (${sections.size})`);
    // Each link's section exists in the methods page.
    const ids = await app.page.locator('[data-testid="methods"] [id^="method-"]').evaluateAll((hs) => hs.map((h) => h.id));
    for (const section of sections) assert.ok(ids.includes(`method-${section}`), `methods has a section for ${section}`);
    assert.deepEqual(app.externalRequests(), []);
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});

test('"How is this worked out?" opens the section in view, and keeps the filter', async () => {
  const app = await openApp({ path: '/#overview?pathway=Step-down', ready: APP_READY, contextOptions: { viewport: { width: 1366, height: 768 } } });
  try {
    await app.page.click('#demo-button');
    await app.page.waitForSelector('main[data-ready="true"] [data-testid="overview"]');
    await app.page.locator('[data-testid="story-worth"] a.how-worked-out').click();
    await app.page.waitForSelector('main[data-view="methods"] #method-the-headline-figure');
    await app.page.waitForFunction(() => {
      // Scrolled to its top (give or take a sub-pixel).
      const r = document.getElementById('method-the-headline-figure').getBoundingClientRect();
      return r.top > -2 && r.top < window.innerHeight;
    });
    assert.match(await app.page.evaluate(() => window.location.hash), /pathway=Step-down/);
    await app.screenshot('methods-1366', { fullPage: false });
    assert.deepEqual(app.errors(), []);
  } finally {
    await app.close();
  }
});
