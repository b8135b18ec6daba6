// The script injected into the active tab on click (scripting.executeScript({files})): the reader's
// wasm-bindgen glue and its wasm bytes, embedded by extension/content/embed.mjs at build time, so
// the page never sees an extension URL to fetch or probe. Everything it declares is local to this
// function: nothing is left on the content script's global scope, and the page's is never touched.
// It evaluates to a promise of the page view (or {error}), which the browser hands to the popup.
(async () => {
  try {
    const started = performance.now();
    /* GLUE */
    const encoded = atob('/* WASM_BASE64 */');
    const bytes = new Uint8Array(encoded.length);
    for (let i = 0; i < encoded.length; i++) bytes[i] = encoded.charCodeAt(i);
    await wasm_bindgen({ module_or_path: bytes });
    const loaded = performance.now();
    const view = wasm_bindgen.read_page();
    // Only JS sees how long decoding and instantiating took; the wasm times the copy.
    view.timings.load_ms = loaded - started;
    return view;
  } catch (e) {
    return { error: String((e && e.message) || e) };
  }
})();
