// Starts reading the page before anything else, then the compiles of the extractor's wasm and the
// popup's UI wasm, in parallel and before their glue modules are even fetched (static imports would
// hold all of this back until the whole module graph had loaded). The extractor takes the page's
// view as soon as both are there, even before the UI has loaded, and the popup is handed the
// extracted page. No inline script, so the page CSP stays strict. The marks are for the benchmark.

/** The tab the popup acts on, as the wasm's `target_tab` chooses it: `?tab=` or the active tab. */
async function targetTab() {
  const asked = new URLSearchParams(location.search).get('tab');
  if (asked !== null && /^[+-]?\d+$/.test(asked)) return Number(asked);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) throw new Error('no active tab');
  return tab.id;
}

/** What the injected reader evaluated to; rejects with the browser's words when it may not run. */
async function readPage() {
  const tabId = await targetTab();
  const [injection] = await chrome.scripting.executeScript({ target: { tabId }, files: ['content.js'] });
  return injection?.result;
}

/** One wasm-bindgen module, its wasm compiled while its glue loads; resolves to the glue, initialised. */
async function load(wasm, importGlue) {
  const compiled = WebAssembly.compileStreaming(fetch(wasm));
  const glue = await importGlue();
  await glue.default({ module_or_path: compiled });
  return glue;
}

performance.mark('sprout:read-start');
const view = readPage();
const extractor = load('./pkg/sprout_extractor_bg.wasm', () => import('./pkg/sprout_extractor.js')).then((glue) => {
  performance.mark('sprout:extractor-ready');
  return glue;
});
const reading = view.then(async (read) => {
  performance.mark('sprout:view-read');
  const { extract_page } = await extractor;
  const page = extract_page(read);
  performance.mark('sprout:page-read');
  return page;
});
// The popup awaits it later; a refusal meanwhile is not an unhandled rejection.
reading.catch(() => {});
const ui = await load('./pkg/sprout_popup_bg.wasm', () => import('./pkg/sprout_popup.js'));
performance.mark('sprout:wasm-ready');
ui.start_popup(reading);
