// Loads the Leptos wasm and mounts the options/onboarding page.
import init, { start_options } from './pkg/sprout_options.js';

await init();
start_options();
