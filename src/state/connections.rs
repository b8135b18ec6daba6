//! Adding, editing and removing a connection: which secrets survive an edit, the Partner API
//! key's check before anything is stored, and the active connection.

use super::Store;
use crate::candidate::CurrentUser;
use crate::connection::{AuthSettings, Connection};
use crate::reason::Reason;

/// Stores a connection as the recruiter saved it, with `typed` from its secret field, and returns
/// its id (`new_id` names one saved for the first time). Secrets stay only with the origin they
/// were given for ([`crate::secrets::Secrets::after_edit`]). A Partner API key is checked first
/// (`check_key`, against the server) and nothing is stored when that fails. The first connection
/// becomes the active one.
pub async fn save_connection(
    store: &impl Store,
    mut connection: Connection,
    typed: Option<&str>,
    new_id: impl FnOnce() -> String,
    check_key: impl AsyncFnOnce(&Connection, &str) -> Result<CurrentUser, Reason>,
) -> Result<String, Reason> {
    connection
        .validate()
        .map_err(|problem| Reason::InvalidConnection { problem })?;
    let previous = if connection.id.is_empty() {
        connection.id = new_id();
        None
    } else {
        let stored = store.connections().await?;
        Some(
            stored
                .into_iter()
                .find(|c| c.id == connection.id)
                .ok_or(Reason::ConnectionGone)?,
        )
    };
    let mut secrets = store
        .secrets(&connection.id)
        .await?
        .after_edit(previous.as_ref(), &connection, typed);
    if let AuthSettings::PartnerKey { .. } = &connection.auth {
        let key = secrets.secret.as_deref().ok_or(Reason::KeyMissing)?;
        secrets.user = Some(check_key(&connection, key).await?);
    }
    // Read again: the check took a while, and another connection may have been saved meanwhile.
    let mut all = store.connections().await?;
    match all.iter_mut().find(|c| c.id == connection.id) {
        Some(existing) => *existing = connection.clone(),
        None => all.push(connection.clone()),
    }
    store.put_connections(&all).await?;
    store.put_secrets(&connection, &secrets).await?;
    if store.active().await?.is_none() {
        store.set_active(Some(&connection.id)).await?;
    }
    Ok(connection.id)
}

/// Forgets a connection entirely: settings, secrets, caches, ledger, and the active choice if it
/// was it. Its outbox items stay (the drain marks them failed) so nothing vanishes unseen.
pub async fn forget_connection(store: &impl Store, id: &str) -> Result<(), String> {
    let mut all = store.connections().await?;
    all.retain(|c| c.id != id);
    store.put_connections(&all).await?;
    if store.active().await?.as_deref() == Some(id) {
        store.set_active(None).await?;
    }
    store.forget(id).await
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::api::{Dialect, GREENHOUSE_BASE_URL};
    use crate::outbox::LedgerEntry;
    use crate::secrets::Secrets;
    use crate::state::memory::{MemoryStore, run};

    fn keyed(api: &str) -> Connection {
        Connection {
            id: String::new(),
            caption: "Acme".into(),
            api_base_url: api.into(),
            dialect: Dialect::Greenhouse,
            auth: AuthSettings::PartnerKey {
                on_behalf_of: "ada@acme.com".into(),
            },
            forget_on_close: false,
        }
    }

    fn ada() -> CurrentUser {
        CurrentUser {
            id: Some(7),
            name: "Ada".into(),
            email: "ada@acme.com".into(),
        }
    }

    /// Saves through a key check that accepts only `good` and records every key it was shown.
    fn save(
        store: &MemoryStore,
        connection: Connection,
        typed: Option<&str>,
        good: &str,
        shown: &RefCell<Vec<(String, String)>>,
    ) -> Result<String, Reason> {
        run(save_connection(
            store,
            connection,
            typed,
            || "new1".into(),
            async |c: &Connection, key: &str| {
                shown.borrow_mut().push((c.api_base_url.clone(), key.into()));
                if key == good {
                    Ok(ada())
                } else {
                    Err(Reason::KeyRefused {
                        email: "ada@acme.com".into(),
                    })
                }
            },
        ))
    }

    #[test]
    fn a_new_key_connection_is_checked_named_stored_and_made_active() {
        let store = MemoryStore::default();
        let shown = RefCell::new(vec![]);
        let id = save(&store, keyed(GREENHOUSE_BASE_URL), Some(" k "), "k", &shown).unwrap();
        assert_eq!(id, "new1");
        assert_eq!(*shown.borrow(), [(GREENHOUSE_BASE_URL.into(), "k".into())]);
        assert_eq!(store.connections.borrow()[0].id, "new1");
        assert_eq!(*store.active.borrow(), Some("new1".into()));
        let secrets = store.secrets.borrow()["new1"].clone();
        assert_eq!(secrets.secret.as_deref(), Some("k"));
        assert_eq!(secrets.user, Some(ada()));
        // A second connection does not take the active place.
        let mut other = keyed(GREENHOUSE_BASE_URL);
        other.id = String::new();
        run(save_connection(
            &store,
            other,
            Some("k"),
            || "new2".into(),
            async |_: &Connection, _: &str| Ok(ada()),
        ))
        .unwrap();
        assert_eq!(store.connections.borrow().len(), 2);
        assert_eq!(*store.active.borrow(), Some("new1".into()));
    }

    #[test]
    fn moving_a_key_connection_to_another_origin_asks_for_the_key_again_and_stores_nothing_until_then() {
        let store = MemoryStore::default();
        let shown = RefCell::new(vec![]);
        save(&store, keyed(GREENHOUSE_BASE_URL), Some("k"), "k", &shown).unwrap();
        let before = (store.connections.borrow().clone(), store.secrets.borrow().clone());
        let mut moved = keyed("https://api.evil.example/v1/partner");
        moved.id = "new1".into();
        assert_eq!(
            save(&store, moved.clone(), None, "k", &shown),
            Err(Reason::KeyMissing)
        );
        assert_eq!(
            shown.borrow().len(),
            1,
            "the stored key was never offered to the new origin"
        );
        assert_eq!(
            (store.connections.borrow().clone(), store.secrets.borrow().clone()),
            before
        );
        // A key the server refuses stores nothing either.
        assert_eq!(
            save(&store, moved.clone(), Some("bad"), "k", &shown),
            Err(Reason::KeyRefused {
                email: "ada@acme.com".into()
            })
        );
        assert_eq!(store.connections.borrow().clone(), before.0);
        // With the key typed again, the move is stored.
        save(&store, moved.clone(), Some("k"), "k", &shown).unwrap();
        assert_eq!(store.connections.borrow().clone(), [moved]);
    }

    #[test]
    fn editing_a_connection_that_was_removed_meanwhile_is_refused() {
        let store = MemoryStore::default();
        let mut gone = keyed(GREENHOUSE_BASE_URL);
        gone.id = "old".into();
        let shown = RefCell::new(vec![]);
        assert_eq!(
            save(&store, gone, Some("k"), "k", &shown),
            Err(Reason::ConnectionGone)
        );
        assert!(store.connections.borrow().is_empty());
    }

    #[test]
    fn forgetting_a_connection_drops_its_secrets_and_ledger_and_the_active_choice() {
        let store = MemoryStore::default();
        let shown = RefCell::new(vec![]);
        save(&store, keyed(GREENHOUSE_BASE_URL), Some("k"), "k", &shown).unwrap();
        store.ledger.borrow_mut().push(LedgerEntry {
            connection_id: "new1".into(),
            external_id: "e".into(),
            candidate_id: 1,
            name: "Ada".into(),
            link: String::new(),
            target_label: String::new(),
            at_ms: 0,
        });
        run(forget_connection(&store, "new1")).unwrap();
        assert!(store.connections.borrow().is_empty());
        assert_eq!(*store.active.borrow(), None);
        assert_eq!(run(store.secrets("new1")), Ok(Secrets::default()));
        assert!(store.ledger.borrow().is_empty());
    }
}
