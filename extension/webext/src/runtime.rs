//! `runtime`: what the running extension's own manifest says.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::{from_js, js_error};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = getManifest)]
    fn get_manifest() -> Result<JsValue, JsValue>;
}

/// The host permissions this build's manifest asks for at install.
pub fn manifest_host_permissions() -> Result<Vec<String>, String> {
    #[derive(Deserialize)]
    struct Manifest {
        #[serde(default)]
        host_permissions: Vec<String>,
    }
    let manifest: Manifest = from_js(get_manifest().map_err(js_error)?)?;
    Ok(manifest.host_permissions)
}
