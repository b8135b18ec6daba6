// Loads the Leptos wasm and mounts the popup; no inline script, so the page CSP stays strict.
import init, { start_popup } from './pkg/sprout_popup.js';

await init();
start_popup();
