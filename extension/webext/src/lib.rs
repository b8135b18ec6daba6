//! The one binding crate for the WebExtension APIs the extension's wasm calls, one module per API
//! namespace, plus the conversions they all need: serde values as plain JS objects, promises
//! awaited as `Result`s whose error is a readable sentence rather than an opaque JsValue. The
//! `chrome` namespace answers with promises in MV3 on both Chrome and Firefox, so one binding
//! serves both browsers.

pub mod alarms;
pub mod identity;
pub mod indexed_db;
pub mod permissions;
pub mod runtime;
pub mod storage;
pub mod tabs;
pub mod url;

use js_sys::{JsString, Promise, Reflect};
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Plain objects, not Maps: extension APIs and structured clone expect JSON-shaped values.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, String> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| e.to_string())
}

pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// The message of a rejected promise or thrown error, for showing and logging.
pub fn js_error(e: JsValue) -> String {
    Reflect::get(&e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Awaits an extension API call bound with `catch` (it may throw synchronously or reject).
pub async fn call(promise: Result<Promise, JsValue>) -> Result<JsValue, String> {
    JsFuture::from(promise.map_err(js_error)?).await.map_err(js_error)
}

/// The text property `name` of `object`, cut to `max_units` UTF-16 code units while still a JS
/// string, and its whole length: a web page decides how long its title or address is, but not how
/// much of it is copied into wasm.
pub fn capped_text(object: &JsValue, name: &str, max_units: u32) -> Result<(String, u32), String> {
    let whole: JsString = Reflect::get(object, &JsValue::from_str(name))
        .map_err(js_error)?
        .dyn_into()
        .map_err(|_| format!("{name} is not text"))?;
    let len = whole.length();
    let kept = if len > max_units {
        whole.slice(0, max_units)
    } else {
        whole
    };
    Ok((kept.into(), len))
}
