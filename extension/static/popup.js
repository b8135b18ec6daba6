// Starts reading the page before anything else, so the read runs in the tab while the popup's wasm
// loads; then loads the Leptos wasm and mounts the popup, handing it the read under way. No inline
// script, so the page CSP stays strict. The marks are for the benchmark.
import init, { start_popup } from './pkg/sprout_popup.js';

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
const reading = readPage().then((read) => {
  performance.mark('sprout:view-read');
  return read;
});
// The popup awaits it later; a refusal meanwhile is not an unhandled rejection.
reading.catch(() => {});
await init();
performance.mark('sprout:wasm-ready');
start_popup(reading);
