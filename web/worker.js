// The analysis engine's web worker: the same WebAssembly module as the page, started in
// worker mode. It parses and analyses the chosen files off the page's thread, so the page
// never freezes. Served from this origin like every other asset (no blob: or data: URLs).
import init, { startEngineWorker } from './app.js';

await init({ module_or_path: './app_bg.wasm' });
startEngineWorker();
