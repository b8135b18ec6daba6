// Starts reading the page before anything else and loads the extractor's wasm and the popup's UI
// wasm meanwhile, in parallel; the extractor takes the page's view as soon as both are there, even
// before the UI has loaded, and the popup is handed the extracted page. No inline script, so the
// page CSP stays strict. The marks are for the benchmark.
import init, { start_popup } from './pkg/sprout_popup.js';
import initExtractor, { extract_page } from './pkg/sprout_extractor.js';

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

performance.mark('sprout:read-start');
const extractor = initExtractor().then(() => performance.mark('sprout:extractor-ready'));
const reading = readPage().then(async (view) => {
  performance.mark('sprout:view-read');
  await extractor;
  const read = extract_page(view);
  performance.mark('sprout:page-read');
  return read;
});
// The popup awaits it later; a refusal meanwhile is not an unhandled rejection.
reading.catch(() => {});
await init();
performance.mark('sprout:wasm-ready');
start_popup(reading);
