//! Messages between the extension's contexts, named by direction and tagged `type`, so every
//! boundary decodes into one closed enum and rejects what it does not know.

use serde::{Deserialize, Serialize};

use crate::extract::Profile;

/// What the popup (or options page) may ask of the background.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum PopupToBackground {
    Ping {},
}

/// The background's answers to the popup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BackgroundToPopup {
    Pong {
        version: String,
    },
    /// A request the background would not serve, with the reason in words.
    Refused {
        reason: String,
    },
}

/// What the content script hands back to the popup after reading a page. Data, never a command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentToPopup {
    PageRead {
        url: String,
        title: String,
        /// Length of the page's serialized HTML, in UTF-16 code units as the DOM counts them.
        html_len: u32,
        profile: Profile,
        timings: ReadTimings,
    },
}

/// Where the content script's time went, in milliseconds, for the in-browser benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ReadTimings {
    /// Importing and instantiating the content wasm (filled in by content.js, which alone sees it).
    #[serde(default)]
    pub load_ms: f64,
    /// Serializing the live DOM to HTML.
    pub serialize_ms: f64,
    /// Pruning, parsing and extracting in wasm.
    pub extract_ms: f64,
}

/// Who sent a `runtime.onMessage` message, as the browser reports it (`runtime.MessageSender`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Sender {
    pub id: Option<String>,
    pub url: Option<String>,
}

impl Sender {
    /// True only for this extension's own pages (popup, options, background). Content scripts
    /// carry this extension's id too but the URL of the web page they run in, so they fail here:
    /// what they send is data, never a command.
    pub fn is_extension_page(&self, own_id: &str, own_origin: &str) -> bool {
        self.id.as_deref() == Some(own_id)
            && !own_origin.is_empty()
            && self.url.as_deref().is_some_and(|url| url.starts_with(own_origin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_round_trip_with_their_tag() {
        let ping = serde_json::to_value(PopupToBackground::Ping {}).unwrap();
        assert_eq!(ping, json!({"type": "ping"}));
        assert_eq!(
            serde_json::from_value::<PopupToBackground>(ping).unwrap(),
            PopupToBackground::Ping {}
        );
        let read = ContentToPopup::PageRead {
            url: "http://127.0.0.1/".into(),
            title: "T".into(),
            html_len: 3,
            profile: crate::extract::extract("<title>Ada Lovelace</title>", "https://example.com/ada"),
            timings: ReadTimings {
                load_ms: 9.0,
                serialize_ms: 1.5,
                extract_ms: 2.0,
            },
        };
        let v = serde_json::to_value(&read).unwrap();
        assert_eq!(v["type"], "page_read");
        assert_eq!(serde_json::from_value::<ContentToPopup>(v).unwrap(), read);
    }

    #[test]
    fn unknown_types_and_fields_are_rejected() {
        assert!(serde_json::from_value::<PopupToBackground>(json!({"type": "steal_token"})).is_err());
        assert!(serde_json::from_value::<PopupToBackground>(json!({"type": "ping", "x": 1})).is_err());
    }

    #[test]
    fn only_this_extensions_pages_are_privileged() {
        let origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/";
        let id = "abcdefghijklmnopabcdefghijklmnop";
        let popup = Sender {
            id: Some(id.into()),
            url: Some(format!("{origin}popup.html")),
        };
        assert!(popup.is_extension_page(id, origin));
        let content_script = Sender {
            id: Some(id.into()),
            url: Some("https://evil.example/".into()),
        };
        assert!(!content_script.is_extension_page(id, origin));
        let other_extension = Sender {
            id: Some("other".into()),
            url: Some(format!("{origin}popup.html")),
        };
        assert!(!other_extension.is_extension_page(id, origin));
        let lookalike = Sender {
            id: Some(id.into()),
            url: Some(format!("{}x/", origin.trim_end_matches('/'))),
        };
        assert!(!lookalike.is_extension_page(id, origin));
        assert!(!Sender::default().is_extension_page(id, origin));
        assert!(!popup.is_extension_page(id, ""));
    }
}
