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

/// The longest answer Sprout reads from a server: far above any page of jobs or candidates, and
/// small enough that a broken or hostile server cannot fill the service worker's memory.
pub const MAX_ANSWER_BYTES: u64 = 5 * 1024 * 1024;

/// Refuses an answer of `length` bytes (its `Content-Length` before reading, then what was read)
/// when it is over [`MAX_ANSWER_BYTES`]. The request went out, so for a create the outcome is
/// unknown, as when no answer came at all.
pub fn check_answer_length(length: u64) -> Result<(), TransportError> {
    if length > MAX_ANSWER_BYTES {
        return Err(TransportError::NoResponse(format!(
            "the answer ({length} bytes) is larger than the {} MB Sprout reads",
            MAX_ANSWER_BYTES / (1024 * 1024)
        )));
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_over_five_megabytes_are_refused_as_if_lost() {
        assert_eq!(check_answer_length(0), Ok(()));
        assert_eq!(check_answer_length(MAX_ANSWER_BYTES), Ok(()));
        assert!(matches!(
            check_answer_length(MAX_ANSWER_BYTES + 1),
            Err(TransportError::NoResponse(why)) if why.contains("5 MB")
        ));
    }
}
