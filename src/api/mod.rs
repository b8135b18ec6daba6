//! Greenhouse Partner API: request building, response interpretation, errors, retry policy; transport is a trait.
//! Requests are written and answers read by one module per wire dialect (`greenhouse`, `seed`).
//!
//! Everything here is "sans-IO": an [`Operation`] turns into an [`ApiRequest`] value and an
//! [`ApiResponse`] value turns back into a typed result, so the same code runs under gloo-net in
//! the service worker and under a blocking client in native tests. [`Client`] is the only part
//! that waits, and it does so through the [`Transport`], [`Clock`], [`Sleeper`] and [`Entropy`]
//! traits its host implements.

mod auth;
mod client;
mod dialect;
mod environment;
mod errors;
mod greenhouse;
mod operations;
mod records;
mod request;
mod retry;
mod seed;

pub use auth::Auth;
pub use client::{Client, Landed, Submitted};
pub use dialect::{Capabilities, Dialect};
pub use environment::{Clock, Entropy, Sleeper, Transport, TransportError, check_answer_length};
pub use errors::{ApiError, FieldError};
pub use operations::{
    CreateCandidate, CreateTrackingLink, GetCurrentUser, ListCandidates, ListJobs, ListProspectPools,
    Operation,
};
pub use records::{ApplicationStatus, Created, Record};
pub use request::{ApiRequest, ApiResponse, Method, ReadJson, use_json_reader};
pub use retry::{RetryPolicy, Verdict};

/// Production base URL of the Partner API, from the contract's `servers`.
pub const GREENHOUSE_BASE_URL: &str = "https://api.greenhouse.io/v1/partner";
