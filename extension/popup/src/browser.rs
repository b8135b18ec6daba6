//! What the popup and options pages ask of the browser, in their own terms: the tab to read and
//! what it read (with the words to show when it cannot be read), timers, the clipboard and picked
//! files, and the job and pool lists the background cached. The background has its own facade, `crate::background`; the WebExtension bindings
//! themselves are in `sprout-webext`.

use crate::i18n::{t, t_args};
use js_sys::{Promise, Reflect};
use sprout::api::Sleeper;
use sprout::catalog::Catalog;
use sprout::page_read::MAX_URL_UNITS;
use sprout::protocol::ExtractedPage;
use sprout_webext::{call, from_js, indexed_db, runtime, tabs};
use std::time::Duration;
use wasm_bindgen::prelude::*;

/// The tab the popup acts on: the `tab` query parameter when the page was opened in a tab of its
/// own (tests, "open in a tab"), else the active tab of the current window.
pub async fn target_tab() -> Result<i32, String> {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let from_query = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("tab"));
    if let Some(id) = from_query.and_then(|t| t.parse().ok()) {
        return Ok(id);
    }
    tabs::active().await?.ok_or_else(|| t("pageNoTab"))
}

/// A tab's address as the browser knows it, which needs nothing of the page, cut as the content
/// script cuts the address it reads.
pub async fn tab_url(tab_id: i32) -> Result<String, String> {
    tabs::url(tab_id, MAX_URL_UNITS).await
}

/// The page popup.js read and had the extractor's wasm extract (`read` resolves to the
/// `ExtractedPage`, or to what the reader evaluated to when that was an error): the person and
/// the page's facts.
pub async fn read_tab(read: Promise) -> Result<ExtractedPage, String> {
    let result = call(Ok(read)).await.map_err(explain_injection_error)?;
    if let Some(message) = Reflect::get(&result, &"error".into())
        .ok()
        .and_then(|e| e.as_string())
    {
        return Err(t_args("pageUnreadable", &[&message]));
    }
    from_js(result)
}

/// Browsers refuse to inject into their own pages and the web stores; say so in words.
fn explain_injection_error(raw: String) -> String {
    let restricted = [
        "cannot be scripted",
        "Cannot access",
        "Missing host permission",
        "chrome://",
    ];
    if restricted.iter().any(|r| raw.contains(r)) {
        t_args("pageRestricted", &[&raw])
    } else {
        t_args("pageUnreadable", &[&raw])
    }
}

/// The connection's jobs and pools as the background last cached them, read from the extension's
/// IndexedDB (the popup's origin is the background's): 10,000 jobs are not copied through a
/// runtime message, and the background stays free for the form's small requests meanwhile.
pub async fn cached_catalog(connection_id: &str) -> Result<Option<Catalog>, String> {
    let db = indexed_db::open().await?;
    let catalog = indexed_db::get(&db, indexed_db::CATALOG, connection_id.into()).await;
    db.close();
    catalog
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = measure)]
    fn performance_measure(name: &str, options: &JsValue);
}

/// Opens Sprout's settings (connections, sign-in) in a tab.
pub async fn open_settings() -> Result<(), String> {
    runtime::open_options().await
}

/// `setTimeout`, as the core's [`Sleeper`].
pub struct Timer;

impl Sleeper for Timer {
    fn sleep(&self, duration: Duration) -> impl std::future::Future<Output = ()> {
        sleep(i32::try_from(duration.as_millis()).unwrap_or(i32::MAX))
    }
}

/// Resolves in the first task after the browser has drawn the next frame, so that what the DOM
/// holds now is on screen before what comes next is built; or after `AFTER_PAINT_AT_MOST_MS` when
/// no frame comes (a hidden page draws none).
pub async fn after_paint() {
    let promise = Promise::new(&mut |resolve, _| {
        let Some(window) = web_sys::window() else {
            let _ = resolve.call0(&JsValue::NULL);
            return;
        };
        let _ =
            window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, AFTER_PAINT_AT_MOST_MS);
        let after_frame = Closure::once_into_js(move || {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback(&resolve);
            }
        });
        let _ = window.request_animation_frame(after_frame.unchecked_ref());
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// How long `after_paint` waits for a frame.
const AFTER_PAINT_AT_MOST_MS: i32 = 100;

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// `performance.now()`, for the harness's timing marks.
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// `performance.mark(name)`: a User Timing mark the harness reads (harmless in production).
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// `performance.measure(name, { start })`: from `start` (a `now()` reading) until now.
pub fn measure_since(name: &str, start: f64) {
    let options = js_sys::Object::new();
    let _ = Reflect::set(&options, &"start".into(), &start.into());
    performance_measure(name, &options);
}

/// Puts `text` on the clipboard; fails when the browser refuses (e.g. the popup lost focus).
pub async fn copy_to_clipboard(text: &str) -> Result<(), String> {
    let clipboard = web_sys::window().ok_or("no window")?.navigator().clipboard();
    call(Ok(clipboard.write_text(text))).await.map(drop)
}

/// The bytes of a file the recruiter picked or dropped.
pub async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = call(Ok(file.array_buffer())).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
