//! The browser's WHATWG URL parser as `sprout::url_parse`'s host parser: the standard the url
//! crate implements, so the wasm need not carry the crate's own IDNA tables (47 KB gzipped).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    type URL;

    #[wasm_bindgen(constructor, catch)]
    fn new(url: &str) -> Result<URL, JsValue>;

    #[wasm_bindgen(method, getter)]
    fn hostname(this: &URL) -> String;
}

/// `host` as the browser writes it in an http URL (punycode, lower case), `None` where it
/// refuses it. `sprout::url_parse` hands over only hosts without '/', ':', '@' and the like, so
/// the host is read as exactly that.
pub fn host_to_ascii(host: &str) -> Option<String> {
    URL::new(&format!("http://{host}/"))
        .ok()
        .map(|url| url.hostname())
}
