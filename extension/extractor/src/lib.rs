//! The extractor's wasm: popup.js loads it beside the popup's UI wasm and hands it the content
//! script's view as soon as both are there, so the popup's wasm links no HTML parser and the
//! extraction need not wait for Leptos to load. `sprout::page_read::extract_view` decides.

use sprout::protocol::ContentToPopup;
use wasm_bindgen::prelude::*;

/// Runs when popup.js instantiates this wasm: links on the page are read with the browser's host
/// parser (see `sprout::url_parse`).
#[wasm_bindgen(start)]
fn use_browser_hosts() {
    sprout::url_parse::use_host_to_ascii(sprout_webext::url::host_to_ascii);
}

/// The person in what the content script evaluated to, as `sprout::protocol::ExtractedPage`;
/// anything else (the reader's `{error}`) is handed back as it came, for the popup to explain.
#[wasm_bindgen]
pub fn extract_page(read: JsValue) -> Result<JsValue, JsValue> {
    let Ok(view) = serde_wasm_bindgen::from_value::<ContentToPopup>(read.clone()) else {
        return Ok(read);
    };
    let performance = web_sys::window().and_then(|w| w.performance());
    let clock = || performance.as_ref().map_or(0.0, |p| p.now());
    let page = sprout::page_read::extract_view(view, clock);
    // Plain objects, as the popup's `from_js` takes them back.
    Ok(serde::Serialize::serialize(
        &page,
        &serde_wasm_bindgen::Serializer::json_compatible(),
    )?)
}
