//! `storage.local` and `storage.session`: one typed key at a time, and who may read the session area.

use js_sys::{Object, Promise, Reflect};
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::prelude::*;

use crate::{call, js_error, to_js};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = get)]
    fn local_get(key: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = set)]
    fn local_set(items: &Object) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = remove)]
    fn local_remove(key: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "session"], js_name = get)]
    fn session_get(key: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "session"], js_name = set)]
    fn session_set(items: &Object) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "session"], js_name = remove)]
    fn session_remove(key: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "session"], js_name = setAccessLevel)]
    fn session_set_access_level(options: &JsValue) -> Result<Promise, JsValue>;
}

/// The two storage areas and who can read them (the background's `browser_store.rs` says what goes where).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Persistent; readable by every extension context, content scripts included.
    Local,
    /// In memory until the browser quits; extension pages and the background only.
    Session,
}

/// Reads one key; `None` when absent or stored under an older shape.
pub async fn get<T: DeserializeOwned>(area: Area, key: &str) -> Result<Option<T>, String> {
    let items = call(match area {
        Area::Local => local_get(key),
        Area::Session => session_get(key),
    })
    .await?;
    let value = Reflect::get(&items, &key.into()).map_err(js_error)?;
    if value.is_undefined() {
        return Ok(None);
    }
    Ok(serde_wasm_bindgen::from_value(value).ok())
}

pub async fn set<T: Serialize>(area: Area, key: &str, value: &T) -> Result<(), String> {
    let items = Object::new();
    Reflect::set(&items, &key.into(), &to_js(value)?).map_err(js_error)?;
    call(match area {
        Area::Local => local_set(&items),
        Area::Session => session_set(&items),
    })
    .await
    .map(drop)
}

pub async fn remove(area: Area, key: &str) -> Result<(), String> {
    call(match area {
        Area::Local => local_remove(key),
        Area::Session => session_remove(key),
    })
    .await
    .map(drop)
}

/// Keeps session storage to trusted contexts (the default, stated so that no later change of
/// default or of code can quietly widen it to content scripts). Firefox has no `setAccessLevel`
/// (bugzilla.mozilla.org/show_bug.cgi?id=1724754) and never exposes `storage.session` to content
/// scripts, so there is nothing to pin.
pub async fn restrict_session() -> Result<(), String> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Access {
        access_level: &'static str,
    }
    let set_access_level = ["chrome", "storage", "session", "setAccessLevel"]
        .into_iter()
        .try_fold(js_sys::global().into(), |object: JsValue, key| {
            Reflect::get(&object, &key.into())
                .ok()
                .filter(|v| v.is_object() || v.is_function())
        });
    if !set_access_level.is_some_and(|f| f.is_function()) {
        return Ok(());
    }
    call(session_set_access_level(&to_js(&Access {
        access_level: "TRUSTED_CONTEXTS",
    })?))
    .await
    .map(drop)
}
