// The floor of the popup's read: one executeScript round trip into the tab with a function that
// does nothing, started as early as an extension page can start it (first thing in <head>).
const tabId = Number(new URLSearchParams(location.search).get('tab'));
chrome.scripting.executeScript({ target: { tabId }, func: () => 0 })
  .then(() => performance.mark('bench:floor-read'), () => performance.mark('bench:floor-failed'));
