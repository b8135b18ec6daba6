//! The browser side of the core client's host traits: `fetch` (gloo-net), `Date.now`,
//! `setTimeout` and `crypto.getRandomValues`, all of which exist in a service worker and an event page.

use std::time::Duration;

use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use js_sys::Promise;
use sprout::api::{
    ApiRequest, ApiResponse, Client, Clock, Entropy, Method, Sleeper, Transport, TransportError,
    check_answer_length,
};
use sprout::connection::Connection;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::RequestRedirect;

#[wasm_bindgen]
extern "C" {
    // Global functions, not `window.*`: a service worker has no window.
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(bytes: &mut [u8]);
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: f64);
}

/// The browser, as the core's `Client` sees it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Browser;

/// The Partner API client of one connection (its server and dialect) over the browser.
pub fn client(connection: &Connection) -> Client<Browser, Browser, Browser, Browser> {
    Client::new(&connection.api_base_url, Browser, Browser, Browser, Browser).with_dialect(connection.dialect)
}

impl Transport for Browser {
    async fn send(&self, request: &ApiRequest) -> Result<ApiResponse, TransportError> {
        // Only http(s) leaves the extension, whatever a stored setting says.
        if !(request.url.starts_with("https://") || request.url.starts_with("http://")) {
            return Err(TransportError::NotSent(format!(
                "not an http(s) URL: {}",
                request.url
            )));
        }
        let method = match request.method {
            Method::Get => HttpMethod::GET,
            Method::Post => HttpMethod::POST,
        };
        // A redirect is refused, never followed: a 307 would re-post a refresh token or a
        // candidate to wherever the server points.
        let mut builder = RequestBuilder::new(&request.url)
            .method(method)
            .redirect(RequestRedirect::Error);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let built = match &request.body {
            Some(body) => builder.body(body.as_str()),
            None => builder.build(),
        };
        let built = built.map_err(|e| TransportError::NotSent(e.to_string()))?;
        // fetch() rejects alike whether or not the request went out, so assume it may have.
        let response = built
            .send()
            .await
            .map_err(|e| TransportError::NoResponse(e.to_string()))?;
        let declared = response.headers().get("content-length");
        if let Some(length) = declared.and_then(|l| l.trim().parse().ok()) {
            check_answer_length(length)?;
        }
        let headers = response.headers().entries().collect();
        let body = response
            .text()
            .await
            .map_err(|e| TransportError::NoResponse(e.to_string()))?;
        check_answer_length(body.len() as u64)?;
        Ok(ApiResponse {
            status: response.status(),
            headers,
            body,
        })
    }
}

impl Clock for Browser {
    fn now_ms(&self) -> u64 {
        js_sys::Date::now() as u64
    }
}

impl Sleeper for Browser {
    async fn sleep(&self, duration: Duration) {
        let ms = duration.as_millis() as f64;
        let timer = Promise::new(&mut |resolve, _reject| set_timeout(&resolve, ms));
        // A timer promise never rejects.
        let _ = JsFuture::from(timer).await;
    }
}

impl Entropy for Browser {
    fn fill(&self, bytes: &mut [u8]) {
        // getRandomValues refuses more than 65536 bytes per call.
        for chunk in bytes.chunks_mut(65_536) {
            get_random_values(chunk);
        }
    }
}
