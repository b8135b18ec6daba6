//! Sprout core: everything that can be decided without a browser, shared by the extension's wasm
//! crates, the native tools and the tests.

pub mod address;
pub mod api;
pub mod candidate;
pub mod capture;
pub mod catalog;
pub mod connection;
pub mod duplicates;
pub mod extract;
pub mod link_kind;
pub mod oauth;
pub mod outbox;
pub mod page_read;
pub mod page_view;
pub mod protocol;
pub mod reason;
pub mod relay_state;
pub mod request;
pub mod retention;
pub mod secrets;
pub mod state;
mod stored_v2;
pub mod url_parse;
