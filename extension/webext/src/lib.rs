//! The few conversions every extension page and the background need when calling WebExtension
//! APIs from Rust: serde values as plain JS objects, promises awaited as `Result`s whose error is
//! a readable sentence rather than an opaque JsValue.

use js_sys::{Promise, Reflect};
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::JsValue;
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
