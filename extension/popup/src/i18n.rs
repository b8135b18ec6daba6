//! The pages' words in the browser's language: `i18n.getMessage` over _locales/. For a key the
//! browser's locale lacks, the browser itself answers from the default locale (English), and the
//! test below keeps every locale complete, so no copy of the English messages ships in the wasm.

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

/// The message for `key` with `$1`, `$2`, … replaced by `args`, in order (the browser substitutes);
/// the key itself when no locale has it, so a gap shows as a name rather than an empty label.
pub fn t_args(key: &str, args: &[&str]) -> String {
    let substitutions: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
    get_message(key, &substitutions)
        .ok()
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| key.to_owned())
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::{BTreeSet, HashMap};
    use std::path::{Path, PathBuf};

    #[derive(serde::Deserialize)]
    struct Entry {
        message: String,
    }

    /// Every locale the extension ships.
    pub(crate) const LOCALES: [&str; 3] = ["en", "de", "fr"];

    fn locales_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../static/_locales")
    }

    fn keys(locale: &str) -> BTreeSet<String> {
        let path = locales_dir().join(locale).join("messages.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let messages: HashMap<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
        messages.into_keys().collect()
    }

    pub(crate) fn has_key(locale: &str, key: &str) -> bool {
        keys(locale).contains(key)
    }

    /// The `$1`…`$9` a locale's message for `key` uses.
    pub(crate) fn placeholders(locale: &str, key: &str) -> BTreeSet<char> {
        let path = locales_dir().join(locale).join("messages.json");
        let messages: HashMap<String, Entry> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let message = &messages[key].message;
        let mut found = BTreeSet::new();
        let mut chars = message.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().copied()) {
                ('$', Some('$')) => {
                    chars.next();
                }
                ('$', Some(d @ '1'..='9')) => {
                    found.insert(d);
                }
                _ => {}
            }
        }
        found
    }

    /// The keys the pages' Rust sources name literally, as the first argument of `t` or `t_args`.
    fn keys_in_code(dir: &Path, found: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                keys_in_code(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let code = std::fs::read_to_string(&path).unwrap();
                for call in ["t(\"", "t_args(\""] {
                    for (at, _) in code.match_indices(call) {
                        let before = code[..at].chars().next_back();
                        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                            continue;
                        }
                        let rest = &code[at + call.len()..];
                        found.insert(rest[..rest.find('"').unwrap()].to_owned());
                    }
                }
            }
        }
    }

    #[test]
    fn every_locale_has_the_same_keys_and_every_key_used_exists() {
        let shipped: BTreeSet<String> = std::fs::read_dir(locales_dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(shipped, LOCALES.iter().map(|l| l.to_string()).collect());
        let english = keys("en");
        for locale in LOCALES {
            assert_eq!(keys(locale), english, "{locale} has other keys than en");
            for key in &english {
                assert_eq!(
                    placeholders(locale, key),
                    placeholders("en", key),
                    "{locale}'s {key} has other placeholders than en's"
                );
            }
        }
        let mut used = BTreeSet::new();
        keys_in_code(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path(),
            &mut used,
        );
        assert!(used.len() > 80, "the scan finds the pages' keys: {used:?}");
        let missing: Vec<_> = used.difference(&english).collect();
        assert!(missing.is_empty(), "keys used but in no locale: {missing:?}");
    }
}
