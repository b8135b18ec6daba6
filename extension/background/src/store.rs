//! Where each piece of a connection is kept, and who can read it.
//!
//! - `storage.local` (persistent, readable by every extension context including injected content
//!   scripts): the connection settings and the active connection id. Nothing secret.
//! - `storage.session` (memory only, gone when the browser quits; readable only by the extension's
//!   pages and background, never by content scripts unless `setAccessLevel` widens it, which
//!   `restrict_session_storage` pins): access and refresh tokens, the Partner API key, the OAuth
//!   client secret, and who is signed in. Content scripts can read `storage.local` (MDN,
//!   StorageArea.setAccessLevel: "all other storage areas are exposed to all extension contexts,
//!   including content scripts"), so no secret goes there.
//! - IndexedDB of the extension's origin (`storage.rs`; persistent, not reachable from content
//!   scripts, no 10 MB quota): the outbox, the ledger of delivered people, per-connection caches
//!   (jobs and pools, last target, what the role allows), and, unless the connection says
//!   "forget my sign-in when the browser closes", the part of a sign-in that outlives a restart
//!   (`sprout::secrets::Kept`: refresh token, key or client secret, who is signed in; never an
//!   access token).

use sprout::connection::Connection;
pub use sprout::secrets::Secrets;

use crate::storage;
use crate::webext::{self, Area};

const CONNECTIONS: &str = "connections";
const ACTIVE: &str = "active_connection";

fn session_key(id: &str) -> String {
    format!("connection_session:{id}")
}

/// Every stored connection, as stored: listed so that one no longer valid can be edited or
/// removed, but checked ([`usable`]) before anything is sent with it.
pub async fn connections() -> Result<Vec<Connection>, String> {
    Ok(webext::get(Area::Local, CONNECTIONS).await?.unwrap_or_default())
}

/// One connection as stored, valid or not (what an edit starts from).
pub async fn stored_connection(id: &str) -> Result<Connection, String> {
    connections()
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| "That connection no longer exists. Reload the settings page.".to_string())
}

/// One connection, checked again before it is used.
pub async fn connection(id: &str) -> Result<Connection, String> {
    let connection = stored_connection(id).await?;
    usable(&connection)?;
    Ok(connection)
}

/// Refuses, in words, a stored connection that would not pass the options page's checks today.
pub fn usable(connection: &Connection) -> Result<(), String> {
    connection.validate_stored().map_err(|why| {
        web_sys::console::error_1(
            &format!("sprout: stored connection {:?} is not valid: {why}", connection.id).into(),
        );
        format!("Sprout will not use this connection as stored: {why} Edit it and save it again in Sprout's settings.")
    })
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

/// This browser session's secrets of a connection or, after a restart, what was kept of them.
pub async fn secrets(id: &str) -> Result<Secrets, String> {
    if let Some(secrets) = webext::get(Area::Session, &session_key(id)).await? {
        return Ok(secrets);
    }
    Ok(storage::kept(id)
        .await?
        .map(Secrets::from_kept)
        .unwrap_or_default())
}

/// Stores the secrets for this session, and keeps (or forgets) their lasting part as the
/// connection says.
pub async fn put_secrets(connection: &Connection, secrets: &Secrets) -> Result<(), String> {
    webext::set(Area::Session, &session_key(&connection.id), secrets).await?;
    storage::put_kept(
        &connection.id,
        secrets.to_keep(connection.forget_on_close).as_ref(),
    )
    .await
}
