// The iframe embed: renders one widget from the page's URL parameters.
//
//   kind       direction-summary | spc | pathways | cost-avoidance | early-warning
//   indicator  for spc (crisis_rate, ed_rate, admission_rate...)
//   period     the last day analysed (YYYY-MM-DD)
//   filters    JSON people filter, e.g. {"pathways":["Recovery"]}
//   src        comma-separated CSV URLs on this server (works when the frame is same-origin,
//              i.e. not sandboxed or sandboxed with allow-same-origin)
//   config     a configuration JSON URL on this server (same condition as src)
//   demo=1     the built-in synthetic demo data (works everywhere)
//
// Under sandbox="allow-scripts" alone the frame has an opaque origin and cannot fetch files
// (they would be cross-origin requests without CORS headers), so the host page sends them:
//   frame → parent  {type: 'waymark-ready'}
//   parent → frame  {type: 'waymark-files', files: [{name, bytes: Uint8Array}], config?: string}
//   frame → parent  {type: 'waymark-load', detail} or {type: 'waymark-error', detail: {message}}
// Only messages from the parent window are accepted. Classic script (no modules): module
// scripts and fetch() would need CORS in a sandboxed frame.
/* global wasm_bindgen */
(function () {
  'use strict';
  var params = new URLSearchParams(window.location.search);
  var kind = params.get('kind') || 'direction-summary';
  var statusBox = document.getElementById('status');
  var target = document.getElementById('widget');
  var tell = function (message) {
    if (window.parent !== window) window.parent.postMessage(message, '*');
  };
  var say = function (text, role) {
    statusBox.replaceChildren();
    if (!text) return;
    var p = document.createElement('p');
    p.textContent = text;
    p.setAttribute('role', role || 'status');
    if (role === 'alert') p.className = 'verdict bad';
    statusBox.append(p);
  };
  var options = function () {
    var o = {};
    if (params.get('indicator')) o.indicator = params.get('indicator');
    if (params.get('period')) o.period = params.get('period');
    if (params.get('filters')) o.filter = JSON.parse(params.get('filters'));
    if (params.get('demo') === '1') o.demo = true;
    return o;
  };
  var fail = function (err) {
    var message = String((err && err.message) || err);
    document.body.dataset.state = 'error';
    say('This Waymark widget could not be shown: ' + message, 'alert');
    tell({ type: 'waymark-error', detail: { kind: kind, message: message } });
  };
  var render = function (files, configText) {
    // No worker: a sandboxed frame (opaque origin) cannot start one, so the engine runs in
    // this frame.
    var done = function (summary) {
      say('');
      document.body.dataset.state = 'ready';
      var detail = JSON.parse(summary);
      tell({ type: 'waymark-load', detail: { kind: detail.kind, parse_count: detail.parse_count } });
    };
    try {
      wasm_bindgen.mountWidget(target, kind, files, configText || null, JSON.stringify(options()), null).then(done, fail);
    } catch (err) {
      fail(err);
    }
  };
  var fetchBytes = function (text) {
    var url = new URL(text, document.baseURI);
    return fetch(url, { referrerPolicy: 'no-referrer' }).then(function (r) {
      if (!r.ok) throw new Error('could not read ' + url.pathname + ': HTTP ' + r.status);
      return r.arrayBuffer().then(function (b) {
        var parts = url.pathname.split('/');
        return { name: decodeURIComponent(parts[parts.length - 1]), bytes: new Uint8Array(b) };
      });
    });
  };
  var fromUrls = function () {
    var sources = (params.get('src') || '').split(',').map(function (s) { return s.trim(); }).filter(Boolean);
    var config = params.get('config');
    return Promise.all([
      Promise.all(sources.map(fetchBytes)),
      config ? fetchBytes(config).then(function (f) { return new TextDecoder().decode(f.bytes); }) : null,
    ]).catch(function (err) {
      throw new Error(
        'the files could not be fetched (' + (err && err.message) + '). In a frame sandboxed without ' +
          'allow-same-origin, the host page must send them by postMessage, or use demo=1.',
      );
    });
  };
  var bytes = function (base64) {
    var text = atob(base64);
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  };

  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || !event.data || event.data.type !== 'waymark-files') return;
    var files = (event.data.files || []).map(function (f) {
      return { name: String(f.name), bytes: f.bytes instanceof Uint8Array ? f.bytes : new Uint8Array(f.bytes) };
    });
    started.then(function () { render(files, event.data.config); }, fail);
  });

  var started = wasm_bindgen({ module_or_path: bytes(self.WAYMARK_WASM_BASE64) });
  started
    .then(function () {
      if (params.get('demo') === '1') return render([], null);
      if (params.get('src')) {
        say('Loading…');
        return fromUrls().then(function (loaded) { render(loaded[0], loaded[1]); });
      }
      say('Waiting for the host page to send the files.');
      tell({ type: 'waymark-ready', kind: kind });
    })
    .catch(fail);
})();
