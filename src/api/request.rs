//! The plain HTTP values handed to and received from a transport, so no HTTP library leaks into the core.

use serde::de::DeserializeOwned;

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
        serde_json::from_str::<serde_json::Value>(&self.body).and_then(serde_json::from_value)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
