//! Each request the popup and the options page make of the background, and the one answer type it
//! names: the background cannot answer a request with another's answer, and a page reads nothing
//! but the answer its request names (or why there is none).

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};

use crate::api::FieldError;
use crate::capture::{Capture, Target};
use crate::connection::Connection;
use crate::outbox::OutboxItem;
use crate::protocol::{Ability, ConnectionStatus, ExistingRecord, ToBackground};
use crate::reason::Reason;

/// A request to the background, sent as its [`ToBackground`] variant.
pub trait Request: Into<ToBackground> {
    /// What the background answers when it serves the request.
    type Answer: Serialize + DeserializeOwned;
}

// Which answer belongs to which request: the one place that says so.
macro_rules! answers {
    ($($request:ident => $answer:ty,)*) => {$(
        impl Request for $request {
            type Answer = $answer;
        }

        impl From<$request> for ToBackground {
            fn from(request: $request) -> ToBackground {
                ToBackground::$request(request)
            }
        }
    )*};
}

answers! {
    Ping => Pong,
    Status => Overview,
    SetActiveConnection => Overview,
    Catalog => CatalogAnswer,
    AwaitCatalog => CatalogAnswer,
    Defaults => FormDefaults,
    CheckDuplicate => Duplicates,
    Submit => Submitted,
    ListOutbox => OutboxView,
    RetryItem => Submitted,
    DiscardItem => OutboxView,
    TrackingLink => NewTrackingLink,
    ListConnections => Connections,
    SaveConnection => Connections,
    RemoveConnection => Connections,
    SignIn => Connections,
    SignOut => Connections,
    TestConnection => Connections,
    ReadRetention => RetentionPeriod,
    SetRetention => RetentionPeriod,
    ForgetEverything => RetentionPeriod,
}

/// Whether the background is there, and which version it runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ping {}

/// The connections, who is signed in to each, and which one captures go to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Status {}

/// Makes `id` the connection captures go to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetActiveConnection {
    pub id: String,
}

/// How fresh a connection's cached jobs and pools are; the background refreshes a stale or missing
/// cache (or any, with `refresh`) after answering, and the popup then sends [`AwaitCatalog`]. The
/// lists themselves the popup reads from the extension's IndexedDB, not through this message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub connection_id: String,
    #[serde(default)]
    pub refresh: bool,
}

/// Like [`Catalog`], answered only once no fetch of the lists runs: the popup learns that a refresh
/// ended (or failed) when it does, without asking again and again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwaitCatalog {
    pub connection_id: String,
}

/// What the form shows before the lists arrive: last time's target, and who is signed in. Without
/// a `connection_id`, for the connection captures go to now ([`captures_go_to`]), so the popup
/// asks at once rather than after [`Status`] has said which one that is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    #[serde(default)]
    pub connection_id: Option<String>,
}

/// The connection captures go to: the one chosen, else the first there is.
pub fn captures_go_to<'a>(
    active: Option<&'a str>,
    ids: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    active.or_else(|| ids.into_iter().next())
}

/// "Already in Greenhouse?": the local ledger, then `GET /candidates?external_ids=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckDuplicate {
    pub connection_id: String,
    pub external_id: String,
}

/// Stores the capture in the outbox and answers at once; delivery happens in the background.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submit {
    pub capture: Box<Capture>,
}

/// Every outbox item (the open popup is also told of every change through its outbox port).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListOutbox {}

/// Sends a failed item again, replaced by `capture` when the recruiter edited it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryItem {
    pub id: String,
    #[serde(default)]
    pub capture: Option<Box<Capture>>,
}

/// Drops an item the recruiter gave up on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscardItem {
    pub id: String,
}

/// `POST /tracking_link` for a job, for the recruiter's outreach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackingLink {
    pub connection_id: String,
    pub job_id: u64,
}

/// The options page's list of connections. Secrets go in with the requests below, never come
/// back out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListConnections {}

/// Adds (empty `id`) or updates a connection. `secret` is the Partner API key, or the OAuth
/// client secret of a private deployment; `None` keeps the stored one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveConnection {
    pub connection: Connection,
    #[serde(default)]
    pub secret: Option<String>,
}

/// Forgets the connection, its tokens, secrets and caches; `confirmation` must be "DELETE".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoveConnection {
    pub id: String,
    pub confirmation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignOut {
    pub id: String,
}

/// Asks Greenhouse who is signed in, refreshing the token if needed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestConnection {
    pub id: String,
}

/// How long people sent from this browser are remembered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadRetention {}

/// Sets the period (see [`crate::retention::Retention::new`]) and applies it at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetRetention {
    pub days: u32,
}

/// Forgets the finished outbox items, the ledger, the caches and every kept sign-in (the
/// connections and their keys stay); `confirmation` must be "FORGET".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForgetEverything {
    pub confirmation: String,
}

/// The answer to [`Ping`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pong {
    pub version: String,
}

/// The popup's view of the connections, after the request was served.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overview {
    pub active: Option<String>,
    pub connections: Vec<ConnectionStatus>,
}

impl Overview {
    /// The connection captures go to, as [`Defaults`] without a connection answers for it.
    pub fn captures_go_to(&self) -> Option<String> {
        let ids = self.connections.iter().map(|c| c.connection.id.as_str());
        captures_go_to(self.active.as_deref(), ids).map(str::to_owned)
    }
}

/// Which lists of a connection the cache holds, and whether newer ones are coming.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogAnswer {
    pub connection_id: String,
    /// When the cached lists were fetched; `None` until the first fetch has finished.
    pub fetched_at_ms: Option<u64>,
    /// A fetch is under way: [`AwaitCatalog`] answers when it ends.
    pub refreshing: bool,
    /// Why the last fetch failed; the cached lists (if any) are still good to use.
    pub error: Option<Reason>,
}

impl CatalogAnswer {
    /// Whether the page reads the cache (again), holding the lists fetched at `read` (`None`: it
    /// has read none): only when the cache holds others, so 10,000 jobs are not read twice.
    pub fn newer_than(&self, read: Option<u64>) -> bool {
        self.fetched_at_ms.is_some() && self.fetched_at_ms != read
    }
}

/// What the popup does with what came back for a [`Defaults`], as it and [`Status`] race at the
/// start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultsFit {
    /// Show it (or why it failed): it is about the connection the form is for, or the form is
    /// not for one yet and takes this one's.
    Take,
    /// Ask again for this connection, the one Status named: the answer was about another (the
    /// active one changed between the two answers), or the question about "the one captures go
    /// to" failed before anyone knew which one that was.
    AskFor(String),
    /// About a connection the popup has since left, or a failure with no connection to show it on
    /// (Status says why there is none).
    Drop,
}

/// What to do with an answer to a `Defaults` for `asked` (`None`: the one captures go to) that is
/// about `answered` (its `connection_id`; `None`: it failed), the form being for `form_for` by now
/// (`None` until Status has answered).
pub fn defaults_fit(asked: Option<&str>, answered: Option<&str>, form_for: Option<&str>) -> DefaultsFit {
    match (form_for, answered) {
        (Some(form), Some(about)) if form == about => DefaultsFit::Take,
        (Some(form), None) if asked == Some(form) => DefaultsFit::Take,
        (None, Some(_)) => DefaultsFit::Take,
        (None, None) => DefaultsFit::Drop,
        (Some(form), _) if asked.is_none() => DefaultsFit::AskFor(form.to_owned()),
        (Some(_), _) => DefaultsFit::Drop,
    }
}

impl FormDefaults {
    /// Last time's job and how the form named it, to show until the lists name it.
    pub fn remembered_job(&self) -> Option<(u64, String)> {
        match (&self.last_target, &self.last_target_label) {
            (Some(Target::Job { job_id, .. }), Some(label)) => Some((*job_id, label.clone())),
            _ => None,
        }
    }

    /// Last time's pool and how the form named it (with its stage), until the lists name it.
    pub fn remembered_pool(&self) -> Option<(u64, String)> {
        match (&self.last_target, &self.last_target_label) {
            (Some(Target::Prospect { pool_id, .. }), Some(label)) => Some((*pool_id, label.clone())),
            _ => None,
        }
    }
}

/// What the form needs of a connection besides the lists, small enough to come first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormDefaults {
    /// The connection these are for (the one captures go to, when none was asked about).
    pub connection_id: String,
    /// What the recruiter chose last time with this connection.
    pub last_target: Option<Target>,
    /// How the form named it then, shown until the lists name it.
    #[serde(default)]
    pub last_target_label: Option<String>,
    /// Whether the signed-in user may create tracking links, once Greenhouse has said.
    pub tracking_links: Ability,
    /// The signed-in Greenhouse user, e.g. to offer them as prospect owner.
    pub user_id: Option<u64>,
    /// Their email, for servers that name the prospect owner by email.
    #[serde(default)]
    pub user_email: Option<String>,
}

/// Whether a person is already stored, and how far that could be checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Duplicates {
    /// Records already stored under this person's `external_id`, newest first.
    pub records: Vec<ExistingRecord>,
    /// False when Greenhouse could not be asked (offline, or the role may not read
    /// candidates): only this browser's own ledger was checked, and `note` says why.
    pub greenhouse_checked: bool,
    pub note: Option<Reason>,
    /// The server cannot be searched for a person, only for the records this browser sent:
    /// a colleague's capture or one from another browser cannot be known.
    #[serde(default)]
    pub ledger_only: bool,
}

/// What became of a submitted (or edited and retried) capture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "SubmittedFields")]
pub enum Submitted {
    /// The capture is stored and will be delivered; the item as queued.
    Queued { item: Box<OutboxItem> },
    /// The capture was not queued: what is wrong, per field (contract field paths).
    Invalid { errors: Vec<FieldError> },
}

/// [`Submitted`] as it reads off the wire: the same object, read as one flat struct. serde's
/// internally tagged enums buffer the whole value (its private `Content`) before reading a
/// variant, which compiles the item's decoding a second time into the popup.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubmittedFields {
    #[serde(rename = "type")]
    kind: SubmittedKind,
    item: Option<Box<OutboxItem>>,
    errors: Option<Vec<FieldError>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum SubmittedKind {
    Queued,
    Invalid,
}

impl TryFrom<SubmittedFields> for Submitted {
    type Error = &'static str;

    fn try_from(fields: SubmittedFields) -> Result<Submitted, Self::Error> {
        match (fields.kind, fields.item, fields.errors) {
            (SubmittedKind::Queued, Some(item), None) => Ok(Submitted::Queued { item }),
            (SubmittedKind::Invalid, None, Some(errors)) => Ok(Submitted::Invalid { errors }),
            (SubmittedKind::Queued, ..) => Err("a queued submit carries its `item` and nothing else"),
            (SubmittedKind::Invalid, ..) => Err("an invalid submit carries its `errors` and nothing else"),
        }
    }
}

/// Every item, in delivery order, with file contents left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutboxView {
    pub items: Vec<OutboxItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTrackingLink {
    pub url: String,
    pub expires_at: Option<String>,
}

/// Every connection after the request was served, and the redirect URL to register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connections {
    pub connections: Vec<ConnectionStatus>,
    pub active: Option<String>,
    pub redirect_url: String,
}

/// The retention period in force, in days, after the request was served.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionPeriod {
    pub days: u32,
}

/// What the background sends back for a request whose answer is `A`. Any request may be refused,
/// even one the background could not read, so a refusal looks the same whatever was asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reply<A> {
    Answer {
        answer: A,
    },
    /// Understood, but it did not succeed, and why.
    Failed {
        reason: Reason,
    },
    /// The background would not serve it (not from this extension's pages, or not a request).
    Refused {
        reason: Reason,
    },
}

/// A [`Reply`] as a page holds it, read one field at a time: its envelope (`type`, and the
/// `reason` when there is no answer) is then decoded by the same code whatever was asked, and only
/// the answer's decoding is compiled once per answer type. (Decoding a `Reply<A>` whole compiled
/// the envelope's decoding once per answer type too.)
pub trait ReplyFields {
    /// The field `name` as `T`; `None` when the reply has no such field, or it is null.
    fn field<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, String>;
    /// The names of all the reply's fields.
    fn names(&self) -> Result<Vec<String>, String>;
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ReplyKind {
    Answer,
    Failed,
    Refused,
}

impl<A> From<Result<A, Reason>> for Reply<A> {
    fn from(served: Result<A, Reason>) -> Reply<A> {
        match served {
            Ok(answer) => Reply::Answer { answer },
            Err(reason) => Reply::Failed { reason },
        }
    }
}

/// Why a page has no answer to its request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unanswered {
    /// The background served the request, but it did not succeed.
    Failed(Reason),
    /// The background would not serve the request.
    Refused(Reason),
    /// The message did not reach the background, or no answer came back (the browser's words).
    Unsent(String),
    /// What came back is not a reply to this request: a bug in one of the two sides.
    Unreadable(String),
}

/// Reads the background's reply to an `R`: its answer, or why there is none.
pub fn read_reply<R: Request, F: ReplyFields>(reply: F) -> Result<R::Answer, Unanswered> {
    let answer = match without_answer(&reply) {
        Ok(Some(unanswered)) => return Err(unanswered),
        Ok(None) => reply.field::<R::Answer>("answer"),
        Err(e) => Err(e),
    };
    answer
        .and_then(|a| a.ok_or_else(|| "missing field `answer`".into()))
        .map_err(|e| {
            let request = std::any::type_name::<R>().rsplit("::").next().unwrap_or_default();
            Unanswered::Unreadable(format!(
                "the background's reply to {request} could not be read: {e}"
            ))
        })
}

/// A reply's envelope, the same for every request: `None` when it carries an answer (and only
/// that), else why there is none.
fn without_answer<F: ReplyFields>(reply: &F) -> Result<Option<Unanswered>, String> {
    if let Some(other) = reply
        .names()?
        .into_iter()
        .find(|name| !["type", "answer", "reason"].contains(&name.as_str()))
    {
        return Err(format!("unknown field `{other}`"));
    }
    let kind: ReplyKind = reply.field("type")?.ok_or("missing field `type`")?;
    let answered = reply.field::<IgnoredAny>("answer")?.is_some();
    match (kind, answered, reply.field("reason")?) {
        (ReplyKind::Answer, true, None) => Ok(None),
        (ReplyKind::Failed, false, Some(reason)) => Ok(Some(Unanswered::Failed(reason))),
        (ReplyKind::Refused, false, Some(reason)) => Ok(Some(Unanswered::Refused(reason))),
        (ReplyKind::Answer, ..) => Err("an answer carries its `answer` and nothing else".into()),
        (ReplyKind::Failed | ReplyKind::Refused, ..) => {
            Err("a failure or refusal carries its `reason` and nothing else".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidate::CurrentUser;
    use crate::outbox::Outbox;
    use crate::protocol::SignInState;
    use serde_json::{Value, json};

    /// A reply as JSON, the way the pages read it as a JS object.
    impl ReplyFields for &Value {
        fn field<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, String> {
            let Some(value) = self.get(name) else {
                return Ok(None);
            };
            Option::<T>::deserialize(value).map_err(|e| e.to_string())
        }

        fn names(&self) -> Result<Vec<String>, String> {
            let fields = self.as_object().ok_or("a reply is an object")?;
            Ok(fields.keys().cloned().collect())
        }
    }

    fn capture() -> Capture {
        serde_json::from_value(json!({
            "connection_id": "c1",
            "person": {"external_id": "sprout-1", "first_name": "Ada", "last_name": "L"},
            "target": {"kind": "job", "job_id": 4},
            "target_label": "Engineer"
        }))
        .unwrap()
    }

    fn connection_status() -> ConnectionStatus {
        ConnectionStatus {
            connection: Connection::greenhouse_oauth("Acme", "client"),
            state: SignInState::SignInAgain,
            user: Some(CurrentUser {
                id: Some(1),
                name: "R".into(),
                email: "r@acme.com".into(),
            }),
            has_secret: false,
        }
    }

    fn queued_item() -> OutboxItem {
        let mut outbox = Outbox::default();
        outbox.enqueue(capture(), 1_000).clone().listed()
    }

    /// Sends `request` and `answer` through JSON the way the page and the background do: the
    /// request as its `ToBackground`, the answer as the background's reply, read as `R`'s.
    fn round_trip<R: Request + Clone>(request: R, answer: R::Answer, tag: &str) -> Value
    where
        R::Answer: Clone + PartialEq + std::fmt::Debug,
    {
        let sent = serde_json::to_value(request.clone().into()).unwrap();
        assert_eq!(sent["type"], tag, "{sent}");
        assert_eq!(
            serde_json::from_value::<ToBackground>(sent.clone()).unwrap(),
            request.into()
        );
        let reply = serde_json::to_value(Reply::<R::Answer>::from(Ok(answer.clone()))).unwrap();
        assert_eq!(reply["type"], "answer", "{reply}");
        assert_eq!(read_reply::<R, _>(&reply).unwrap(), answer);
        sent
    }

    #[test]
    fn each_popup_request_round_trips_with_its_answer() {
        let overview = Overview {
            active: Some("c1".into()),
            connections: vec![connection_status()],
        };
        let sent = round_trip(
            Ping {},
            Pong {
                version: "0.1.0".into(),
            },
            "ping",
        );
        assert_eq!(sent, json!({"type": "ping"}));
        round_trip(Status {}, overview.clone(), "status");
        round_trip(
            SetActiveConnection { id: "c1".into() },
            overview,
            "set_active_connection",
        );
        let catalog = CatalogAnswer {
            connection_id: "c1".into(),
            fetched_at_ms: Some(7),
            refreshing: true,
            error: Some(Reason::TrackingNotAllowed),
        };
        let sent = round_trip(
            Catalog {
                connection_id: "c1".into(),
                refresh: true,
            },
            catalog,
            "catalog",
        );
        assert_eq!(
            sent,
            json!({"type": "catalog", "connection_id": "c1", "refresh": true})
        );
        let defaults = FormDefaults {
            connection_id: "c1".into(),
            last_target: Some(Target::Prospect {
                pool_id: 1,
                stage_id: Some(2),
                owner_id: None,
                owner_email: Some("me@acme.com".into()),
            }),
            last_target_label: Some("Engineering: Sourced".into()),
            tracking_links: Ability::NotAllowed,
            user_id: Some(1000),
            user_email: Some("me@acme.com".into()),
        };
        let sent = round_trip(
            Defaults {
                connection_id: Some("c1".into()),
            },
            defaults.clone(),
            "defaults",
        );
        assert_eq!(sent, json!({"type": "defaults", "connection_id": "c1"}));
        round_trip(Defaults { connection_id: None }, defaults, "defaults");
        let sent = round_trip(
            AwaitCatalog {
                connection_id: "c1".into(),
            },
            CatalogAnswer {
                connection_id: "c1".into(),
                fetched_at_ms: Some(9),
                refreshing: false,
                error: None,
            },
            "await_catalog",
        );
        assert_eq!(sent, json!({"type": "await_catalog", "connection_id": "c1"}));
        round_trip(
            CheckDuplicate {
                connection_id: "c1".into(),
                external_id: "sprout-1".into(),
            },
            Duplicates {
                records: vec![ExistingRecord {
                    candidate_id: 7,
                    name: "Ada L".into(),
                    link: "https://app.greenhouse.io/people/7".into(),
                    from_ledger: true,
                    target_label: Some("Engineer".into()),
                    at_ms: Some(5),
                    applications: Vec::new(),
                    gone: false,
                }],
                greenhouse_checked: false,
                note: Some(Reason::Local {
                    detail: "offline".into(),
                }),
                ledger_only: true,
            },
            "check_duplicate",
        );
        let queued = Submitted::Queued {
            item: Box::new(queued_item()),
        };
        let invalid = Submitted::Invalid {
            errors: vec![FieldError {
                field: Some("person.first_name".into()),
                message: "required".into(),
            }],
        };
        round_trip(
            Submit {
                capture: Box::new(capture()),
            },
            queued.clone(),
            "submit",
        );
        round_trip(
            Submit {
                capture: Box::new(capture()),
            },
            invalid.clone(),
            "submit",
        );
        let edited = RetryItem {
            id: "o1".into(),
            capture: Some(Box::new(capture())),
        };
        round_trip(edited, queued, "retry_item");
        round_trip(
            RetryItem {
                id: "o1".into(),
                capture: None,
            },
            invalid,
            "retry_item",
        );
        let listed = OutboxView {
            items: vec![queued_item()],
        };
        round_trip(ListOutbox {}, listed.clone(), "list_outbox");
        round_trip(DiscardItem { id: "o1".into() }, listed, "discard_item");
        round_trip(
            TrackingLink {
                connection_id: "c1".into(),
                job_id: 4,
            },
            NewTrackingLink {
                url: "https://grnh.se/abc".into(),
                expires_at: None,
            },
            "tracking_link",
        );
    }

    #[test]
    fn each_options_request_round_trips_with_its_answer() {
        let connections = Connections {
            connections: vec![connection_status()],
            active: None,
            redirect_url: "https://x.chromiumapp.org/".into(),
        };
        round_trip(ListConnections {}, connections.clone(), "list_connections");
        let sent = round_trip(
            SaveConnection {
                connection: Connection::greenhouse_oauth("Acme", "client"),
                secret: Some("s3cret".into()),
            },
            connections.clone(),
            "save_connection",
        );
        // A field no request knows is refused inside the request as much as beside its type.
        for smuggle in ["/connection", "/connection/auth"] {
            let mut smuggled = sent.clone();
            smuggled.pointer_mut(smuggle).unwrap()["client_secret"] = json!("s");
            assert!(
                serde_json::from_value::<ToBackground>(smuggled).is_err(),
                "{smuggle}"
            );
        }
        round_trip(
            RemoveConnection {
                id: "c1".into(),
                confirmation: "DELETE".into(),
            },
            connections.clone(),
            "remove_connection",
        );
        let sent = round_trip(SignIn { id: "c1".into() }, connections.clone(), "sign_in");
        assert_eq!(sent, json!({"type": "sign_in", "id": "c1"}));
        round_trip(SignOut { id: "c1".into() }, connections.clone(), "sign_out");
        round_trip(TestConnection { id: "c1".into() }, connections, "test_connection");
        let period = RetentionPeriod { days: 90 };
        round_trip(ReadRetention {}, period.clone(), "read_retention");
        round_trip(SetRetention { days: 90 }, period.clone(), "set_retention");
        round_trip(
            ForgetEverything {
                confirmation: "FORGET".into(),
            },
            period,
            "forget_everything",
        );
    }

    #[test]
    fn requests_keep_their_defaults_and_refuse_what_they_do_not_know() {
        assert_eq!(
            serde_json::from_value::<ToBackground>(json!({"type": "catalog", "connection_id": "c"})).unwrap(),
            ToBackground::Catalog(Catalog {
                connection_id: "c".into(),
                refresh: false
            })
        );
        assert_eq!(
            serde_json::from_value::<ToBackground>(json!({"type": "defaults"})).unwrap(),
            ToBackground::Defaults(Defaults { connection_id: None })
        );
        for bad in [
            json!({"type": "steal_token"}),
            json!({"type": "ping", "x": 1}),
            json!({"type": "get_token", "id": "c1"}),
            json!({"type": "sign_in"}),
            json!({"type": "sign_in", "id": "c1", "silent": true}),
            json!({"type": "status", "connections": []}),
            json!({"id": "c1"}),
            json!("sign_in"),
        ] {
            assert!(
                serde_json::from_value::<ToBackground>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_failure_or_refusal_is_read_as_why_there_is_no_answer() {
        let failed = serde_json::to_value(Reply::<Connections>::from(Err(Reason::ConfirmRemoval))).unwrap();
        assert_eq!(failed, json!({"type": "failed", "reason": "confirm_removal"}));
        assert_eq!(
            read_reply::<RemoveConnection, _>(&failed),
            Err(Unanswered::Failed(Reason::ConfirmRemoval))
        );
        // The background refuses before it knows what was asked: any request reads the refusal.
        let reason = Reason::Unserved {
            detail: "sender is not one of this extension's pages".into(),
        };
        let refused = serde_json::to_value(Reply::<()>::Refused {
            reason: reason.clone(),
        })
        .unwrap();
        assert_eq!(refused["type"], "refused");
        assert_eq!(
            refused["reason"],
            json!({"unserved": {"detail": "sender is not one of this extension's pages"}})
        );
        assert_eq!(
            read_reply::<Ping, _>(&refused),
            Err(Unanswered::Refused(reason.clone()))
        );
        assert_eq!(
            read_reply::<Submit, _>(&refused),
            Err(Unanswered::Refused(reason))
        );
    }

    #[test]
    fn a_reply_or_a_submit_carries_its_own_body_and_nothing_else() {
        let period = json!({"days": 7});
        assert_eq!(
            read_reply::<ReadRetention, _>(&json!({"answer": period, "type": "answer"})),
            Ok(RetentionPeriod { days: 7 }),
            "the tag need not come first"
        );
        for bad in [
            json!({"type": "answer", "answer": period, "reason": "item_gone"}),
            json!({"type": "failed", "answer": period, "reason": "item_gone"}),
            json!({"type": "failed", "answer": period}),
            json!({"type": "refused"}),
            json!({"type": "answer", "answer": period, "note": 1}),
            json!({"answer": period}),
        ] {
            assert!(
                matches!(
                    read_reply::<ReadRetention, _>(&bad),
                    Err(Unanswered::Unreadable(_))
                ),
                "{bad}"
            );
        }
        let invalid = json!({"type": "invalid", "errors": [{"field": "person", "message": "x"}]});
        let reply = json!({"type": "answer", "answer": invalid});
        assert!(matches!(
            read_reply::<Submit, _>(&reply),
            Ok(Submitted::Invalid { errors }) if errors.len() == 1
        ));
        let item = serde_json::to_value(queued_item()).unwrap();
        for bad in [
            json!({"type": "queued", "errors": []}),
            json!({"type": "invalid", "errors": [], "item": item}),
            json!({"type": "queued", "item": item, "errors": []}),
            json!({"type": "delivered", "item": item}),
        ] {
            assert!(serde_json::from_value::<Submitted>(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn another_requests_answer_does_not_read_as_this_ones() {
        let connections = serde_json::to_value(Reply::from(Ok::<_, Reason>(Connections {
            connections: Vec::new(),
            active: None,
            redirect_url: "https://x.chromiumapp.org/".into(),
        })))
        .unwrap();
        // The popup's overview has the same fields but one: the options page's answer is not it.
        let Err(Unanswered::Unreadable(why)) = read_reply::<Status, _>(&connections) else {
            panic!("a Connections reply read as an Overview");
        };
        assert!(why.contains("reply to Status"), "{why}");
        assert!(why.contains("redirect_url"), "{why}");
        let outbox =
            serde_json::to_value(Reply::from(Ok::<_, Reason>(OutboxView { items: Vec::new() }))).unwrap();
        let Err(Unanswered::Unreadable(why)) = read_reply::<Submit, _>(&outbox) else {
            panic!("an outbox read as a submit's answer");
        };
        assert!(why.contains("reply to Submit"), "{why}");
        // The old untyped answers are not replies at all.
        for old in [
            json!({"type": "pong", "version": "0.1.0"}),
            json!({"type": "retention", "days": 90}),
            json!({"type": "answer"}),
        ] {
            assert!(
                matches!(
                    read_reply::<ReadRetention, _>(&old),
                    Err(Unanswered::Unreadable(_))
                ),
                "{old}"
            );
        }
    }

    #[test]
    fn the_page_reads_the_cached_lists_again_only_when_the_cache_holds_others() {
        let answer = |fetched_at_ms| CatalogAnswer {
            connection_id: "c1".into(),
            fetched_at_ms,
            refreshing: false,
            error: None,
        };
        assert!(answer(Some(5)).newer_than(None), "nothing read yet");
        assert!(answer(Some(9)).newer_than(Some(5)), "a refresh finished");
        assert!(!answer(Some(5)).newer_than(Some(5)), "already read");
        assert!(!answer(None).newer_than(None), "nothing cached yet");
    }

    #[test]
    fn last_time_s_target_keeps_its_name_for_its_own_kind_only() {
        let job = Target::Job {
            job_id: 4,
            source_id: None,
            referrer_email: None,
            referrer_name: None,
        };
        let pool = Target::Prospect {
            pool_id: 6,
            stage_id: Some(7),
            owner_id: None,
            owner_email: None,
        };
        let defaults = |target: Target, label: Option<&str>| FormDefaults {
            connection_id: "c1".into(),
            last_target: Some(target),
            last_target_label: label.map(Into::into),
            tracking_links: Ability::Unknown,
            user_id: None,
            user_email: None,
        };
        let to_job = defaults(job.clone(), Some("Engineer (REQ-1)"));
        assert_eq!(to_job.remembered_job(), Some((4, "Engineer (REQ-1)".into())));
        assert_eq!(to_job.remembered_pool(), None);
        let to_pool = defaults(pool, Some("Talent: Sourced"));
        assert_eq!(to_pool.remembered_pool(), Some((6, "Talent: Sourced".into())));
        assert_eq!(to_pool.remembered_job(), None);
        assert_eq!(
            defaults(job, None).remembered_job(),
            None,
            "stored before names were"
        );
    }

    #[test]
    fn captures_go_to_the_chosen_connection_else_the_first() {
        assert_eq!(captures_go_to(Some("b"), ["a", "b"]), Some("b"));
        assert_eq!(captures_go_to(None, ["a", "b"]), Some("a"));
        assert_eq!(captures_go_to(None, []), None);
        let mut second = connection_status();
        second.connection.id = "c2".into();
        let overview = |active: Option<&str>| Overview {
            active: active.map(Into::into),
            connections: vec![connection_status(), second.clone()],
        };
        let first = connection_status().connection.id;
        assert_eq!(overview(None).captures_go_to(), Some(first));
        assert_eq!(overview(Some("c2")).captures_go_to(), Some("c2".into()));
    }

    #[test]
    fn defaults_asked_beside_status_show_unless_the_active_connection_changed_between() {
        use DefaultsFit::{AskFor, Drop, Take};
        // Asked for the connection captures go to, beside Status.
        assert_eq!(defaults_fit(None, Some("a"), None), Take, "before Status");
        assert_eq!(defaults_fit(None, Some("a"), Some("a")), Take, "Status agrees");
        assert_eq!(
            defaults_fit(None, Some("a"), Some("b")),
            AskFor("b".into()),
            "another page switched connections between the two answers"
        );
        assert_eq!(
            defaults_fit(None, None, None),
            Drop,
            "no connection yet: Status tells"
        );
        assert_eq!(
            defaults_fit(None, None, Some("a")),
            AskFor("a".into()),
            "failed before Status named the connection: ask about it, and show that failure"
        );
        // Asked about one connection: at a switch, or after the above.
        assert_eq!(defaults_fit(Some("b"), Some("b"), Some("b")), Take);
        assert_eq!(
            defaults_fit(Some("b"), None, Some("b")),
            Take,
            "its failure shows"
        );
        assert_eq!(
            defaults_fit(Some("a"), Some("a"), Some("b")),
            Drop,
            "the popup switched away since"
        );
        assert_eq!(defaults_fit(Some("a"), None, Some("b")), Drop);
    }
}
