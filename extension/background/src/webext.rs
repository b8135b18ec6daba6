//! Typed calls into the WebExtension APIs the background uses (storage, identity, permissions, alarms).
//! The `chrome` namespace answers with promises in MV3 on both Chrome and Firefox.

use js_sys::{Object, Promise, Reflect};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use sprout_webext::{call, from_js, js_error, to_js};
use wasm_bindgen::prelude::*;

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

    #[wasm_bindgen(catch, js_namespace = ["chrome", "identity"], js_name = launchWebAuthFlow)]
    fn launch_web_auth_flow(details: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "identity"], js_name = getRedirectURL)]
    fn get_redirect_url() -> Result<String, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["chrome", "permissions"], js_name = contains)]
    fn permissions_contains(permissions: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "permissions"], js_name = remove)]
    fn permissions_remove(permissions: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = getManifest)]
    fn get_manifest() -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["chrome", "alarms"], js_name = create)]
    fn alarms_create(name: &str, info: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "alarms"], js_name = clear)]
    fn alarms_clear(name: &str) -> Result<Promise, JsValue>;
}

/// The two storage areas and who can read them (see `browser_store.rs` for what goes where).
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
pub async fn restrict_session_storage() -> Result<(), String> {
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

/// Whether the extension may already reach these origins (granted in the manifest or at run time).
pub async fn has_host_permissions(patterns: &[String]) -> Result<bool, String> {
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
pub async fn remove_host_permission(pattern: &str) -> Result<(), String> {
    #[derive(Serialize)]
    struct Permissions<'a> {
        origins: [&'a str; 1],
    }
    call(permissions_remove(&to_js(&Permissions { origins: [pattern] })?))
        .await
        .map(drop)
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

/// Sets (or moves) the alarm `name` to fire at `when_ms` (epoch ms); it survives the worker
/// stopping. Chrome fires alarms no sooner than 30 s after they are set.
pub async fn alarm_at(name: &str, when_ms: u64) -> Result<(), String> {
    #[derive(Serialize)]
    struct Info {
        when: f64,
    }
    call(alarms_create(name, &to_js(&Info { when: when_ms as f64 })?))
        .await
        .map(drop)
}

pub async fn clear_alarm(name: &str) -> Result<(), String> {
    call(alarms_clear(name)).await.map(drop)
}
