// Sends this site's CSV files to the sandboxed Waymark frame when it says it is ready, and
// records what the frames report (the end-to-end test reads #embed-log's data attributes).
const FILES = ['people', 'outcomes', 'events', 'goals', 'status', 'feedback'].map((t) => `data/${t}.csv`);
const frame = document.getElementById('files-frame');
const log = document.getElementById('embed-log');

window.addEventListener('message', async (event) => {
  const message = event.data || {};
  const from = event.source === frame.contentWindow ? 'files' : 'demo';
  if (message.type === 'waymark-ready' && from === 'files') {
    const files = await Promise.all(
      FILES.map(async (url) => ({ name: url.split('/').pop(), bytes: new Uint8Array(await (await fetch(url)).arrayBuffer()) })),
    );
    // The frame's origin is opaque, so '*' is the only target origin that reaches it.
    frame.contentWindow.postMessage({ type: 'waymark-files', files }, '*');
  } else if (message.type === 'waymark-load' || message.type === 'waymark-error') {
    log.dataset[from] = message.type === 'waymark-load' ? 'loaded' : `error: ${message.detail?.message}`;
    log.textContent = `Frames: ${Object.entries(log.dataset).map(([k, v]) => `${k} ${v}`).join('; ')}`;
  }
});
