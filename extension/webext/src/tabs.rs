//! `tabs`: which tab the popup acts on and its address. popup.js itself runs the content script
//! (`scripting.executeScript`), before any wasm has loaded.

use js_sys::{Array, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{call, capped_text, to_js};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "tabs"], js_name = query)]
    fn tabs_query(query: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "tabs"], js_name = get)]
    fn tabs_get(tab_id: i32) -> Result<Promise, JsValue>;
}

/// The id of the active tab of the current window, if there is one.
pub async fn active() -> Result<Option<i32>, String> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Query {
        active: bool,
        current_window: bool,
    }
    let tabs: Array = call(tabs_query(&to_js(&Query {
        active: true,
        current_window: true,
    })?))
    .await?
    .into();
    Ok(Reflect::get(&tabs.get(0), &"id".into())
        .ok()
        .and_then(|id| id.as_f64())
        .map(|id| id as i32))
}

/// A tab's address as the browser knows it (which needs nothing of the page), cut to
/// `max_units` UTF-16 units while still a JS string.
pub async fn url(tab_id: i32, max_units: u32) -> Result<String, String> {
    let tab = call(tabs_get(tab_id)).await?;
    Ok(capped_text(&tab, "url", max_units)?.0)
}
