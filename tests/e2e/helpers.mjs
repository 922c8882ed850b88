// Shared helpers for the end-to-end tests (tests/e2e/*.test.mjs, run by `node --test tests/e2e/`
// from scripts/test after scripts/build-web has filled web/dist).
//
//   import { openApp } from './helpers.mjs';
//   const app = await openApp({ ready: '#app[data-ready]' });   // server + browser + page
//   await app.page.click('text=Try the demo');
//   assert.deepEqual(app.externalRequests(), []);               // nothing left 127.0.0.1
//   assert.deepEqual(app.errors(), []);                         // no console errors / page errors
//   await app.close();
//
// Lower-level pieces: startServer(), launchBrowser(), recordRequests(page), runAxe(page).
// Servers and browsers opened here are also closed by an after() hook if a test throws first.
// The browser is Debian's /usr/bin/chromium (override: WAYMARK_CHROMIUM), never a downloaded one.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const distDir = path.join(repoRoot, 'web', 'dist');
export const artifactsDir = path.join(here, 'artifacts');

/** The app is ready once its engine (the web worker, with its script and WebAssembly) has
 * started: every asset the app needs has been fetched by then. */
export const APP_READY = 'main[data-engine="worker"]';

export const CHROMIUM_PATH = process.env.WAYMARK_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// Every server and browser started here is closed after the file's tests even when a test throws
// before its own cleanup (an open browser or server would keep `node --test` waiting forever).
const openResources = new Set();
function track(closeFn) {
  const entry = async () => {
    openResources.delete(entry);
    await closeFn();
  };
  openResources.add(entry);
  return entry;
}
export async function closeAll() {
  await Promise.allSettled([...openResources].map((close) => close()));
}
after(closeAll);

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.toml': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serves `root` (default web/dist) on 127.0.0.1 at a free port. Only files inside root are
 * served (GET/HEAD); "/" and directories map to index.html; anything else is a 404.
 * Returns { url, origin, port, root, requests, close() }; `requests` logs what the server saw:
 * { method, path, status }.
 */
export async function startServer({ root = distDir, port = 0 } = {}) {
  const rootReal = await fsp.realpath(root).catch(() => {
    throw new Error(`${root} does not exist: run scripts/build-web first`);
  });
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const send = (status, body, headers = {}) => {
      requests.push({ method: req.method, path: req.url, status });
      res.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(405, 'method not allowed\n', { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
      }
      let rel = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      if (rel.includes('\0')) return send(400, 'bad request\n', { 'Content-Type': 'text/plain' });
      let file = path.resolve(rootReal, '.' + path.posix.normalize('/' + rel));
      let stat = await fsp.stat(file).catch(() => null);
      if (stat && stat.isDirectory()) {
        file = path.join(file, 'index.html');
        stat = await fsp.stat(file).catch(() => null);
      }
      if (!stat || !stat.isFile()) return send(404, 'not found\n', { 'Content-Type': 'text/plain' });
      const real = await fsp.realpath(file);
      const inside = path.relative(rootReal, real);
      if (inside.startsWith('..') || path.isAbsolute(inside)) {
        return send(404, 'not found\n', { 'Content-Type': 'text/plain' });
      }
      const type = MIME[path.extname(real).toLowerCase()] || 'application/octet-stream';
      const body = await fsp.readFile(real);
      send(200, body, { 'Content-Type': type, 'Content-Length': body.length, 'X-Content-Type-Options': 'nosniff' });
    } catch (err) {
      send(500, `server error: ${err.message}\n`, { 'Content-Type': 'text/plain' });
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = server.address().port;
  const origin = `http://127.0.0.1:${actualPort}`;
  const close = track(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  );
  return { url: `${origin}/`, origin, port: actualPort, root: rootReal, requests, close };
}

/** Launches Debian's Chromium headless through playwright-core. */
export async function launchBrowser(options = {}) {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found: run scripts/setup (installs Debian's chromium)`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
    ...options,
  });
  const untrack = track(() => browser.close().catch(() => {}));
  browser.once('disconnected', () => openResources.delete(untrack));
  return browser;
}

/**
 * Records every request the page makes (including ones that fail or are blocked), every console
 * message and every uncaught page error. Returns { requests, failed, console, pageErrors }.
 * requests: { url, method, resourceType }; failed: { url, failure }; console: { type, text }.
 */
export function recordRequests(page) {
  const log = { requests: [], failed: [], console: [], pageErrors: [] };
  page.on('request', (r) => log.requests.push({ url: r.url(), method: r.method(), resourceType: r.resourceType() }));
  page.on('requestfailed', (r) => log.failed.push({ url: r.url(), failure: r.failure()?.errorText ?? 'failed' }));
  page.on('console', (m) => log.console.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => log.pageErrors.push(String(e?.stack || e)));
  return log;
}

/** Whether a request URL stays on `origin` (data:, blob: and about: URLs count as local). */
export function isLocal(url, origin) {
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/**
 * Everything in one call: a server for web/dist, a browser, a fresh context and page, request
 * recording, then page.goto(path) and (if `ready` is given) a wait for that selector.
 * Returns { server, browser, context, page, url, origin, requests, failed, console, pageErrors,
 *           externalRequests(), errors(), screenshot(name), close() }.
 */
export async function openApp({ path: urlPath = '/', ready, timeout = 30_000, contextOptions = {} } = {}) {
  const server = await startServer();
  let browser;
  try {
    browser = await launchBrowser();
    const context = await browser.newContext({ serviceWorkers: 'block', ...contextOptions });
    context.setDefaultTimeout(timeout);
    const page = await context.newPage();
    const log = recordRequests(page);
    const app = {
      server,
      browser,
      context,
      page,
      origin: server.origin,
      url: new URL(urlPath, server.url).href,
      ...log,
      /** Requests that left the local server (should be none: the app works offline). */
      externalRequests: () => log.requests.map((r) => r.url).filter((u) => !isLocal(u, server.origin)),
      /** Console errors and uncaught exceptions, as strings. */
      errors: () => [
        ...log.console.filter((m) => m.type === 'error').map((m) => `console: ${m.text}`),
        ...log.pageErrors.map((e) => `pageerror: ${e}`),
      ],
      /** Saves a PNG under tests/e2e/artifacts/ and returns its path. */
      screenshot: async (name, options = {}) => {
        await fsp.mkdir(artifactsDir, { recursive: true });
        const file = path.join(artifactsDir, name.endsWith('.png') ? name : `${name}.png`);
        await page.screenshot({ path: file, fullPage: true, ...options });
        return file;
      },
      close: async () => {
        await browser.close().catch(() => {});
        await server.close();
      },
    };
    await page.goto(app.url, { waitUntil: 'load', timeout });
    if (ready) await page.waitForSelector(ready, { timeout });
    return app;
  } catch (err) {
    await browser?.close().catch(() => {});
    await server.close();
    throw err;
  }
}

/**
 * Runs axe-core against the page (WCAG 2 A/AA rules by default); returns the violations.
 * The page must come from browser.newContext() (as openApp's does), not browser.newPage().
 */
export async function runAxe(page, { tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'], exclude = [] } = {}) {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  let builder = new AxeBuilder({ page }).withTags(tags);
  for (const selector of exclude) builder = builder.exclude(selector);
  const results = await builder.analyze();
  return results.violations;
}

/** One line per axe violation, for assertion messages. */
export function formatViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    .join('\n');
}

/**
 * The CLI binary the native test stage built: WAYMARK_CLI if set, else debug/waymark under the
 * toolchain's target directory (scripts/setup exports WAYMARK_TARGET_DIR: target/ on the rustup
 * path, target/debian-web on the Debian fallback).
 */
export function cliPath() {
  if (process.env.WAYMARK_CLI) return process.env.WAYMARK_CLI;
  const targetDir = process.env.WAYMARK_TARGET_DIR || path.join(repoRoot, 'target');
  return path.join(targetDir, 'debug', 'waymark');
}
