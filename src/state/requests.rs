//! The recruiter's requests on the outbox, decided over the [`Store`]: what may be submitted,
//! retried (as edited) or discarded, and what each refuses with which reason. The background
//! answers the popup with the result and starts a drain when something was queued.

use super::Store;
use crate::api::{Clock, FieldError};
use crate::capture::Capture;
use crate::connection::Connection;
use crate::outbox::OutboxItem;
use crate::reason::{NotReady, Reason};

/// Why a request on the outbox changed nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Refused {
    /// The capture fails these checks, per field (contract field paths), for the popup's form.
    Invalid(Vec<FieldError>),
    Failed(Reason),
}

impl From<Reason> for Refused {
    fn from(reason: Reason) -> Refused {
        Refused::Failed(reason)
    }
}

/// A submit, stored in the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Queued {
    pub item: OutboxItem,
    /// Whether its target was remembered as where the next capture starts. Failing that only
    /// costs a click later, so it refuses nothing; the caller may say why.
    pub remembered: Result<(), String>,
}

/// One stored connection, checked again before use: a stored copy may predate today's checks.
pub async fn usable_connection(store: &impl Store, id: &str) -> Result<Connection, Reason> {
    let connection = store
        .connections()
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(Reason::ConnectionGone)?;
    connection.validate_stored().map_err(|problem| Reason::NotReady {
        why: NotReady::Unusable { problem },
    })?;
    Ok(connection)
}

/// Stores a new capture in the outbox once it passes the checks its connection's server needs,
/// and remembers its target. Nothing is sent here: the caller starts the drain.
pub async fn submit(store: &impl Store, clock: &impl Clock, capture: Capture) -> Result<Queued, Refused> {
    let capture = capture.tidy();
    let connection = usable_connection(store, &capture.connection_id).await?;
    capture
        .check_new_for(connection.dialect.capabilities())
        .map_err(Refused::Invalid)?;
    let (connection_id, target, label) = (
        capture.connection_id.clone(),
        capture.target.clone(),
        capture.target_label.clone(),
    );
    let now = clock.now_ms();
    let item = store
        .change_outbox(|o| o.enqueue(capture, now).clone())
        .await
        .map_err(Reason::from)?;
    // The capture is safe from here on.
    let remembered = async {
        let mut remembered = store.remembered(&connection_id).await?;
        remembered.last_target = Some(target);
        remembered.last_target_label = Some(label).filter(|l| !l.trim().is_empty());
        store.put_remembered(&connection_id, &remembered).await
    }
    .await;
    Ok(Queued { item, remembered })
}

/// Queues a failed item again, replaced by the recruiter's edit if they made one. An edit comes
/// from the listing, its files named by id, and is checked against the connection it names as a
/// new capture would be, except that a kept file gets its stored bytes back
/// ([`crate::outbox::Outbox::retry`]). Only a failed item can be retried.
pub async fn retry(store: &impl Store, id: &str, edited: Option<Capture>) -> Result<OutboxItem, Refused> {
    let edited = edited.map(Capture::tidy);
    if let Some(capture) = &edited {
        let connection = usable_connection(store, &capture.connection_id).await?;
        capture
            .check_for(connection.dialect.capabilities())
            .map_err(Refused::Invalid)?;
    }
    let retried = store
        .change_outbox(|o| o.retry(id, edited).cloned())
        .await
        .map_err(Reason::from)?;
    Ok(retried?)
}

/// Drops an item the recruiter gave up on: one that failed, was delivered, or was never sent;
/// never one that may be in flight.
pub async fn discard(store: &impl Store, id: &str) -> Result<OutboxItem, Reason> {
    store.change_outbox(|o| o.discard(id)).await?
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::api::{ApiError, Dialect, GREENHOUSE_BASE_URL};
    use crate::capture::Target;
    use crate::connection::AuthSettings;
    use crate::outbox::tests::capture;
    use crate::outbox::{ItemState, Outcome};
    use crate::reason::ConnectionProblem;
    use crate::state::Remembered;
    use crate::state::memory::{MemoryStore, run};

    struct At(u64);
    impl Clock for At {
        fn now_ms(&self) -> u64 {
            self.0
        }
    }

    /// A store with one Partner-key connection, "c", to Greenhouse.
    pub(crate) fn store() -> MemoryStore {
        let store = MemoryStore::default();
        store.connections.borrow_mut().push(Connection {
            id: "c".into(),
            caption: "Acme".into(),
            api_base_url: GREENHOUSE_BASE_URL.into(),
            dialect: Dialect::Greenhouse,
            auth: AuthSettings::PartnerKey {
                on_behalf_of: "ada@acme.com".into(),
            },
            forget_on_close: false,
        });
        store
    }

    fn queued(store: &MemoryStore) -> Vec<String> {
        store.items.borrow().iter().map(|i| i.id.clone()).collect()
    }

    /// Ada's capture for connection "c", submitted and then failed as Greenhouse refused it.
    fn failed(store: &MemoryStore) -> String {
        let id = run(submit(store, &At(1), capture("c", "ada"))).unwrap().item.id;
        run(store.change_outbox(|o| {
            o.start(&id, 2);
            let refused = ApiError::Validation {
                status: 422,
                fields: vec![],
            };
            o.finish(&id, Outcome::Failed(refused), 0, 3);
        }))
        .unwrap();
        id
    }

    #[test]
    fn a_capture_is_tidied_stored_and_its_target_remembered_for_the_next_one() {
        let store = store();
        let mut ada = capture("c", "ada");
        ada.person.first_name = "  ada ".into();
        let Queued { item, remembered } = run(submit(&store, &At(7), ada)).unwrap();
        assert_eq!((item.id.as_str(), item.queued_at_ms), ("o1", 7));
        assert_eq!(item.capture.person.first_name, "ada");
        assert_eq!(store.items.borrow()[0], item);
        assert_eq!(remembered, Ok(()));
        let remembered = run(store.remembered("c")).unwrap();
        assert_eq!(remembered.last_target, Some(item.capture.target.clone()));
        assert_eq!(
            remembered.last_target_label.as_deref(),
            Some("Pool"),
            "named as the form named it"
        );
    }

    #[test]
    fn what_was_remembered_before_target_names_were_still_reads() {
        let now = Remembered {
            last_target: Some(capture("c", "ada").target),
            last_target_label: Some("Pool".into()),
            tracking_links: crate::protocol::Ability::Allowed,
        };
        // As an earlier version stored it: the same, without the name.
        let mut stored = serde_json::to_value(&now).unwrap();
        stored.as_object_mut().unwrap().remove("last_target_label");
        let read: Remembered = serde_json::from_value(stored).unwrap();
        assert_eq!(
            read,
            Remembered {
                last_target_label: None,
                ..now
            }
        );
    }

    #[test]
    fn a_submit_that_fails_its_checks_or_has_no_usable_connection_queues_nothing() {
        let store = store();
        let mut nameless = capture("c", "ada");
        nameless.person.last_name = " ".into();
        let Err(Refused::Invalid(errors)) = run(submit(&store, &At(1), nameless)) else {
            panic!("a capture without a last name is refused");
        };
        assert_eq!(errors[0].field.as_deref(), Some("last_name"));
        assert_eq!(
            run(submit(&store, &At(1), capture("gone", "ada"))),
            Err(Refused::Failed(Reason::ConnectionGone))
        );
        store.connections.borrow_mut()[0].caption = String::new();
        assert_eq!(
            run(submit(&store, &At(1), capture("c", "ada"))),
            Err(Refused::Failed(Reason::NotReady {
                why: NotReady::Unusable {
                    problem: ConnectionProblem::NoName
                }
            }))
        );
        assert!(queued(&store).is_empty());
        assert_eq!(run(store.remembered("c")).unwrap().last_target, None);
    }

    #[test]
    fn only_a_failed_item_is_retried_and_an_edit_is_checked_as_a_new_capture_would_be() {
        let store = store();
        let queued_one = run(submit(&store, &At(1), capture("c", "bob"))).unwrap().item.id;
        let ada = failed(&store);
        assert_eq!(
            run(retry(&store, &queued_one, None)),
            Err(Refused::Failed(Reason::NotFailed))
        );
        assert_eq!(
            run(retry(&store, "o99", None)),
            Err(Refused::Failed(Reason::ItemGone))
        );
        let mut edit = capture("c", "ada");
        edit.person.first_name = String::new();
        assert!(matches!(
            run(retry(&store, &ada, Some(edit))),
            Err(Refused::Invalid(_))
        ));
        assert_eq!(
            run(retry(&store, &ada, Some(capture("gone", "ada")))),
            Err(Refused::Failed(Reason::ConnectionGone))
        );
        assert!(
            matches!(store.items.borrow()[1].state, ItemState::Failed { .. }),
            "a refused retry changes nothing"
        );
        // An edit that passes replaces the capture, and the item goes to the end of the queue.
        let mut edit = capture("c", "ada");
        edit.target = Target::Prospect {
            pool_id: 2,
            stage_id: None,
            owner_id: None,
            owner_email: None,
        };
        let retried = run(retry(&store, &ada, Some(edit.clone()))).unwrap();
        assert_eq!(retried.capture, edit);
        assert!(matches!(retried.state, ItemState::Queued { .. }));
        assert_eq!(queued(&store), [queued_one, ada]);
    }

    #[test]
    fn an_item_that_may_be_in_flight_is_never_discarded() {
        let store = store();
        let ada = failed(&store);
        let bob = run(submit(&store, &At(1), capture("c", "bob"))).unwrap().item.id;
        run(store.change_outbox(|o| o.start(&bob, 5).cloned())).unwrap();
        assert_eq!(run(discard(&store, &bob)), Err(Reason::ItemSending));
        assert_eq!(run(discard(&store, "o99")), Err(Reason::ItemGone));
        assert_eq!(run(discard(&store, &ada)).map(|i| i.id), Ok(ada));
        assert_eq!(queued(&store), [bob]);
    }
}
