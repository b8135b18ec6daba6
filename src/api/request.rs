//! The plain HTTP values handed to and received from a transport, so no HTTP library leaks into the core.

use std::sync::OnceLock;

use serde::de::{DeserializeOwned, Error as _};
use serde_json::Value;

/// A JSON reader: the text as one `Value`, or why it is no JSON.
pub type ReadJson = fn(&str) -> Result<Value, String>;

static READ_JSON: OnceLock<ReadJson> = OnceLock::new();

/// Sets how response bodies are read into a `Value`: the background's wasm gives the browser's
/// `JSON.parse` when it starts, so it carries no JSON text reader of its own beside the one that
/// turns JS values into a `Value`. Natively the default is serde_json's reader; in a wasm without
/// one, every body reads as malformed.
pub fn use_json_reader(reader: ReadJson) {
    let _ = READ_JSON.set(reader);
}

/// The two methods the Partner API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A request ready to send: the transport copies it onto the wire as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

impl ApiRequest {
    /// First value of a header, matched case-insensitively as HTTP does.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// What came back, whatever the status: interpretation decides what a status means.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl ApiResponse {
    /// First value of a header, matched case-insensitively as HTTP does.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The body's JSON as `T`, read through a `serde_json::Value`: that is the one deserializer
    /// per type the background's wasm also needs for requests and stored records, so no second one
    /// is compiled in for text (13 KB gzipped off the background).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        if too_deep(&self.body) {
            return Err(serde_json::Error::custom("JSON nested too deeply"));
        }
        let read = READ_JSON.get().copied().unwrap_or(default_read_json);
        read(&self.body)
            .map_err(serde_json::Error::custom)
            .and_then(serde_json::from_value)
    }
}

/// serde_json's reader stops at this depth; the browser's has no such limit, and turning its value
/// into a `Value` recurses once per level, so a server's deeply nested body could exhaust the stack.
const MAX_DEPTH: usize = 128;

/// Whether JSON text nests arrays and objects deeper than [`MAX_DEPTH`] (brackets in strings aside).
fn too_deep(text: &str) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for b in text.bytes() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            _ if in_string => {}
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(not(target_arch = "wasm32"))]
fn default_read_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

#[cfg(target_arch = "wasm32")]
fn default_read_json(_text: &str) -> Result<Value, String> {
    Err("no JSON reader".into())
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize, inner: &str) -> String {
        format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn a_body_nested_deeper_than_serde_jsons_limit_is_malformed_whatever_reads_it() {
        assert!(!too_deep(&nested(MAX_DEPTH, "1")));
        assert!(too_deep(&nested(MAX_DEPTH + 1, "1")));
        assert!(too_deep(&format!("{{\"a\": {}}}", nested(MAX_DEPTH, "{}"))));
        // Brackets inside strings, escaped quotes included, are text.
        let text = format!("\"{}\\\"{}\"", "[".repeat(200), "{".repeat(200));
        assert!(!too_deep(&nested(3, &text)), "{text}");
        let response = |body: String| ApiResponse {
            status: 200,
            headers: Vec::new(),
            body,
        };
        assert!(response(nested(MAX_DEPTH + 1, "1")).json::<Value>().is_err());
        assert!(response(nested(100, "1")).json::<Value>().is_ok());
        assert!(response(nested(3, &text)).json::<Value>().is_ok());
    }
}
