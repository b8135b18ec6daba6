//! The side effects the client needs from its host (HTTP, time, waiting, randomness), one trait each,
//! so the service worker plugs in browser APIs and tests plug in native or in-memory ones.
//!
//! Futures are not required to be `Send`: the browser runs everything on one thread.

use std::future::Future;
use std::time::Duration;

use super::request::{ApiRequest, ApiResponse};

/// Why a request produced no response. The split matters for POSTs: only `NotSent` proves that
/// nothing reached the server.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// Failed before any byte of the request left (DNS, connection refused, offline).
    #[error("request not sent: {0}")]
    NotSent(String),
    /// The request may have been delivered but no answer came (timeout, reset, closed connection).
    #[error("no response after sending: {0}")]
    NoResponse(String),
}

/// Sends one request and returns whatever status came back; never retries on its own.
pub trait Transport {
    fn send(&self, request: &ApiRequest) -> impl Future<Output = Result<ApiResponse, TransportError>>;
}

/// Wall-clock time in milliseconds since the Unix epoch (`Date.now()` in the browser), because
/// `std::time::Instant` is unavailable on wasm32-unknown-unknown.
pub trait Clock {
    fn now_ms(&self) -> u64;
}

/// Waits between attempts (`setTimeout` in the browser).
pub trait Sleeper {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()>;
}

/// Cryptographically secure random bytes (`crypto.getRandomValues` in the browser, the OS
/// generator natively). PKCE verifiers and OAuth `state` depend on it being unpredictable.
pub trait Entropy {
    fn fill(&self, bytes: &mut [u8]);

    /// A uniform number in [0, 1), for retry jitter.
    fn unit(&self) -> f64 {
        let mut b = [0u8; 4];
        self.fill(&mut b);
        f64::from(u32::from_le_bytes(b)) / (f64::from(u32::MAX) + 1.0)
    }
}
