//! The pages' words in the browser's language: `i18n.getMessage` over _locales/, falling back to
//! the bundled English messages when a locale lacks a key, so a missing translation never shows
//! up as an empty label.

use std::collections::HashMap;
use std::sync::OnceLock;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "i18n"], js_name = getMessage)]
    fn get_message(key: &str, substitutions: &js_sys::Array) -> Result<JsValue, JsValue>;
}

/// The message for `key`.
pub fn t(key: &str) -> String {
    t_args(key, &[])
}

/// The message for `key` with `$1`, `$2`, … replaced by `args`, in order.
pub fn t_args(key: &str, args: &[&str]) -> String {
    let substitutions: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
    get_message(key, &substitutions)
        .ok()
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| substitute(&english(key), args))
}

fn english(key: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Entry {
        message: String,
    }
    static ENGLISH: OnceLock<HashMap<String, Entry>> = OnceLock::new();
    ENGLISH
        .get_or_init(|| {
            serde_json::from_str(include_str!("../../static/_locales/en/messages.json")).unwrap_or_default()
        })
        .get(key)
        .map_or_else(|| key.to_owned(), |e| e.message.clone())
}

/// Chrome's and Firefox's direct substitutions: `$1`…`$9` (`$$` is a literal dollar).
fn substitute(message: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().copied()) {
            ('$', Some('$')) => {
                chars.next();
                out.push('$');
            }
            ('$', Some(d @ '1'..='9')) => {
                chars.next();
                let i = d as usize - '1' as usize;
                out.push_str(args.get(i).copied().unwrap_or_default());
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_positional_arguments() {
        assert_eq!(
            substitute("$1 more, keep typing", &["12"]),
            "12 more, keep typing"
        );
        assert_eq!(substitute("$2 of $1 costs $$5", &["a", "b"]), "b of a costs $5");
        assert_eq!(substitute("missing $3", &["a"]), "missing ");
    }

    #[test]
    fn english_messages_parse_and_fall_back_to_the_key() {
        assert_eq!(english("submit"), "Send to Greenhouse");
        assert_eq!(english("noSuchKey"), "noSuchKey");
    }
}
