//! `tabs` and `scripting`: which tab the popup acts on, its address, and running the content
//! script in it.

use js_sys::{Array, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{call, capped_text, js_error, to_js};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "tabs"], js_name = query)]
    fn tabs_query(query: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "tabs"], js_name = get)]
    fn tabs_get(tab_id: i32) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "scripting"], js_name = executeScript)]
    fn execute_script(injection: &JsValue) -> Result<Promise, JsValue>;
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

/// Runs the extension's script `file` in the tab and returns the value it evaluated to; the error
/// is the browser's own words (e.g. a page extensions may not script).
pub async fn run_script(tab_id: i32, file: &'static str) -> Result<JsValue, String> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Target {
        tab_id: i32,
    }
    #[derive(Serialize)]
    struct Injection {
        target: Target,
        files: [&'static str; 1],
    }
    let injection = Injection {
        target: Target { tab_id },
        files: [file],
    };
    let results: Array = call(execute_script(&to_js(&injection)?)).await?.into();
    Reflect::get(&results.get(0), &"result".into()).map_err(js_error)
}
