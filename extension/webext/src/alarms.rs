//! `alarms`: wake-ups that outlive a stopped service worker.

use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{call, to_js};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "alarms"], js_name = create)]
    fn alarms_create(name: &str, info: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "alarms"], js_name = clear)]
    fn alarms_clear(name: &str) -> Result<Promise, JsValue>;
}

/// Sets (or moves) the alarm `name` to fire at `when_ms` (epoch ms); it survives the worker
/// stopping. Chrome fires alarms no sooner than 30 s after they are set.
pub async fn set_at(name: &str, when_ms: u64) -> Result<(), String> {
    #[derive(Serialize)]
    struct Info {
        when: f64,
    }
    call(alarms_create(name, &to_js(&Info { when: when_ms as f64 })?))
        .await
        .map(drop)
}

pub async fn clear(name: &str) -> Result<(), String> {
    call(alarms_clear(name)).await.map(drop)
}
