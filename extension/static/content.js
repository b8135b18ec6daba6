// Injected into the active tab on click (scripting.executeScript): loads the content wasm from the
// extension and evaluates to a promise of what it read, which the browser hands to the popup.
(async () => {
  try {
    const glue = await import(chrome.runtime.getURL('pkg/sprout_content.js'));
    await glue.default({ module_or_path: chrome.runtime.getURL('pkg/sprout_content_bg.wasm') });
    return glue.read_page();
  } catch (e) {
    return { error: String((e && e.message) || e) };
  }
})();
