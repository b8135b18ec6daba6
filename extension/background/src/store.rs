//! Where each piece of a connection is kept, and who can read it.
//!
//! - `storage.local` (persistent, readable by every extension context including injected content
//!   scripts): the connection settings and the active connection id. Nothing secret.
//! - `storage.session` (memory only, gone when the browser quits; readable only by the extension's
//!   pages and background, never by content scripts unless `setAccessLevel` widens it, which
//!   `restrict_session_storage` pins): access and refresh tokens, the Partner API key, the OAuth
//!   client secret, and who is signed in. Content scripts can read `storage.local` (MDN,
//!   StorageArea.setAccessLevel: "all other storage areas are exposed to all extension contexts,
//!   including content scripts"), so no secret goes there. The price: after a browser restart the
//!   recruiter signs in (or enters the Partner API key) again.
//! - IndexedDB of the extension's origin (`storage.rs`; persistent, not reachable from content
//!   scripts, no 10 MB quota): the outbox, the ledger of delivered people, and per-connection
//!   caches (jobs and pools, last target, what the role allows).

use serde::{Deserialize, Serialize};
use sprout::candidate::CurrentUser;
use sprout::connection::Connection;
use sprout::oauth::Tokens;

use crate::storage;
use crate::webext::{self, Area};

const CONNECTIONS: &str = "connections";
const ACTIVE: &str = "active_connection";

fn session_key(id: &str) -> String {
    format!("connection_session:{id}")
}

/// The secret and per-sign-in part of a connection, kept in `storage.session`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Secrets {
    pub tokens: Option<Tokens>,
    /// The Partner API key (Partner-key mode) or the OAuth client secret (private deployment).
    pub secret: Option<String>,
    pub user: Option<CurrentUser>,
    /// Set when a refresh was refused: the recruiter has to sign in again.
    pub sign_in_again: bool,
}

pub async fn connections() -> Result<Vec<Connection>, String> {
    Ok(webext::get(Area::Local, CONNECTIONS).await?.unwrap_or_default())
}

pub async fn connection(id: &str) -> Result<Connection, String> {
    connections()
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| "That connection no longer exists. Reload the settings page.".to_string())
}

/// Adds or replaces (by id) one connection.
pub async fn put_connection(connection: &Connection) -> Result<(), String> {
    let mut all = connections().await?;
    match all.iter_mut().find(|c| c.id == connection.id) {
        Some(existing) => *existing = connection.clone(),
        None => all.push(connection.clone()),
    }
    webext::set(Area::Local, CONNECTIONS, &all).await
}

/// Forgets a connection entirely: settings, tokens, secrets, caches, ledger, and the active choice
/// if it was it. Its outbox items stay (the outbox marks them failed) so nothing vanishes unseen.
pub async fn forget(id: &str) -> Result<(), String> {
    let mut all = connections().await?;
    all.retain(|c| c.id != id);
    webext::set(Area::Local, CONNECTIONS, &all).await?;
    webext::remove(Area::Session, &session_key(id)).await?;
    if active().await?.as_deref() == Some(id) {
        webext::remove(Area::Local, ACTIVE).await?;
    }
    storage::forget_connection(id).await
}

pub async fn active() -> Result<Option<String>, String> {
    webext::get(Area::Local, ACTIVE).await
}

pub async fn set_active(id: &str) -> Result<(), String> {
    webext::set(Area::Local, ACTIVE, &id).await
}

pub async fn secrets(id: &str) -> Result<Secrets, String> {
    Ok(webext::get(Area::Session, &session_key(id))
        .await?
        .unwrap_or_default())
}

pub async fn put_secrets(id: &str, secrets: &Secrets) -> Result<(), String> {
    webext::set(Area::Session, &session_key(id), secrets).await
}
