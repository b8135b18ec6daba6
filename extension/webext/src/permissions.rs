//! `permissions`: host permissions asked for, checked and given back at run time.

use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{call, to_js};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "permissions"], js_name = contains)]
    fn permissions_contains(permissions: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "permissions"], js_name = request)]
    fn permissions_request(permissions: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "permissions"], js_name = remove)]
    fn permissions_remove(permissions: &JsValue) -> Result<Promise, JsValue>;
}

/// Whether the extension may already reach these origins (granted in the manifest or at run time).
pub async fn has_hosts(patterns: &[String]) -> Result<bool, String> {
    #[derive(Serialize)]
    struct Permissions<'a> {
        origins: &'a [String],
    }
    Ok(
        call(permissions_contains(&to_js(&Permissions { origins: patterns })?))
            .await?
            .as_bool()
            .unwrap_or(false),
    )
}

/// Gives back a host permission granted at run time.
pub async fn remove_host(pattern: &str) -> Result<(), String> {
    #[derive(Serialize)]
    struct Permissions<'a> {
        origins: [&'a str; 1],
    }
    call(permissions_remove(&to_js(&Permissions { origins: [pattern] })?))
        .await
        .map(drop)
}

/// Asks the recruiter to let Sprout reach these origins. Browsers only show the prompt during a
/// user gesture, so this must be called synchronously from a click handler; the returned future
/// may be awaited later. Resolves to whether access is granted (at once when it already was).
pub fn request_hosts(patterns: &[String]) -> impl std::future::Future<Output = Result<bool, String>> + use<> {
    #[derive(Serialize)]
    struct Permissions<'a> {
        origins: &'a [String],
    }
    let promise = to_js(&Permissions { origins: patterns }).map(|p| permissions_request(&p));
    async move {
        let granted = call(promise?).await?;
        Ok(granted.as_bool().unwrap_or(false))
    }
}
