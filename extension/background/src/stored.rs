//! Reads what storage and IndexedDB hold through one `serde_json::Value`, so each record type has
//! one deserializer compiled in (serde_json's, which requests already use) and its
//! `deny_unknown_fields` holds: serde-wasm-bindgen's struct reader looks up only the declared fields.

use serde::de::DeserializeOwned;
use serde_json::Value;
use sprout_webext::storage::{self, Area};
use wasm_bindgen::JsValue;

/// A read value as `T`, refusing any field `T` does not declare.
pub fn typed<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// A JS value as `T`, as [`typed`] reads it.
pub fn decode<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    typed(sprout_webext::from_js(value)?)
}

/// A read value as `T`; one of another shape reads as absent, as `indexed_db::get` and
/// `storage::get` treat it.
pub fn shaped<T: DeserializeOwned>(value: Option<Value>) -> Option<T> {
    value.and_then(|v| typed(v).ok())
}

/// `storage::get`, decoded as above.
pub async fn get<T: DeserializeOwned>(area: Area, key: &str) -> Result<Option<T>, String> {
    Ok(shaped(storage::get(area, key).await?))
}
