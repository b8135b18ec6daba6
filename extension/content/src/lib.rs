//! The content script's wasm: injected on click into the active tab, it reads the page and hands
//! the result back to the popup as data. It holds no secret and can send no privileged message.

use serde::Serialize as _;
use sprout::protocol::ContentToPopup;
use wasm_bindgen::prelude::*;

/// Reads the page this script was injected into.
#[wasm_bindgen]
pub fn read_page() -> Result<JsValue, JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document to read"))?;
    let html_len = document
        .document_element()
        .map(|e| e.outer_html().len())
        .unwrap_or(0);
    let seen = ContentToPopup::PageSeen {
        url: document.url()?,
        title: document.title(),
        html_len: u32::try_from(html_len).unwrap_or(u32::MAX),
    };
    // Plain objects, not Maps: the value crosses executeScript's structured clone.
    Ok(seen.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}
