// Loads the app's WebAssembly from this origin. Kept as a file (not inline) so the
// Content-Security-Policy can forbid inline script.
import init from './app.js';
await init({ module_or_path: './app_bg.wasm' });
