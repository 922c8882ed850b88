// <waymark-widget>: one of Waymark's key visuals on any page of your own (an intranet, a CMS),
// analysed inside the viewer's browser. A thin class: it registers the element, fetches the
// files the page names (same-origin only) or lets the viewer pick them, and hands them to the
// Yew component compiled into app_bg.wasm, which renders into the element's shadow root. The
// files are analysed in the app's engine worker (worker.js, beside this file), so the host
// page stays responsive however large they are.
// wasm-bindgen cannot subclass HTMLElement, hence this file.
//
//   <script type="module" src="/waymark/waymark-widget.js"></script>
//   <waymark-widget kind="spc" indicator="crisis_rate" src="/data/people.csv,/data/events.csv"></waymark-widget>
//
// Attributes: kind (direction-summary | spc | pathways | cost-avoidance | early-warning),
// src (same-origin CSV URLs, comma-separated; none: a file picker), config (a JSON URL, or a
// child <script type="application/json"> with the configuration), indicator (spc),
// period (the last day analysed, YYYY-MM-DD), filters (JSON, e.g. {"pathways":["Recovery"]}).
// Events (bubble out of the shadow root): waymark-load {detail: {kind, people, parse_count...}},
// waymark-error {detail: {message}}. Style with CSS custom properties (see widget.css).
// No inline script or style is used, so a strict Content-Security-Policy works:
//   script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'
// (the worker is allowed by script-src 'self'; a worker-src directive must allow 'self' too).

import init, { mountWidget, widgetParseCount } from './app.js';

const asset = (name) => new URL(name, import.meta.url).href;

// One WebAssembly instance for every widget on the page.
let started;
function start() {
  started ??= init({ module_or_path: asset('app_bg.wasm') });
  return started;
}

// Each URL is downloaded once however many widgets show it.
const downloads = new Map();

function sameOriginUrl(text, what) {
  const url = new URL(text, document.baseURI);
  if (url.origin !== window.location.origin) {
    throw new Error(
      `Waymark only reads ${what} from this site (${window.location.origin}); ${url.href} is on another site, so it was not requested.`,
    );
  }
  return url;
}

function download(url, what) {
  const key = url.href;
  if (!downloads.has(key)) {
    downloads.set(
      key,
      fetch(url, { credentials: 'same-origin', referrerPolicy: 'no-referrer' }).then(async (response) => {
        if (!response.ok) throw new Error(`Could not read the ${what} ${url.pathname}: HTTP ${response.status}.`);
        return new Uint8Array(await response.arrayBuffer());
      }),
    );
  }
  return downloads.get(key);
}

function fileName(url) {
  const parts = url.pathname.split('/');
  return decodeURIComponent(parts[parts.length - 1] || 'data.csv');
}

const TITLES = {
  'direction-summary': 'Direction of travel',
  spc: 'Service indicator chart',
  pathways: 'Pathway comparison',
  'cost-avoidance': 'Cost avoided',
  'early-warning': 'Early warnings',
};

export class WaymarkWidget extends HTMLElement {
  static observedAttributes = ['kind', 'src', 'config', 'indicator', 'period', 'filters'];

  /** Parses done by all widgets on this page (one per distinct set of files). */
  static async parseCount() {
    await start();
    return widgetParseCount();
  }

  #root;
  #mount;
  #status;
  #pending = false;
  #picked = null;
  #serial = 0;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    for (const sheet of ['style.css', 'widget.css']) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = asset(sheet);
      this.#root.append(link);
    }
    this.#status = document.createElement('div');
    this.#status.className = 'widget-status';
    this.#status.setAttribute('aria-live', 'polite');
    this.#mount = document.createElement('div');
    this.#mount.className = 'widget-mount';
    this.#root.append(this.#status, this.#mount);
  }

  connectedCallback() {
    this.#schedule();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.#schedule();
  }

  // Attributes set one after another render once.
  #schedule() {
    if (this.#pending) return;
    this.#pending = true;
    queueMicrotask(() => {
      this.#pending = false;
      this.#load();
    });
  }

  #say(text, role = 'status') {
    this.#status.replaceChildren();
    if (!text) return;
    const p = document.createElement('p');
    p.textContent = text;
    p.setAttribute('role', role);
    if (role === 'alert') p.className = 'verdict bad';
    this.#status.append(p);
  }

  async #configText() {
    const inline = this.querySelector('script[type="application/json"]');
    if (inline) return inline.textContent;
    const configUrl = this.getAttribute('config');
    if (!configUrl) return null;
    const bytes = await download(sameOriginUrl(configUrl, 'configuration'), 'configuration');
    return new TextDecoder().decode(bytes);
  }

  #options() {
    const options = {};
    const indicator = this.getAttribute('indicator');
    if (indicator) options.indicator = indicator;
    const period = this.getAttribute('period');
    if (period) options.period = period;
    const filters = this.getAttribute('filters');
    if (filters) {
      try {
        options.filter = JSON.parse(filters);
      } catch {
        throw new Error('The filters attribute is not JSON (for example {"pathways":["Recovery"]}).');
      }
    }
    return options;
  }

  #showPicker() {
    const id = 'waymark-files';
    const wrap = document.createElement('div');
    wrap.className = 'widget-picker';
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = `${TITLES[this.getAttribute('kind')] ?? 'Waymark'}: choose your CSV exports (they stay on this device)`;
    const input = document.createElement('input');
    input.type = 'file';
    input.id = id;
    input.multiple = true;
    input.accept = '.csv,.txt,.tsv,text/csv,.xlsx,.xlsm,.xls,.ods';
    input.addEventListener('change', async () => {
      this.#picked = await Promise.all(
        [...input.files].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
      );
      this.#schedule();
    });
    wrap.append(label, input);
    this.#mount.replaceChildren(wrap);
  }

  async #load() {
    const kind = this.getAttribute('kind') || 'direction-summary';
    this.dataset.state = 'loading';
    try {
      const sources = (this.getAttribute('src') || '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      let files;
      if (sources.length > 0) {
        const urls = sources.map((s) => sameOriginUrl(s, 'data files'));
        this.#say('Loading…');
        files = await Promise.all(
          urls.map(async (url) => ({ name: fileName(url), bytes: await download(url, 'file') })),
        );
      } else if (this.#picked) {
        files = this.#picked;
      } else {
        this.#say('');
        this.#showPicker();
        this.dataset.state = 'waiting';
        return;
      }
      const [configText] = await Promise.all([this.#configText(), start()]);
      const options = this.#options();
      const serial = ++this.#serial;
      this.#say('Analysing…');
      const summary = await mountWidget(this.#mount, kind, files, configText, JSON.stringify(options), asset('worker.js'));
      // Attributes changed while this analysis ran: the newer load reports instead.
      if (serial !== this.#serial) return;
      this.#say('');
      const detail = JSON.parse(summary);
      this.dataset.engine = detail.engine;
      this.dataset.state = 'ready';
      this.dispatchEvent(new CustomEvent('waymark-load', { bubbles: true, composed: true, detail }));
    } catch (err) {
      const message = String(err?.message ?? err);
      this.dataset.state = 'error';
      this.#say(`This Waymark widget could not be shown: ${message}`, 'alert');
      this.dispatchEvent(new CustomEvent('waymark-error', { bubbles: true, composed: true, detail: { kind, message } }));
    }
  }
}

if (!customElements.get('waymark-widget')) customElements.define('waymark-widget', WaymarkWidget);
