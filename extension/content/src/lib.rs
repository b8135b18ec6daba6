//! The content script's wasm: injected on click into the active tab, it reads the page, runs the
//! core extractor on it and hands the Profile back to the popup as data. It holds no secret and
//! can send no privileged message.

use serde::Serialize as _;
use sprout::page_read::{MAX_HTML_UNITS, MAX_TITLE_UNITS, MAX_URL_UNITS};
use sprout::protocol::{ContentToPopup, ReadTimings};
use sprout_webext::capped_text;
use wasm_bindgen::prelude::*;

/// Reads the page this script was injected into and extracts the person it is about.
#[wasm_bindgen]
pub fn read_page() -> Result<JsValue, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window to read"))?;
    let document = window
        .document()
        .ok_or_else(|| JsValue::from_str("no document to read"))?;
    let now = || window.performance().map(|p| p.now()).unwrap_or(0.0);
    let capped = |object: &JsValue, name: &str, max: u32| {
        capped_text(object, name, max).map_err(|e| JsValue::from_str(&e))
    };
    let url = capped(&document, "URL", MAX_URL_UNITS)?.0;

    // The serialized DOM, not the network response: it holds what scripts rendered (LinkedIn and
    // GitHub fill profiles client-side) and costs one pass; the core prunes it before parsing.
    let started = now();
    let (html, html_len) = match document.document_element() {
        Some(root) => capped(&root, "outerHTML", MAX_HTML_UNITS)?,
        None => (String::new(), 0),
    };
    let serialized = now();
    let profile = sprout::extract::extract(&html, &url);
    let extracted = now();

    let read = ContentToPopup::PageRead {
        url,
        title: capped(&document, "title", MAX_TITLE_UNITS)?.0,
        html_len,
        profile,
        timings: ReadTimings {
            load_ms: 0.0,
            serialize_ms: serialized - started,
            extract_ms: extracted - serialized,
        },
    };
    // Plain objects, not Maps: the value crosses executeScript's structured clone.
    Ok(read.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}
