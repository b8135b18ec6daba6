//! Tracking links for a job, over the [`Store`]: the link Greenhouse makes, and whether the
//! recruiter's role may make them, remembered so the popup offers the button only where it works.

use super::{Failure, Store};
use crate::api::{ApiError, CreateTrackingLink};
use crate::candidate::{TrackingLink, TrackingLinkRequest};
use crate::connection::Connection;
use crate::protocol::Ability;
use crate::reason::Reason;

use super::requests::usable_connection;

/// Asks for a tracking link to `job_id` through `call` (the connection's server, with its
/// credentials) and remembers what the answer says of the role: a link means it may, a 403 that
/// it may not; anything else (the network, a sign-in) says nothing about it. Returns the link or
/// why there is none, and whether remembering worked (failing that refuses nothing).
pub async fn create_tracking_link(
    store: &impl Store,
    connection_id: &str,
    job_id: u64,
    call: impl AsyncFn(&Connection, &CreateTrackingLink) -> Result<TrackingLink, Failure>,
) -> (Result<TrackingLink, Reason>, Result<(), String>) {
    let connection = match usable_connection(store, connection_id).await {
        Ok(connection) => connection,
        Err(reason) => return (Err(reason), Ok(())),
    };
    let op = CreateTrackingLink(TrackingLinkRequest {
        job_id: Some(job_id),
        ..Default::default()
    });
    let (ability, answer) = match call(&connection, &op).await {
        Ok(link) => (Some(Ability::Allowed), Ok(link)),
        Err(Failure::Api(ApiError::Forbidden { .. })) => {
            (Some(Ability::NotAllowed), Err(Reason::TrackingNotAllowed))
        }
        Err(other) => (None, Err(Reason::from(other))),
    };
    let remembered = match ability {
        Some(ability) => {
            async {
                let mut remembered = store.remembered(connection_id).await?;
                remembered.tracking_links = ability;
                store.put_remembered(connection_id, &remembered).await
            }
            .await
        }
        None => Ok(()),
    };
    (answer, remembered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reason::{NotReady, Problem};
    use crate::state::memory::{MemoryStore, run};
    use crate::state::requests::tests::store;
    use std::cell::Cell;

    fn link() -> TrackingLink {
        TrackingLink {
            url: "https://grnh.se/abc".into(),
            expires_at: None,
        }
    }

    /// Asks for a link to job 4 on `connection`, the server answering `answer`.
    fn ask(
        store: &MemoryStore,
        connection: &str,
        answer: Result<TrackingLink, Failure>,
    ) -> (Result<TrackingLink, Reason>, Ability, u32) {
        let calls = Cell::new(0);
        let (link, remembered) = run(create_tracking_link(
            store,
            connection,
            4,
            async |c: &Connection, op: &CreateTrackingLink| {
                assert_eq!((c.id.as_str(), op.0.job_id), ("c", Some(4)));
                calls.set(calls.get() + 1);
                answer.clone()
            },
        ));
        assert_eq!(remembered, Ok(()));
        let ability = run(store.remembered("c")).unwrap().tracking_links;
        (link, ability, calls.get())
    }

    #[test]
    fn whether_the_role_may_make_tracking_links_is_remembered_from_greenhouse_s_answer() {
        let store = store();
        let unknown = run(store.remembered("c")).unwrap().tracking_links;
        let offline = Failure::Api(ApiError::Network {
            detail: "offline".into(),
        });
        assert_eq!(
            ask(&store, "c", Err(offline)),
            (
                Err(Reason::Api {
                    problem: Problem::Network
                }),
                unknown,
                1
            ),
            "the network says nothing about the role"
        );
        let signed_out = Failure::NotReady(NotReady::SignedOut);
        assert_eq!(ask(&store, "c", Err(signed_out)).1, unknown);
        assert_eq!(ask(&store, "c", Ok(link())), (Ok(link()), Ability::Allowed, 1));
        let forbidden = Failure::Api(ApiError::Forbidden { message: "no".into() });
        assert_eq!(
            ask(&store, "c", Err(forbidden)),
            (Err(Reason::TrackingNotAllowed), Ability::NotAllowed, 1)
        );
        assert_eq!(
            ask(&store, "gone", Ok(link())),
            (Err(Reason::ConnectionGone), Ability::NotAllowed, 0),
            "nothing asked of a connection that went away"
        );
    }
}
