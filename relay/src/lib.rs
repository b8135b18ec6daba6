//! sprout-relay: the stateless service that holds Sprout's Greenhouse client secret, so that the
//! browser extension can sign in with real OAuth (one registered callback URL, a secret kept off
//! the recruiter's machine). Used by its binary, and in process by its tests.

pub mod allow;
mod callback;
pub mod config;
mod server;
mod start;
mod token;

pub use config::{Config, SECRET_ENV, Settings};
pub use server::{Relay, Running, router, serve, spawn};
