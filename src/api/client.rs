//! Drives operations over a host's transport with the retry policy, and is the one place where a
//! create whose outcome is unknown gets checked before it could ever be sent again.

use super::auth::Auth;
use super::dialect::Dialect;
use super::environment::{Clock, Entropy, Sleeper, Transport, TransportError};
use super::errors::ApiError;
use super::operations::{CreateCandidate, ListCandidates, Operation};
use super::records::{Created, Record};
use super::request::{ApiRequest, ApiResponse};
use super::retry::{RetryPolicy, Verdict};
use crate::oauth::{self, OAuthError, Tokens};

/// A Partner API client bound to a base URL (e.g. [`super::GREENHOUSE_BASE_URL`]) and a host.
pub struct Client<T, C, S, R> {
    base_url: String,
    dialect: Dialect,
    policy: RetryPolicy,
    transport: T,
    clock: C,
    sleeper: S,
    entropy: R,
}

/// How a submitted candidate got into Greenhouse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Landed {
    /// Greenhouse answered the create.
    Created,
    /// No answer came, and a look-up by `external_id` found the record: it must not be sent again.
    FoundAfterUnknownOutcome,
}

/// What Greenhouse stored (its `id`, and its page where the dialect says) and how it was confirmed.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    pub created: Created,
    pub landed: Landed,
    /// Create requests sent, for diagnostics.
    pub attempts: u32,
}

impl<T: Transport, C: Clock, S: Sleeper, R: Entropy> Client<T, C, S, R> {
    pub fn new(base_url: impl Into<String>, transport: T, clock: C, sleeper: S, entropy: R) -> Self {
        Client {
            base_url: base_url.into(),
            dialect: Dialect::default(),
            policy: RetryPolicy::default(),
            transport,
            clock,
            sleeper,
            entropy,
        }
    }

    /// The dialect the server speaks; a client starts in the seed contract's, the one it was
    /// first written against, and every connection sets its own.
    pub fn with_dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Runs an operation, retrying what the policy allows. A non-repeatable operation (a create)
    /// is never re-sent after an attempt whose outcome is unknown; use
    /// [`Client::create_candidate`] to have that case resolved.
    pub async fn call<O: Operation>(&self, auth: &Auth, op: &O) -> Result<O::Output, ApiError> {
        let mut output = None;
        let request = || op.request(self.dialect, &self.base_url, auth);
        let mut read = |response: &ApiResponse| {
            output = Some(op.interpret(self.dialect, response)?);
            Ok(())
        };
        self.call_boxed(O::REPEATABLE, &request, &mut read).await?;
        output.ok_or_else(|| ApiError::MalformedResponse {
            status: 0,
            detail: "no answer was read".into(),
        })
    }

    /// [`Client::call`] for any operation alike: `read` keeps the answer aside. The retries are
    /// then compiled once, not once per operation (851 B gzipped off the background's wasm).
    async fn call_boxed(
        &self,
        repeatable: bool,
        request: &dyn Fn() -> ApiRequest,
        read: &mut dyn FnMut(&ApiResponse) -> Result<(), ApiError>,
    ) -> Result<(), ApiError> {
        let mut attempt = 1;
        loop {
            let sent = self.send(&request(), repeatable).await;
            let error = match sent.and_then(|response| read(&response)) {
                Ok(()) => return Ok(()),
                Err(e) => e,
            };
            match self
                .policy
                .decide(attempt, &error, repeatable, self.entropy.unit())
            {
                Verdict::RetryAfter(wait) => self.sleeper.sleep(wait).await,
                Verdict::GiveUp => return Err(error),
            }
            attempt += 1;
        }
    }

    /// Creates a candidate or prospect. When an attempt ends without a clear answer (no response,
    /// or a 5xx that may have committed), it waits, looks the `external_id` up, and only sends
    /// again if no record created by this submit is there. If the look-up itself is impossible
    /// (the user's role may not read candidates, or the dialect cannot search by `external_id`),
    /// it reports [`ApiError::UnknownOutcome`] instead of guessing.
    pub async fn create_candidate(
        &self,
        auth: &Auth,
        create: impl Into<CreateCandidate>,
    ) -> Result<Submitted, ApiError> {
        self.create_candidate_beside(auth, create, &[]).await
    }

    /// [`Client::create_candidate`] for a person who is already in Greenhouse under the same
    /// `external_id` (the recruiter confirmed a second record): the records in `existing` were
    /// there before this submit, so finding one of them proves nothing about this create.
    pub async fn create_candidate_beside(
        &self,
        auth: &Auth,
        create: impl Into<CreateCandidate>,
        existing: &[u64],
    ) -> Result<Submitted, ApiError> {
        let op = create.into();
        let before = self
            .records_before(auth, &op.candidate.external_id, existing)
            .await?;
        self.create_candidate_after(auth, op, before).await
    }

    /// [`Client::create_candidate_beside`] with the records already under the person listed by
    /// the caller ([`Client::records_before`]), who keeps them somewhere a stopped worker's
    /// successor finds them before this sends anything.
    pub async fn create_candidate_after(
        &self,
        auth: &Auth,
        create: impl Into<CreateCandidate>,
        before: Option<Vec<u64>>,
    ) -> Result<Submitted, ApiError> {
        let op = create.into();
        let external_id = op.candidate.external_id.clone();
        let mut attempt = 1;
        loop {
            let error = match self.attempt(auth, &op).await {
                Ok(created) => {
                    return Ok(Submitted {
                        created,
                        landed: Landed::Created,
                        attempts: attempt,
                    });
                }
                Err(e) => e,
            };
            let unknown = matches!(error, ApiError::UnknownOutcome { .. } | ApiError::Server { .. });
            if unknown && !self.dialect.capabilities().lookup_by_external_id {
                // Nothing to look up by, so nothing to wait for: the recruiter decides.
                return Err(ApiError::UnknownOutcome {
                    detail: format!("{error}; this API cannot look the person up to check"),
                });
            }
            if unknown {
                let Some(before) = &before else {
                    return Err(ApiError::UnknownOutcome {
                        detail: format!(
                            "{error}; the records already under this person could not be listed before sending, so a look-up cannot tell which one this is"
                        ),
                    });
                };
                // A create still in flight on the server gets time to commit before we look.
                let wait = self
                    .policy
                    .backoff(attempt, self.entropy.unit())
                    .max(self.policy.settle_delay);
                self.sleeper.sleep(wait).await;
                match self.find_new(auth, &external_id, before).await {
                    Ok(Some(found)) => {
                        return Ok(Submitted {
                            created: Created {
                                id: found.id,
                                application_id: None,
                                profile_url: found.profile_url().map(str::to_owned),
                                external_id: found.external_id,
                            },
                            landed: Landed::FoundAfterUnknownOutcome,
                            attempts: attempt,
                        });
                    }
                    Ok(None) => {}
                    Err(check) => {
                        return Err(ApiError::UnknownOutcome {
                            detail: format!("{error}; checking failed: {check}"),
                        });
                    }
                }
            }
            // From here on the create is known not to have landed, so sending it again is safe.
            match self.policy.decide(attempt, &error, true, self.entropy.unit()) {
                Verdict::RetryAfter(wait) if !unknown => self.sleeper.sleep(wait).await,
                Verdict::RetryAfter(_) => {}
                Verdict::GiveUp => {
                    return Err(match error {
                        ApiError::UnknownOutcome { detail } => ApiError::Network {
                            detail: format!("{detail} (checked: not saved)"),
                        },
                        other => other,
                    });
                }
            }
            attempt += 1;
        }
    }

    /// The ids under `external_id` before this submit's first send, with the `existing` ones the
    /// caller knows: only a record outside them can be this submit's outcome. An `external_id`
    /// comes from what a page says about whose page it is, so an old record under it may be
    /// another person's (a colleague's capture, or someone a hostile page claims to be).
    /// `None` where the list cannot be had (the dialect cannot search, the role may not read
    /// candidates): the create is still sent, and a lost answer then goes to the recruiter.
    pub async fn records_before(
        &self,
        auth: &Auth,
        external_id: &str,
        existing: &[u64],
    ) -> Result<Option<Vec<u64>>, ApiError> {
        if external_id.is_empty() || !self.dialect.capabilities().lookup_by_external_id {
            return Ok(None);
        }
        match self.existing(auth, external_id, existing).await {
            Ok(found) => {
                let mut before = existing.to_vec();
                before.extend(found.into_iter().map(|r| r.id));
                Ok(Some(before))
            }
            // The create would meet the same refusal; the caller signs in again first.
            Err(e @ ApiError::Unauthenticated { .. }) => Err(e),
            Err(_) => Ok(None),
        }
    }

    /// Sends a token request built by [`crate::oauth`] once: authorization codes are single-use
    /// and rotated refresh tokens must not be replayed, so there is no retry here.
    pub async fn fetch_tokens(&self, request: &ApiRequest) -> Result<Tokens, OAuthError> {
        let response = self
            .transport
            .send(request)
            .await
            .map_err(|e| OAuthError::Network(e.to_string()))?;
        oauth::interpret_token_response(&response, self.clock.now_ms())
    }

    /// The record stored under `external_id` that is not one of `existing`, if any: how a create
    /// whose answer never came (a dropped connection, a stopped service worker) is confirmed.
    pub async fn find_new(
        &self,
        auth: &Auth,
        external_id: &str,
        existing: &[u64],
    ) -> Result<Option<Record>, ApiError> {
        if external_id.is_empty() {
            return Err(ApiError::UnknownOutcome {
                detail: "no external_id to look up".into(),
            });
        }
        if !self.dialect.capabilities().lookup_by_external_id {
            return Err(ApiError::UnknownOutcome {
                detail: "this API cannot look people up by external_id".into(),
            });
        }
        let query = ListCandidates {
            external_ids: vec![external_id.to_owned()],
            candidate_ids: vec![],
        };
        let found = self.call(auth, &query).await?;
        Ok(found
            .into_iter()
            .find(|c| c.external_id == external_id && !existing.contains(&c.id)))
    }

    /// Records under `external_id` other than the one just `created` and those `known` before:
    /// a browser resends a request by itself when a reused keep-alive connection drops before
    /// any byte of the answer, so a create can land twice without `fetch` ever failing, and only
    /// a look-up afterwards can tell. Where the look-up is impossible (the dialect, the role, the
    /// network) the list is empty: this must never fail a delivered item.
    pub async fn others_under(
        &self,
        auth: &Auth,
        external_id: &str,
        created: u64,
        known: &[u64],
    ) -> Vec<u64> {
        // `existing` with nothing known is a search by `external_id`, or no request at all where
        // the dialect cannot search.
        match self.existing(auth, external_id, &[]).await {
            Ok(found) => found
                .into_iter()
                .map(|r| r.id)
                .filter(|id| *id != created && !known.contains(id))
                .collect(),
            Err(_) => vec![],
        }
    }

    /// What Greenhouse holds of a person: by `external_id` where the dialect can search for it,
    /// else the `known` records (this browser's ledger) read back by id, which also tells which
    /// of them have gone (merged, deleted, re-sourced or hidden from this user).
    pub async fn existing(
        &self,
        auth: &Auth,
        external_id: &str,
        known: &[u64],
    ) -> Result<Vec<Record>, ApiError> {
        let query = if self.dialect.capabilities().lookup_by_external_id {
            ListCandidates {
                external_ids: vec![external_id.to_owned()],
                candidate_ids: vec![],
            }
        } else if known.is_empty() {
            return Ok(vec![]);
        } else {
            ListCandidates {
                external_ids: vec![],
                candidate_ids: known.to_vec(),
            }
        };
        let found = self.call(auth, &query).await?;
        Ok(found
            .into_iter()
            .filter(|r| r.external_id == external_id || known.contains(&r.id))
            .collect())
    }

    async fn attempt<O: Operation>(&self, auth: &Auth, op: &O) -> Result<O::Output, ApiError> {
        let request = op.request(self.dialect, &self.base_url, auth);
        let response = self.send(&request, O::REPEATABLE).await?;
        op.interpret(self.dialect, &response)
    }

    /// Sends one request; without a response, whether it may have been acted on decides the error.
    async fn send(&self, request: &ApiRequest, repeatable: bool) -> Result<ApiResponse, ApiError> {
        match self.transport.send(request).await {
            Ok(response) => Ok(response),
            Err(TransportError::NotSent(detail)) => Err(ApiError::Network { detail }),
            Err(TransportError::NoResponse(detail)) if repeatable => Err(ApiError::Network { detail }),
            Err(TransportError::NoResponse(detail)) => Err(ApiError::UnknownOutcome { detail }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ApiResponse, Dialect, ListJobs, Method};
    use crate::candidate::PartnerCandidate;
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};
    use std::time::Duration;

    /// Answers from a script and records what was sent.
    #[derive(Default)]
    struct Scripted {
        answers: RefCell<VecDeque<Result<ApiResponse, TransportError>>>,
        sent: RefCell<Vec<ApiRequest>>,
    }
    impl Transport for &Scripted {
        async fn send(&self, request: &ApiRequest) -> Result<ApiResponse, TransportError> {
            self.sent.borrow_mut().push(request.clone());
            self.answers.borrow_mut().pop_front().expect("script ran out")
        }
    }
    #[derive(Default)]
    struct Waits(RefCell<Vec<Duration>>);
    impl Sleeper for &Waits {
        async fn sleep(&self, duration: Duration) {
            self.0.borrow_mut().push(duration);
        }
    }
    struct Fixed;
    impl Clock for Fixed {
        fn now_ms(&self) -> u64 {
            0
        }
    }
    impl Entropy for Fixed {
        fn fill(&self, bytes: &mut [u8]) {
            bytes.fill(0);
        }
    }

    /// Everything here completes without waking, so one poll is enough.
    fn run<F: std::future::Future>(f: F) -> F::Output {
        match pin!(f).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(v) => v,
            Poll::Pending => panic!("in-memory futures never wait"),
        }
    }

    fn answer(status: u16, body: &str) -> Result<ApiResponse, TransportError> {
        Ok(ApiResponse {
            status,
            headers: vec![("Retry-After".into(), "3".into())],
            body: body.into(),
        })
    }

    fn person() -> PartnerCandidate {
        PartnerCandidate {
            external_id: "sprout:1".into(),
            first_name: "Ada".into(),
            last_name: "L".into(),
            ..Default::default()
        }
    }

    const STORED: &str = r#"{"id":7,"external_id":"sprout:1","first_name":"Ada","last_name":"L"}"#;

    fn client<'a>(t: &'a Scripted, w: &'a Waits) -> Client<&'a Scripted, Fixed, &'a Waits, Fixed> {
        Client::new("http://h/v1/partner", t, Fixed, w, Fixed)
    }

    #[test]
    fn gets_retry_through_429_and_5xx() {
        let (t, w) = (Scripted::default(), Waits::default());
        t.answers.borrow_mut().extend([
            answer(429, ""),
            answer(503, ""),
            Err(TransportError::NoResponse("reset".into())),
            answer(200, "[]"),
        ]);
        let jobs = run(client(&t, &w).call(&Auth::bearer("x"), &ListJobs)).unwrap();
        assert!(jobs.is_empty());
        let waits = w.0.borrow();
        assert_eq!(waits[0], Duration::from_secs(3), "Retry-After honoured");
        assert_eq!(
            waits[1..],
            [Duration::from_millis(500), Duration::from_millis(1000)]
        );
    }

    #[test]
    fn a_create_with_no_answer_that_landed_is_not_resent() {
        let (t, w) = (Scripted::default(), Waits::default());
        t.answers.borrow_mut().extend([
            answer(200, "[]"),
            Err(TransportError::NoResponse("reset".into())),
            answer(200, &format!("[{STORED}]")),
        ]);
        let s = run(client(&t, &w).create_candidate(&Auth::bearer("x"), &person())).unwrap();
        assert_eq!(s.landed, Landed::FoundAfterUnknownOutcome);
        assert_eq!(s.created.id, 7);
        let sent = t.sent.borrow();
        assert_eq!(sent.len(), 3);
        for look_up in [&sent[0], &sent[2]] {
            assert_eq!(look_up.method, Method::Get);
            assert!(look_up.url.ends_with("/candidates?external_ids=sprout%3A1"));
        }
    }

    #[test]
    fn a_confirmed_second_record_is_not_mistaken_for_the_first() {
        let (t, w) = (Scripted::default(), Waits::default());
        // The person is stored as id 7 already; the new create drops, the look-up finds only 7,
        // so the create is sent again, and then a look-up after a second drop finds the new 8.
        let second = STORED.replace("\"id\":7", "\"id\":8");
        assert_ne!(second, STORED);
        t.answers.borrow_mut().extend([
            answer(200, &format!("[{STORED}]")),
            Err(TransportError::NoResponse("reset".into())),
            answer(200, &format!("[{STORED}]")),
            Err(TransportError::NoResponse("reset".into())),
            answer(200, &format!("[{STORED}, {second}]")),
        ]);
        let s = run(client(&t, &w).create_candidate_beside(&Auth::bearer("x"), &person(), &[7])).unwrap();
        assert_eq!(
            (s.landed, s.created.id, s.attempts),
            (Landed::FoundAfterUnknownOutcome, 8, 2)
        );
        let posts = t
            .sent
            .borrow()
            .iter()
            .filter(|r| r.method == Method::Post)
            .count();
        assert_eq!(posts, 2);
    }

    #[test]
    fn an_older_record_under_the_same_external_id_is_never_a_lost_creates_outcome() {
        let (t, w) = (Scripted::default(), Waits::default());
        // Someone else's record 7 is stored under this external_id (the page claimed their
        // identity) and the recruiter was never asked about it. The create's answer is lost and
        // the look-up finds only 7: that is not this submit's record, so the create goes again.
        let mine = STORED.replace("\"id\":7", "\"id\":8");
        t.answers.borrow_mut().extend([
            answer(200, &format!("[{STORED}]")),
            Err(TransportError::NoResponse("reset".into())),
            answer(200, &format!("[{STORED}]")),
            answer(201, &mine),
        ]);
        let s = run(client(&t, &w).create_candidate(&Auth::bearer("x"), &person())).unwrap();
        assert_eq!((s.landed, s.created.id, s.attempts), (Landed::Created, 8, 2));
    }

    #[test]
    fn a_create_with_no_answer_that_did_not_land_is_sent_again() {
        let (t, w) = (Scripted::default(), Waits::default());
        t.answers.borrow_mut().extend([
            answer(200, "[]"),
            answer(500, ""),
            answer(200, "[]"),
            answer(201, STORED),
        ]);
        let s = run(client(&t, &w).create_candidate(&Auth::bearer("x"), &person())).unwrap();
        assert_eq!((s.landed, s.attempts), (Landed::Created, 2));
        let posts = t
            .sent
            .borrow()
            .iter()
            .filter(|r| r.method == Method::Post)
            .count();
        assert_eq!(posts, 2);
    }

    #[test]
    fn a_create_that_cannot_be_checked_reports_an_unknown_outcome() {
        let (t, w) = (Scripted::default(), Waits::default());
        // The role may not read candidates: the records already there cannot be listed, so a
        // look-up after the lost answer could not tell this create's record from an older one.
        t.answers.borrow_mut().extend([
            answer(403, r#"{"errors":[{"message":"basic users cannot"}]}"#),
            Err(TransportError::NoResponse("timeout".into())),
        ]);
        let e = run(client(&t, &w).create_candidate(&Auth::bearer("x"), &person())).unwrap_err();
        assert!(matches!(e, ApiError::UnknownOutcome { .. }), "{e:?}");
        assert_eq!(
            t.sent.borrow().len(),
            2,
            "one listing, one create, nothing re-sent"
        );
    }

    #[test]
    fn in_greenhouses_dialect_a_lost_answer_is_never_looked_up_or_resent() {
        for lost in [Err(TransportError::NoResponse("reset".into())), answer(502, "")] {
            let (t, w) = (Scripted::default(), Waits::default());
            t.answers.borrow_mut().push_back(lost);
            let c = client(&t, &w).with_dialect(Dialect::Greenhouse);
            let e = run(c.create_candidate(&Auth::bearer("x"), &person())).unwrap_err();
            assert!(matches!(e, ApiError::UnknownOutcome { .. }), "{e:?}");
            assert_eq!(
                t.sent.borrow().len(),
                1,
                "one create, no search it cannot make, no resend"
            );
            assert!(w.0.borrow().is_empty(), "no wait for a look-up that never comes");
            assert!(run(c.others_under(&Auth::bearer("x"), "sprout:1", 7, &[])).is_empty());
        }
    }

    #[test]
    fn in_greenhouses_dialect_existing_records_are_read_back_by_the_ids_this_browser_knows() {
        let (t, w) = (Scripted::default(), Waits::default());
        t.answers.borrow_mut().push_back(answer(
            200,
            r#"[{"id":7,"name":"Ada L","external_id":"sprout:1","applications":[{"job":"Chef","status":"active","stage":"Screen"}]}]"#,
        ));
        let c = client(&t, &w).with_dialect(Dialect::Greenhouse);
        let found = run(c.existing(&Auth::bearer("x"), "sprout:1", &[7, 9])).unwrap();
        assert_eq!(found[0].applications[0].stage.as_deref(), Some("Screen"));
        assert!(t.sent.borrow()[0].url.ends_with("/candidates?candidate_ids=7,9"));
        assert!(
            run(c.existing(&Auth::bearer("x"), "sprout:1", &[]))
                .unwrap()
                .is_empty()
        );
        assert_eq!(t.sent.borrow().len(), 1, "nothing known: nothing to ask");
    }

    #[test]
    fn plain_call_never_resends_a_create_with_no_answer() {
        let (t, w) = (Scripted::default(), Waits::default());
        t.answers
            .borrow_mut()
            .push_back(Err(TransportError::NoResponse("reset".into())));
        let e = run(client(&t, &w).call(&Auth::bearer("x"), &CreateCandidate::from(&person()))).unwrap_err();
        assert!(matches!(e, ApiError::UnknownOutcome { .. }));
        assert_eq!(t.sent.borrow().len(), 1);
    }

    #[test]
    fn validation_errors_are_not_retried() {
        let (t, w) = (Scripted::default(), Waits::default());
        t.answers.borrow_mut().push_back(answer(200, "[]"));
        t.answers.borrow_mut().push_back(answer(
            422,
            r#"{"errors":[{"message":"can't be blank","field":"first_name"}]}"#,
        ));
        let e = run(client(&t, &w).create_candidate(&Auth::bearer("x"), &person())).unwrap_err();
        assert_eq!(e.field_messages()[0].field.as_deref(), Some("first_name"));
        assert_eq!(t.sent.borrow().len(), 2, "the listing, then one create");
    }
}
