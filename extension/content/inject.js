// The script injected into the active tab on click (scripting.executeScript({files})): the reader's
// wasm-bindgen glue and its wasm bytes, embedded by extension/content/embed.mjs at build time, so
// the page never sees an extension URL to fetch or probe. Everything it declares is local to this
// function: nothing is left on the content script's global scope, and the page's is never touched.
// It evaluates to the page view (or {error}), which the browser hands to the popup.
(() => {
  try {
    const started = performance.now();
    /* GLUE */
    const encoded = '/* WASM_BASE64 */';
    // Native decoding where the browser has it (Chrome 140, Firefox 133); the manifest allows
    // Chrome from 121.
    const bytes = Uint8Array.fromBase64?.(encoded) ?? Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
    // Compiled and instantiated synchronously: the module is small, and the asynchronous path
    // costs the read a few task turns in the page.
    wasm_bindgen.initSync({ module: bytes });
    const loaded = performance.now();
    const view = wasm_bindgen.read_page();
    // Only JS sees how long decoding and instantiating took; the wasm times the copy.
    view.timings.load_ms = loaded - started;
    // For the benchmark, on the clock every page shares: when the script began and ended, so that
    // the round trip's rest splits into the way in (injection, parse) and the way out (the clone).
    view.timings.began_at = performance.timeOrigin + started;
    view.timings.ended_at = performance.timeOrigin + performance.now();
    return view;
  } catch (e) {
    return { error: String((e && e.message) || e) };
  }
})();
