//! `identity`: the browser's OAuth redirect URL and its sign-in window.

use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{call, js_error, to_js};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "identity"], js_name = launchWebAuthFlow)]
    fn launch_web_auth_flow(details: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "identity"], js_name = getRedirectURL)]
    fn get_redirect_url() -> Result<String, JsValue>;
}

/// This browser's redirect URL for OAuth: `https://<id>.chromiumapp.org/` in Chrome,
/// `https://<hash>.extensions.allizom.org/` in Firefox.
pub fn redirect_url() -> Result<String, String> {
    get_redirect_url().map_err(js_error)
}

/// Opens the authorize page in the browser's own window and resolves with the URL it redirected to.
pub async fn web_auth_flow(url: &str) -> Result<String, String> {
    #[derive(Serialize)]
    struct Details<'a> {
        url: &'a str,
        interactive: bool,
    }
    call(launch_web_auth_flow(&to_js(&Details {
        url,
        interactive: true,
    })?))
    .await?
    .as_string()
    .ok_or_else(|| "the sign-in window returned no URL".into())
}
