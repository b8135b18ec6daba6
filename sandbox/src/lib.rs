//! sprout-sandbox: a local stand-in for Greenhouse's Partner API and OAuth server, used by
//! Sprout's tests (in process, on an ephemeral loopback port) and demos (the binary).

// Handlers return early with ready-made error responses; boxing them buys nothing on a test server.
#![allow(clippy::result_large_err)]

mod admin;
mod auth;
pub mod config;
mod dialect;
mod docs_org;
mod faults;
mod oauth;
mod people;
mod seed;
mod server;
mod store;
mod validate;

pub use config::Config;
pub use server::{Running, banner, bind, router, serve, spawn};
