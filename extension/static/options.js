// Loads the Leptos wasm and mounts the options/onboarding page.
import init, { start_options } from './pkg/sprout_popup.js';

await init();
start_options();
