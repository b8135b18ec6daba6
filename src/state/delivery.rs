//! The outbox's drain, decided over the [`Store`]: what becomes of the items of a connection that
//! was removed or cannot send yet, which item goes next, one attempt at it (looking the person up
//! first when an earlier worker left it in flight), what an attempt that sent nothing puts back,
//! and how an attempt's end is recorded. The background supplies credentials and sets the alarm.

use std::cell::Cell;
use std::time::Duration;

use super::Store;
use crate::api::{ApiError, Auth, Client, Clock, Entropy, Landed, RetryPolicy, Sleeper, Transport};
use crate::connection::Connection;
use crate::outbox::{BeforeSend, MAX_WAIT_MS, Next, OutboxItem, Outcome};
use crate::reason::{NotReady, Waiting};

/// What the drain does after one round of bookkeeping.
#[derive(Debug, Clone, PartialEq)]
pub enum Planned {
    /// Nothing is queued that could go out.
    Idle,
    /// Nothing is due before this time (epoch ms).
    WaitUntil(u64),
    /// Attempt this item, already stored as possibly in flight.
    Deliver(Box<Delivery>),
}

/// An item to attempt, with the connection it goes to.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub connection: Connection,
    pub item: OutboxItem,
    /// The item as it was before it was marked in flight, for [`put_back`].
    pub before: OutboxItem,
    /// An earlier worker left it in flight: look the person up before any resend.
    pub check_first: bool,
}

/// One round of the drain's bookkeeping, in one outbox change: the items of a removed connection
/// fail visibly, those of a connection that cannot send now (`not_ready` says why) say
/// so and hold nothing back, delivered items past their time leave the list, and the next due
/// item is marked as possibly in flight before anything is sent.
pub async fn plan(
    store: &impl Store,
    clock: &impl Clock,
    not_ready: impl AsyncFn(&Connection) -> Result<Option<NotReady>, String>,
) -> Result<Planned, String> {
    let connections = store.connections().await?;
    let mut waiting = Vec::new();
    for connection in &connections {
        if let Some(why) = not_ready(connection).await? {
            waiting.push((connection.id.clone(), Waiting::NotReady { why }));
        }
    }
    let now = clock.now_ms();
    let (next, started) = store
        .change_outbox(|o| {
            let gone: Vec<String> = o
                .items
                .iter()
                .map(|i| i.capture.connection_id.clone())
                .filter(|c| !connections.iter().any(|k| &k.id == c))
                .collect();
            for connection_id in gone {
                o.abandon(&connection_id);
            }
            for (connection_id, why) in &waiting {
                o.note_waiting(connection_id, why);
            }
            let expired = o.expired(now);
            o.remove(&expired);
            let next = o.next_ready(now, |c| !waiting.iter().any(|(w, _)| w == c));
            let started = match &next {
                Next::Deliver { id, .. } => {
                    let before = o.get(id).cloned();
                    before.zip(o.start(id, now).cloned())
                }
                _ => None,
            };
            (next, started)
        })
        .await?;
    Ok(match (next, started) {
        (Next::Idle, _) => Planned::Idle,
        (Next::WaitUntil(when), _) => Planned::WaitUntil(when),
        (Next::Deliver { check_first, .. }, Some((before, item))) => Planned::Deliver(Box::new(Delivery {
            connection: connections
                .into_iter()
                .find(|c| c.id == item.capture.connection_id)
                .ok_or("the connection went away")?,
            item,
            before,
            check_first,
        })),
        (Next::Deliver { .. }, None) => return Err("the outbox lost an item it chose".into()),
    })
}

/// An attempt sent nothing because its connection was not ready after all (`why`): the item goes
/// back as it was. When the connection is `still_waiting`, the next round notes why on its items
/// and goes on with the others (returns true: go round again); when it is not (the reason did
/// not hold it back before the attempt), its items wait with `why` as their note and the drain
/// stops here rather than go round and round.
pub async fn put_back(
    store: &impl Store,
    before: OutboxItem,
    why: NotReady,
    still_waiting: bool,
) -> Result<bool, String> {
    let connection_id = before.capture.connection_id.clone();
    let note = Waiting::NotReady { why };
    store
        .change_outbox(|o| {
            o.put_back(before);
            if !still_waiting {
                o.note_waiting(&connection_id, &note);
            }
        })
        .await?;
    Ok(still_waiting)
}

/// Records how an attempt at `item` ended, and a delivery in the ledger.
pub async fn finish(
    store: &impl Store,
    host: &(impl Clock + Entropy),
    item: &OutboxItem,
    outcome: Outcome,
) -> Result<(), String> {
    let wait = wait_after(&outcome, item.attempts, host.unit());
    let now = host.now_ms();
    let entry = store
        .change_outbox(|o| o.finish(&item.id, outcome, wait, now).and_then(|(_, e)| e))
        .await?;
    if let Some(entry) = entry {
        store.add_to_ledger(&entry).await?;
    }
    Ok(())
}

/// One attempt at delivering `item` to `connection` with `api` and `auth`: what Greenhouse stored,
/// or why not. With `check_first` (an earlier worker left it in flight and may have sent it before
/// it stopped) the person is looked up first, and only a record outside what was under them
/// before that worker's create (kept on the item) is its outcome; a look-up that fails, or one
/// that could not tell, leaves the outcome unknown rather than risk a second record. Before the
/// create goes out, what is under the person now is stored on the item the same way.
pub async fn attempt<T: Transport, C: Clock, S: Sleeper, R: Entropy>(
    store: &impl Store,
    api: &Client<T, C, S, R>,
    auth: &Auth,
    connection: &Connection,
    item: &OutboxItem,
    check_first: bool,
) -> Result<Outcome, ApiError> {
    let capture = &item.capture;
    let create = capture.to_create();
    let external_id = create.candidate.external_id.clone();
    let delivered =
        |candidate_id: u64, link: Option<String>, confirmed_by_lookup, also_stored| Outcome::Delivered {
            candidate_id,
            // Greenhouse's own link where it gave one ("Open in Greenhouse"), else the person's page.
            link: link
                .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                .unwrap_or_else(|| connection.person_link(candidate_id)),
            confirmed_by_lookup,
            also_stored,
        };
    if check_first {
        let interrupted = |why: String| ApiError::UnknownOutcome {
            detail: format!("an earlier attempt was interrupted and {why}"),
        };
        let known = match &item.before_send {
            // That worker stopped before its create went out.
            BeforeSend::NothingSent => None,
            BeforeSend::Listed { ids } => Some(ids.as_slice()),
            BeforeSend::Unrecorded => Some(capture.beside.as_slice()),
            BeforeSend::Unlisted => {
                return Err(interrupted(
                    "the records already under this person could not be listed before it sent, so a look-up cannot tell which one is this submit's".into(),
                ));
            }
        };
        if let Some(known) = known {
            match api.find_new(auth, &external_id, known).await {
                Ok(Some(found)) => {
                    let link = found.profile_url().map(str::to_owned);
                    return Ok(delivered(found.id, link, true, vec![]));
                }
                Ok(None) => {}
                Err(e @ ApiError::Unauthenticated { .. }) => return Err(e),
                Err(e) => return Err(interrupted(format!("checking failed: {e}"))),
            }
        }
    }
    let before = api.records_before(auth, &external_id, &capture.beside).await?;
    let noted = match &before {
        Some(ids) => BeforeSend::Listed { ids: ids.clone() },
        None => BeforeSend::Unlisted,
    };
    // Nothing goes out unless a worker that stops mid-create leaves its successor this list.
    let stored = store.change_outbox(|o| o.note_before_send(&item.id, noted)).await;
    if stored != Ok(true) {
        return Err(ApiError::Network {
            detail: format!(
                "not sent: the item could not be kept in flight first ({})",
                stored.err().unwrap_or_else(|| "it is no longer in flight".into())
            ),
        });
    }
    let known = before.clone().unwrap_or_else(|| capture.beside.clone());
    let submitted = api.create_candidate_after(auth, create, before).await?;
    let created = submitted.created;
    let also_stored = match submitted.landed {
        Landed::Created => api.others_under(auth, &external_id, created.id, &known).await,
        Landed::FoundAfterUnknownOutcome => vec![],
    };
    Ok(delivered(
        created.id,
        created.profile_url,
        submitted.landed == Landed::FoundAfterUnknownOutcome,
        also_stored,
    ))
}

/// How long an item waits after a failure that passes: Greenhouse's `Retry-After` when it gave
/// one, else a backoff that grows with the item's attempts (the client has already retried
/// quickly within this attempt, so the outbox waits on the scale of alarms: 30 s, 1 min, 2 min…).
fn wait_after(outcome: &Outcome, attempts: u32, jitter: f64) -> u64 {
    let policy = RetryPolicy {
        base_delay: Duration::from_secs(30),
        max_delay: Duration::from_millis(MAX_WAIT_MS),
        ..RetryPolicy::default()
    };
    let wait = match outcome {
        Outcome::Failed(ApiError::RateLimited {
            retry_after: Some(wait),
        }) => *wait,
        _ => policy.backoff(attempts, jitter),
    };
    wait.as_millis() as u64
}

/// One drain at a time per worker: a drain asked for while one runs makes that one go round once
/// more instead, so nothing queued meanwhile waits for the next click or alarm.
#[derive(Debug, Default)]
pub struct DrainTurns {
    running: Cell<bool>,
    again: Cell<bool>,
}

impl DrainTurns {
    /// Whether the caller drains now (else the running drain goes round once more).
    pub fn begin(&self) -> bool {
        if self.running.replace(true) {
            self.again.set(true);
            return false;
        }
        true
    }

    /// At the end of a round: whether to go round again; when not, the drain has ended.
    pub fn another_round(&self) -> bool {
        if self.again.replace(false) {
            return true;
        }
        self.running.set(false);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ApiRequest, ApiResponse, Dialect, GREENHOUSE_BASE_URL, Method, TransportError};
    use crate::connection::AuthSettings;
    use crate::outbox::ItemState;
    use crate::outbox::tests::capture;
    use crate::reason::Problem;
    use crate::state::memory::{MemoryStore, run};

    struct At(u64);
    impl Clock for At {
        fn now_ms(&self) -> u64 {
            self.0
        }
    }
    impl Entropy for At {
        fn fill(&self, bytes: &mut [u8]) {
            bytes.fill(0);
        }
    }

    fn connection(id: &str) -> Connection {
        Connection {
            id: id.into(),
            caption: id.into(),
            api_base_url: GREENHOUSE_BASE_URL.into(),
            dialect: Dialect::Greenhouse,
            auth: AuthSettings::PartnerKey {
                on_behalf_of: "ada@acme.com".into(),
            },
            forget_on_close: false,
        }
    }

    /// A store with these connections and one queued capture per `(connection, name)`.
    fn store(connections: &[&str], queued: &[(&str, &str)]) -> MemoryStore {
        let store = MemoryStore::default();
        *store.connections.borrow_mut() = connections.iter().map(|c| connection(c)).collect();
        run(store.change_outbox(|o| {
            for (c, name) in queued {
                o.enqueue(capture(c, name), 1);
            }
        }))
        .unwrap();
        store
    }

    fn ready(store: &MemoryStore, now: u64) -> Planned {
        run(plan(store, &At(now), async |_: &Connection| Ok(None))).unwrap()
    }

    fn delivery(planned: Planned) -> Option<Delivery> {
        match planned {
            Planned::Deliver(delivery) => Some(*delivery),
            _ => None,
        }
    }

    fn state(store: &MemoryStore, id: &str) -> ItemState {
        store
            .items
            .borrow()
            .iter()
            .find(|i| i.id == id)
            .unwrap()
            .state
            .clone()
    }

    #[test]
    fn the_next_item_is_stored_as_in_flight_before_it_is_handed_out() {
        let store = store(&["a"], &[("a", "ada"), ("a", "bob")]);
        let Some(Delivery {
            connection,
            item,
            before,
            check_first,
        }) = delivery(ready(&store, 10))
        else {
            panic!("o1 is due");
        };
        assert_eq!(
            (connection.id.as_str(), item.id.as_str(), check_first),
            ("a", "o1", false)
        );
        assert_eq!((before.attempts, item.attempts), (0, 1));
        assert_eq!(state(&store, "o1"), ItemState::Sending { since_ms: 10 });
    }

    #[test]
    fn an_item_another_worker_left_in_flight_is_looked_up_before_any_resend() {
        let store = store(&["a"], &[("a", "ada")]);
        let Some(Delivery { .. }) = delivery(ready(&store, 10)) else {
            panic!("o1 is due");
        };
        // That worker stopped here, before any answer. The next one finds the item in flight.
        let Some(Delivery {
            item, check_first, ..
        }) = delivery(ready(&store, 20))
        else {
            panic!("o1 is still due");
        };
        assert!(check_first);
        assert_eq!((item.id.as_str(), item.attempts), ("o1", 2));
    }

    #[test]
    fn items_of_a_removed_connection_fail_visibly_and_say_whether_they_may_have_landed() {
        let store = store(&["a", "b"], &[("b", "ada"), ("b", "bob"), ("a", "cy")]);
        let Some(Delivery { item, .. }) = delivery(ready(&store, 10)) else {
            panic!("o1 is due");
        };
        assert_eq!(item.id, "o1");
        store.connections.borrow_mut().retain(|c| c.id == "a");
        let Some(Delivery { item, .. }) = delivery(ready(&store, 20)) else {
            panic!("a's item is due");
        };
        assert_eq!(item.id, "o3");
        for (id, maybe_sent) in [("o1", true), ("o2", false)] {
            let ItemState::Failed {
                problem,
                outcome_unknown,
                ..
            } = state(&store, id)
            else {
                panic!("{id} failed");
            };
            assert_eq!(
                (problem, outcome_unknown),
                (Problem::ConnectionRemoved, maybe_sent),
                "{id}"
            );
        }
    }

    #[test]
    fn a_connection_that_cannot_send_notes_why_and_holds_back_no_other() {
        let store = store(&["a", "b"], &[("a", "ada"), ("b", "bob")]);
        let planned = run(plan(&store, &At(10), async |c: &Connection| {
            Ok((c.id == "a").then_some(NotReady::SignedOut))
        }))
        .unwrap();
        let Some(Delivery { item, .. }) = delivery(planned) else {
            panic!("b's item is due");
        };
        assert_eq!(item.id, "o2");
        assert_eq!(
            state(&store, "o1"),
            ItemState::Queued {
                not_before_ms: 0,
                note: Some(Waiting::NotReady {
                    why: NotReady::SignedOut
                })
            }
        );
        let nobody = run(plan(&store, &At(10), async |_: &Connection| {
            Ok(Some(NotReady::NeedsKey))
        }));
        assert_eq!(nobody, Ok(Planned::Idle));
    }

    #[test]
    fn an_attempt_that_sent_nothing_puts_the_item_back_as_it_was() {
        let store = store(&["a"], &[("a", "ada")]);
        let Some(Delivery { before, .. }) = delivery(ready(&store, 10)) else {
            panic!("o1 is due");
        };
        // Still not ready: go round again, and that round notes why.
        assert_eq!(
            run(put_back(&store, before.clone(), NotReady::SignedOut, true)),
            Ok(true)
        );
        assert_eq!(store.items.borrow()[0], before);
        // Ready again by the time it was asked: note why here and stop.
        let Some(Delivery { before, .. }) = delivery(ready(&store, 20)) else {
            panic!("o1 is due again");
        };
        assert_eq!(before.attempts, 0, "nothing was sent, nothing counted");
        assert_eq!(
            run(put_back(&store, before, NotReady::SignedOut, false)),
            Ok(false)
        );
        assert_eq!(
            state(&store, "o1"),
            ItemState::Queued {
                not_before_ms: 0,
                note: Some(Waiting::NotReady {
                    why: NotReady::SignedOut
                })
            }
        );
        // An item left in flight by an earlier worker goes back in flight: its look-up stays.
        let Some(Delivery { .. }) = delivery(ready(&store, 30)) else {
            panic!("o1 is due");
        };
        let Some(Delivery {
            before, check_first, ..
        }) = delivery(ready(&store, 40))
        else {
            panic!("o1 is due");
        };
        assert!(check_first);
        run(put_back(&store, before, NotReady::SignedOut, true)).unwrap();
        let Some(Delivery { check_first, .. }) = delivery(ready(&store, 50)) else {
            panic!("o1 is due");
        };
        assert!(check_first);
    }

    #[test]
    fn a_delivery_reaches_the_ledger_and_a_rate_limit_waits_as_asked() {
        let store = store(&["a"], &[("a", "ada"), ("a", "bob")]);
        let Some(Delivery { item, .. }) = delivery(ready(&store, 10)) else {
            panic!("o1 is due");
        };
        let delivered = Outcome::Delivered {
            candidate_id: 77,
            link: "https://app.greenhouse.io/people/77".into(),
            confirmed_by_lookup: false,
            also_stored: vec![],
        };
        run(finish(&store, &At(20), &item, delivered)).unwrap();
        let ledger = run(store.ledger("a", "sprout-ada")).unwrap();
        assert_eq!((ledger.len(), ledger[0].candidate_id), (1, 77));
        let Some(Delivery { item, .. }) = delivery(ready(&store, 30)) else {
            panic!("o2 is due");
        };
        let limited = Outcome::Failed(ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(90)),
        });
        run(finish(&store, &At(40), &item, limited)).unwrap();
        assert!(matches!(
            state(&store, "o2"),
            ItemState::Queued {
                not_before_ms: 90_040,
                ..
            }
        ));
        assert_eq!(ready(&store, 50), Planned::WaitUntil(90_040));
    }

    #[test]
    fn failures_without_retry_after_back_off_on_the_scale_of_alarms() {
        let lost = Outcome::Failed(ApiError::Network {
            detail: "offline".into(),
        });
        // The jitter picks within [half, all] of the ceiling: 30 s, then 60 s, up to 5 min.
        assert_eq!(wait_after(&lost, 1, 1.0), 30_000);
        assert_eq!(wait_after(&lost, 2, 0.0), 30_000);
        assert_eq!(wait_after(&lost, 2, 1.0), 60_000);
        assert_eq!(wait_after(&lost, 20, 1.0), MAX_WAIT_MS);
    }

    #[test]
    fn a_drain_asked_for_while_one_runs_makes_that_one_go_round_again() {
        let turns = DrainTurns::default();
        assert!(turns.begin());
        assert!(!turns.begin(), "a second drain does not start");
        assert!(turns.another_round(), "the running one goes round again");
        assert!(!turns.another_round(), "and then ends");
        assert!(turns.begin(), "the next drain starts");
    }

    /// Answers from a script, in order, and records what was sent. With `stall_creates`, a create
    /// never gets its answer: the worker stops while it is in flight.
    #[derive(Default)]
    struct Scripted {
        answers: std::cell::RefCell<std::collections::VecDeque<ApiResponse>>,
        sent: std::cell::RefCell<Vec<ApiRequest>>,
        stall_creates: bool,
    }
    impl Transport for &Scripted {
        async fn send(&self, request: &ApiRequest) -> Result<ApiResponse, TransportError> {
            self.sent.borrow_mut().push(request.clone());
            if self.stall_creates && request.method == Method::Post {
                return std::future::pending().await;
            }
            Ok(self.answers.borrow_mut().pop_front().expect("script ran out"))
        }
    }
    impl Sleeper for At {
        async fn sleep(&self, _: Duration) {}
    }

    fn answer(status: u16, body: &str) -> ApiResponse {
        ApiResponse {
            status,
            headers: vec![],
            body: body.into(),
        }
    }

    fn scripted(script: &[ApiResponse]) -> Scripted {
        let server = Scripted::default();
        server.answers.borrow_mut().extend(script.iter().cloned());
        server
    }

    /// A store with Ada's capture queued for a seed-dialect connection, which can look people up.
    fn seed_store() -> MemoryStore {
        let store = store(&["a"], &[("a", "ada")]);
        for c in store.connections.borrow_mut().iter_mut() {
            c.api_base_url = "http://127.0.0.1:7300/v1/partner".into();
            c.dialect = Dialect::Seed;
        }
        store
    }

    /// Plans at `now` and runs the attempt at the item due against `server`, as the background does.
    fn attempt_at(store: &MemoryStore, now: u64, server: &Scripted) -> (bool, Result<Outcome, ApiError>) {
        let Some(Delivery {
            connection,
            item,
            check_first,
            ..
        }) = delivery(ready(store, now))
        else {
            panic!("an item is due");
        };
        let api = Client::new(&connection.api_base_url, server, At(0), At(0), At(0))
            .with_dialect(connection.dialect);
        let outcome = run(attempt(
            store,
            &api,
            &Auth::bearer("t"),
            &connection,
            &item,
            check_first,
        ));
        (check_first, outcome)
    }

    /// One attempt at Ada's capture against a seed-dialect server answering `script`, after an
    /// earlier worker stopped with it in flight, having sent it with nobody under Ada yet.
    fn attempt_with(
        check_first: bool,
        script: &[ApiResponse],
    ) -> (Result<Outcome, ApiError>, Vec<ApiRequest>) {
        let server = scripted(script);
        let store = seed_store();
        if check_first {
            delivery(ready(&store, 1)).expect("o1 is due");
            run(store.change_outbox(|o| o.note_before_send("o1", BeforeSend::Listed { ids: vec![] })))
                .unwrap();
        }
        let (planned_check, outcome) = attempt_at(&store, 2, &server);
        assert_eq!(planned_check, check_first);
        (outcome, server.sent.into_inner())
    }

    /// A worker that stops while its create for Ada is in flight, Ada having `already` these
    /// records (the list it takes before sending).
    fn stop_mid_create(store: &MemoryStore, already: &str) {
        use std::future::Future;
        use std::task::{Context, Waker};
        let server = scripted(&[answer(200, already)]);
        let server = Scripted {
            stall_creates: true,
            ..server
        };
        let Some(Delivery { connection, item, .. }) = delivery(ready(store, 10)) else {
            panic!("o1 is due");
        };
        let api = Client::new(&connection.api_base_url, &server, At(0), At(0), At(0))
            .with_dialect(connection.dialect);
        let auth = Auth::bearer("t");
        let attempt = attempt(store, &api, &auth, &connection, &item, false);
        let polled = std::pin::pin!(attempt).poll(&mut Context::from_waker(Waker::noop()));
        assert!(polled.is_pending(), "the create is in flight");
        let methods: Vec<Method> = server.sent.borrow().iter().map(|r| r.method).collect();
        assert_eq!(methods, [Method::Get, Method::Post]);
    }

    const ADA: &str = r#"{"id":7,"external_id":"sprout-ada","first_name":"ada","last_name":"L"}"#;

    #[test]
    fn an_item_left_in_flight_that_landed_is_confirmed_by_look_up_and_not_sent_again() {
        let (outcome, sent) = attempt_with(true, &[answer(200, &format!("[{ADA}]"))]);
        assert_eq!(
            outcome,
            Ok(Outcome::Delivered {
                candidate_id: 7,
                link: "http://127.0.0.1:7300/people/7".into(),
                confirmed_by_lookup: true,
                also_stored: vec![],
            })
        );
        assert!(sent.iter().all(|r| r.method == Method::Get), "no create was sent");
    }

    #[test]
    fn an_item_left_in_flight_that_did_not_land_is_sent_and_checked_after() {
        let (outcome, sent) = attempt_with(
            true,
            &[
                // The look-up for the interrupted attempt, then the list taken before the send.
                answer(200, "[]"),
                answer(200, "[]"),
                answer(201, ADA),
                answer(200, &format!("[{ADA}]")),
            ],
        );
        let Ok(Outcome::Delivered {
            candidate_id,
            confirmed_by_lookup,
            also_stored,
            ..
        }) = outcome
        else {
            panic!("delivered: {outcome:?}");
        };
        assert_eq!(
            (candidate_id, confirmed_by_lookup, also_stored),
            (7, false, vec![])
        );
        let methods: Vec<Method> = sent.iter().map(|r| r.method).collect();
        assert_eq!(methods, [Method::Get, Method::Get, Method::Post, Method::Get]);
    }

    const OLD_ADA: &str = r#"{"id":5,"external_id":"sprout-ada","first_name":"ada","last_name":"Other"}"#;

    #[test]
    fn a_record_ada_already_had_is_not_taken_as_the_outcome_of_a_create_a_stopped_worker_left() {
        let store = seed_store();
        stop_mid_create(&store, &format!("[{OLD_ADA}]"));
        assert_eq!(
            store.items.borrow()[0].before_send,
            BeforeSend::Listed { ids: vec![5] },
            "the list was stored before the create went out"
        );
        // The next worker finds only the older record: the create did not land, so it goes again.
        let server = scripted(&[
            answer(200, &format!("[{OLD_ADA}]")),
            answer(200, &format!("[{OLD_ADA}]")),
            answer(201, ADA),
            answer(200, &format!("[{OLD_ADA},{ADA}]")),
        ]);
        let (check_first, outcome) = attempt_at(&store, 20, &server);
        assert!(check_first);
        assert_eq!(
            outcome,
            Ok(Outcome::Delivered {
                candidate_id: 7,
                link: "http://127.0.0.1:7300/people/7".into(),
                confirmed_by_lookup: false,
                also_stored: vec![],
            }),
            "record 5 was there before this submit"
        );
    }

    #[test]
    fn a_record_the_stopped_worker_s_create_left_is_its_outcome() {
        let store = seed_store();
        stop_mid_create(&store, &format!("[{OLD_ADA}]"));
        let server = scripted(&[answer(200, &format!("[{OLD_ADA},{ADA}]"))]);
        let (check_first, outcome) = attempt_at(&store, 20, &server);
        assert!(check_first);
        assert_eq!(
            outcome,
            Ok(Outcome::Delivered {
                candidate_id: 7,
                link: "http://127.0.0.1:7300/people/7".into(),
                confirmed_by_lookup: true,
                also_stored: vec![],
            })
        );
        let sent = server.sent.into_inner();
        assert!(sent.iter().all(|r| r.method == Method::Get), "no second create");
    }

    #[test]
    fn a_stopped_worker_that_sent_nothing_or_could_not_list_is_never_guessed_at() {
        // It stopped before its create went out: no look-up, the list is taken and it is sent.
        let store = seed_store();
        delivery(ready(&store, 10)).expect("o1 is due");
        let server = scripted(&[
            answer(200, &format!("[{OLD_ADA}]")),
            answer(201, ADA),
            answer(200, &format!("[{OLD_ADA},{ADA}]")),
        ]);
        let (check_first, outcome) = attempt_at(&store, 20, &server);
        assert!(check_first);
        assert!(
            matches!(
                outcome,
                Ok(Outcome::Delivered {
                    candidate_id: 7,
                    confirmed_by_lookup: false,
                    ..
                })
            ),
            "{outcome:?}"
        );
        let methods: Vec<Method> = server.sent.into_inner().iter().map(|r| r.method).collect();
        assert_eq!(methods, [Method::Get, Method::Post, Method::Get]);
        // It sent without a list (the role may not read candidates): the recruiter decides.
        let store = seed_store();
        delivery(ready(&store, 10)).expect("o1 is due");
        run(store.change_outbox(|o| o.note_before_send("o1", BeforeSend::Unlisted))).unwrap();
        let server = scripted(&[]);
        let (_, outcome) = attempt_at(&store, 20, &server);
        assert!(
            matches!(outcome, Err(ApiError::UnknownOutcome { .. })),
            "{outcome:?}"
        );
        assert!(
            server.sent.into_inner().is_empty(),
            "nothing sent, nothing guessed"
        );
    }

    #[test]
    fn a_look_up_that_fails_leaves_the_outcome_unknown_instead_of_sending_again() {
        let (outcome, sent) = attempt_with(true, &[answer(403, r#"{"message":"no"}"#)]);
        assert!(
            matches!(outcome, Err(ApiError::UnknownOutcome { .. })),
            "{outcome:?}"
        );
        assert!(sent.iter().all(|r| r.method == Method::Get));
        // A 401 is passed on as it is: the caller refreshes and runs the attempt again.
        let (outcome, _) = attempt_with(true, &[answer(401, r#"{"message":"expired"}"#)]);
        assert!(
            matches!(outcome, Err(ApiError::Unauthenticated { .. })),
            "{outcome:?}"
        );
    }
}
