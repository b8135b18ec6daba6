// Injected into the active tab on click (scripting.executeScript): loads the content wasm from the
// extension and evaluates to a promise of what it read, which the browser hands to the popup.
(async () => {
  try {
    const started = performance.now();
    const glue = await import(chrome.runtime.getURL('pkg/sprout_content.js'));
    await glue.default({ module_or_path: chrome.runtime.getURL('pkg/sprout_content_bg.wasm') });
    const read = glue.read_page();
    // Only JS can see how long loading the module took; the wasm reports the rest.
    const t = read.timings;
    t.load_ms = performance.now() - started - t.serialize_ms - t.extract_ms;
    return read;
  } catch (e) {
    return { error: String((e && e.message) || e) };
  }
})();
