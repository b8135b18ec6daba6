//! The background's wasm: decodes every message at the boundary, checks who sent it, and answers.
//! Listeners live in background.js so they are registered synchronously when the worker wakes.

use serde::Serialize as _;
use sprout::protocol::{BackgroundToPopup, PopupToBackground, Sender};
use wasm_bindgen::prelude::*;

/// Answers one `runtime.onMessage` message. `own_id` and `own_origin` come from the runtime so the
/// check compares against what the browser says this extension is, not against a constant.
#[wasm_bindgen]
pub fn handle_message(message: JsValue, sender: JsValue, own_id: &str, own_origin: &str) -> JsValue {
    let answer = answer(message, sender, own_id, own_origin);
    if let BackgroundToPopup::Refused { reason } = &answer {
        web_sys::console::warn_1(&format!("sprout: refused a message: {reason}").into());
    }
    answer
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

fn answer(message: JsValue, sender: JsValue, own_id: &str, own_origin: &str) -> BackgroundToPopup {
    let sender: Sender = match serde_wasm_bindgen::from_value(sender) {
        Ok(sender) => sender,
        Err(e) => {
            return BackgroundToPopup::Refused {
                reason: format!("unreadable sender: {e}"),
            };
        }
    };
    if !sender.is_extension_page(own_id, own_origin) {
        return BackgroundToPopup::Refused {
            reason: format!("sender {:?} is not one of this extension's pages", sender.url),
        };
    }
    match serde_wasm_bindgen::from_value::<PopupToBackground>(message) {
        Ok(PopupToBackground::Ping {}) => BackgroundToPopup::Pong {
            version: env!("CARGO_PKG_VERSION").into(),
        },
        Err(e) => BackgroundToPopup::Refused {
            reason: format!("unknown message: {e}"),
        },
    }
}
