//! Messages between the extension's contexts, named by direction and tagged `type`, so every
//! boundary decodes into one closed enum and rejects what it does not know.

use serde::{Deserialize, Serialize};

use crate::api::{ApplicationStatus, FieldError};
use crate::candidate::CurrentUser;
use crate::capture::{Capture, Target};
use crate::catalog::Catalog;
use crate::connection::Connection;
use crate::outbox::OutboxItem;
use crate::reason::Reason;

/// What the popup may ask of the background.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum PopupToBackground {
    Ping {},
    /// The connections, who is signed in to each, and which one captures go to.
    Status {},
    SetActiveConnection {
        id: String,
    },
    /// Jobs and pools of a connection, straight from the cache; the background refreshes a stale
    /// or missing cache (or any, with `refresh`) after answering, and the popup asks again.
    Catalog {
        connection_id: String,
        #[serde(default)]
        refresh: bool,
    },
    /// "Already in Greenhouse?": the local ledger, then `GET /candidates?external_ids=`.
    CheckDuplicate {
        connection_id: String,
        external_id: String,
    },
    /// Stores the capture in the outbox and answers at once; delivery happens in the background.
    Submit {
        capture: Box<Capture>,
    },
    ListOutbox {},
    /// Sends a failed item again, replaced by `capture` when the recruiter edited it.
    RetryItem {
        id: String,
        #[serde(default)]
        capture: Option<Box<Capture>>,
    },
    DiscardItem {
        id: String,
    },
    /// `POST /tracking_link` for a job, for the recruiter's outreach.
    TrackingLink {
        connection_id: String,
        job_id: u64,
    },
}

/// The background's answers to the popup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BackgroundToPopup {
    Pong {
        version: String,
    },
    Status {
        active: Option<String>,
        connections: Vec<ConnectionStatus>,
    },
    Catalog {
        connection_id: String,
        /// `None` until the first fetch for this connection has finished.
        catalog: Option<Catalog>,
        /// A fetch is under way: ask again shortly for the fresh lists.
        refreshing: bool,
        /// Why the last fetch failed; the cached lists (if any) are still good to use.
        error: Option<Reason>,
        /// What the recruiter chose last time with this connection.
        last_target: Option<Target>,
        /// Whether the signed-in user may create tracking links, once Greenhouse has said.
        tracking_links: Ability,
        /// The signed-in Greenhouse user, e.g. to offer them as prospect owner.
        user_id: Option<u64>,
        /// Their email, for servers that name the prospect owner by email.
        #[serde(default)]
        user_email: Option<String>,
    },
    Duplicates {
        /// Records already stored under this person's `external_id`, newest first.
        records: Vec<ExistingRecord>,
        /// False when Greenhouse could not be asked (offline, or the role may not read
        /// candidates): only this browser's own ledger was checked, and `note` says why.
        greenhouse_checked: bool,
        note: Option<Reason>,
        /// The server cannot be searched for a person, only for the records this browser sent:
        /// a colleague's capture or one from another browser cannot be known.
        #[serde(default)]
        ledger_only: bool,
    },
    /// The capture is stored and will be delivered; the item as queued.
    Queued {
        item: Box<OutboxItem>,
    },
    /// The capture was not queued: what is wrong, per field (contract field paths).
    Invalid {
        errors: Vec<FieldError>,
    },
    /// Every item, in delivery order, with file contents left out.
    Outbox {
        items: Vec<OutboxItem>,
    },
    TrackingLink {
        url: String,
        expires_at: Option<String>,
    },
    /// Understood but it did not succeed, and why.
    Failed {
        reason: Reason,
    },
    /// A request the background would not serve, and why.
    Refused {
        reason: Reason,
    },
}

/// What Greenhouse lets the signed-in user do, as far as Sprout has learnt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ability {
    #[default]
    Unknown,
    Allowed,
    /// Greenhouse answered 403: the role does not allow it.
    NotAllowed,
}

/// A person already in Greenhouse under the `external_id` being captured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistingRecord {
    pub candidate_id: u64,
    pub name: String,
    /// The person's page in Greenhouse.
    pub link: String,
    /// Sent from this browser (the ledger knows when and where to); otherwise found in Greenhouse.
    pub from_ledger: bool,
    pub target_label: Option<String>,
    pub at_ms: Option<u64>,
    /// Where the person stands in Greenhouse (job, stage, status), where the server says.
    #[serde(default)]
    pub applications: Vec<ApplicationStatus>,
    /// This browser sent it, but Greenhouse no longer shows it (merged, deleted, re-sourced, or
    /// hidden from this user).
    #[serde(default)]
    pub gone: bool,
}

/// What the options page may ask of the background. Secrets go in, never come back out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum OptionsToBackground {
    ListConnections {},
    /// Adds (empty `id`) or updates a connection. `secret` is the Partner API key, or the OAuth
    /// client secret of a private deployment; `None` keeps the stored one.
    SaveConnection {
        connection: Connection,
        #[serde(default)]
        secret: Option<String>,
    },
    /// Forgets the connection, its tokens, secrets and caches; `confirmation` must be "DELETE".
    RemoveConnection {
        id: String,
        confirmation: String,
    },
    SignIn {
        id: String,
    },
    SignOut {
        id: String,
    },
    /// Asks Greenhouse who is signed in, refreshing the token if needed.
    TestConnection {
        id: String,
    },
    /// How long people sent from this browser are remembered; answered with `Retention`.
    ReadRetention {},
    /// Sets the period (see [`crate::retention::Retention::new`]) and applies it at once.
    SetRetention {
        days: u32,
    },
    /// Forgets the finished outbox items, the ledger, the caches and every kept sign-in (the
    /// connections and their keys stay); `confirmation` must be "FORGET".
    ForgetEverything {
        confirmation: String,
    },
}

/// The background's answers to the options page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BackgroundToOptions {
    /// Every connection after the request was served, and the redirect URL to register.
    Connections {
        connections: Vec<ConnectionStatus>,
        active: Option<String>,
        redirect_url: String,
    },
    /// The request was understood but did not succeed, and why.
    Failed {
        reason: Reason,
    },
    Refused {
        reason: Reason,
    },
    /// The retention period in days, after a retention or forget request was served.
    Retention {
        days: u32,
    },
}

/// Any message the background accepts, whichever page sent it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ToBackground {
    Popup(PopupToBackground),
    Options(OptionsToBackground),
}

/// The name of the port an open popup holds to the background to follow the outbox.
pub const OUTBOX_PORT: &str = "outbox";

/// What the background pushes down an open popup's outbox port, unasked: once when the port
/// opens, then after every change, so the popup never has to poll.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum BackgroundPush {
    /// Every item, in delivery order, with file contents left out (as `ListOutbox` answers).
    Outbox { items: Vec<OutboxItem> },
}

impl BackgroundPush {
    /// The outbox as stored, made fit to show.
    pub fn outbox(items: Vec<OutboxItem>) -> BackgroundPush {
        BackgroundPush::Outbox {
            items: items.into_iter().map(OutboxItem::listed).collect(),
        }
    }
}

/// One connection as the pages show it: settings (no secrets), who is signed in, and its state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectionStatus {
    pub connection: Connection,
    pub state: SignInState,
    /// From `GET /current_user` at sign-in or the last test.
    pub user: Option<CurrentUser>,
    /// Whether a Partner API key or client secret is stored for it.
    pub has_secret: bool,
}

/// Where a connection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInState {
    SignedIn,
    SignedOut,
    /// The sign-in ended (expired or revoked and refresh failed): the recruiter must sign in again.
    SignInAgain,
    /// Partner-key mode without a stored key (e.g. after the browser restarted).
    NeedsKey,
}

/// What the content script hands back to the popup after reading a page. Data, never a command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentToPopup {
    /// The page's reduced view ([`crate::page_view`]); the popup extracts the person from it.
    PageView {
        url: String,
        title: String,
        /// The view's HTML, at most [`crate::page_read::MAX_HTML_UNITS`] UTF-16 units.
        html: String,
        /// Length of the whole view, in UTF-16 code units as the DOM counts them (more than
        /// `html` holds when the view was cut).
        html_len: u32,
        timings: ReadTimings,
    },
}

/// Where the page read's time went, in milliseconds, for the in-browser benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ReadTimings {
    /// Decoding and instantiating the reader's embedded wasm (filled in by content.js, which alone
    /// sees it).
    #[serde(default)]
    pub load_ms: f64,
    /// Building the view from the live DOM.
    pub serialize_ms: f64,
    /// Pruning, parsing and extracting in the popup's wasm (filled in by the popup).
    #[serde(default)]
    pub extract_ms: f64,
}

/// Who sent a `runtime.onMessage` message, as the browser reports it (`runtime.MessageSender`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Sender {
    pub id: Option<String>,
    pub url: Option<String>,
}

impl Sender {
    /// True only for this extension's own pages (popup, options, background). Content scripts
    /// carry this extension's id too but the URL of the web page they run in, so they fail here:
    /// what they send is data, never a command.
    pub fn is_extension_page(&self, own_id: &str, own_origin: &str) -> bool {
        self.id.as_deref() == Some(own_id)
            && !own_origin.is_empty()
            && self.url.as_deref().is_some_and(|url| url.starts_with(own_origin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_round_trip_with_their_tag() {
        let ping = serde_json::to_value(PopupToBackground::Ping {}).unwrap();
        assert_eq!(ping, json!({"type": "ping"}));
        assert_eq!(
            serde_json::from_value::<PopupToBackground>(ping).unwrap(),
            PopupToBackground::Ping {}
        );
        let read = ContentToPopup::PageView {
            url: "http://127.0.0.1/".into(),
            title: "T".into(),
            html: "<title>Ada Lovelace</title>".into(),
            html_len: 27,
            timings: ReadTimings {
                load_ms: 9.0,
                serialize_ms: 1.5,
                extract_ms: 2.0,
            },
        };
        let v = serde_json::to_value(&read).unwrap();
        assert_eq!(v["type"], "page_view");
        assert_eq!(serde_json::from_value::<ContentToPopup>(v).unwrap(), read);
    }

    #[test]
    fn unknown_types_and_fields_are_rejected() {
        assert!(serde_json::from_value::<PopupToBackground>(json!({"type": "steal_token"})).is_err());
        assert!(serde_json::from_value::<PopupToBackground>(json!({"type": "ping", "x": 1})).is_err());
        for bad in [
            json!({"type": "get_token", "id": "c1"}),
            json!({"type": "sign_in"}),
            json!({"type": "sign_in", "id": "c1", "silent": true}),
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
    fn options_and_popup_messages_round_trip() {
        let connection = crate::connection::Connection::greenhouse_oauth("Acme", "client");
        let all = [
            ToBackground::Options(OptionsToBackground::ListConnections {}),
            ToBackground::Options(OptionsToBackground::SaveConnection {
                connection: connection.clone(),
                secret: Some("s3cret".into()),
            }),
            ToBackground::Options(OptionsToBackground::RemoveConnection {
                id: "c1".into(),
                confirmation: "DELETE".into(),
            }),
            ToBackground::Options(OptionsToBackground::SignIn { id: "c1".into() }),
            ToBackground::Options(OptionsToBackground::SignOut { id: "c1".into() }),
            ToBackground::Options(OptionsToBackground::TestConnection { id: "c1".into() }),
            ToBackground::Options(OptionsToBackground::ReadRetention {}),
            ToBackground::Options(OptionsToBackground::SetRetention { days: 30 }),
            ToBackground::Options(OptionsToBackground::ForgetEverything {
                confirmation: "FORGET".into(),
            }),
            ToBackground::Popup(PopupToBackground::Status {}),
            ToBackground::Popup(PopupToBackground::SetActiveConnection { id: "c1".into() }),
            ToBackground::Popup(PopupToBackground::Ping {}),
        ];
        for message in all {
            let v = serde_json::to_value(&message).unwrap();
            assert!(v["type"].is_string(), "{v}");
            assert_eq!(serde_json::from_value::<ToBackground>(v).unwrap(), message);
        }
        let sign_in = serde_json::to_value(OptionsToBackground::SignIn { id: "c1".into() }).unwrap();
        assert_eq!(sign_in, json!({"type": "sign_in", "id": "c1"}));
        let answer = BackgroundToOptions::Connections {
            connections: vec![ConnectionStatus {
                connection,
                state: SignInState::SignInAgain,
                user: Some(CurrentUser {
                    id: Some(1),
                    name: "R".into(),
                    email: "r@acme.com".into(),
                }),
                has_secret: false,
            }],
            active: None,
            redirect_url: "https://x.chromiumapp.org/".into(),
        };
        let v = serde_json::to_value(&answer).unwrap();
        assert_eq!(v["connections"][0]["state"], "sign_in_again");
        assert_eq!(serde_json::from_value::<BackgroundToOptions>(v).unwrap(), answer);
        let retention = serde_json::to_value(BackgroundToOptions::Retention { days: 90 }).unwrap();
        assert_eq!(retention, json!({"type": "retention", "days": 90}));
    }

    #[test]
    fn capture_messages_round_trip() {
        let capture: Capture = serde_json::from_value(json!({
            "connection_id": "c1",
            "person": {"external_id": "sprout-1", "first_name": "Ada", "last_name": "L"},
            "target": {"kind": "job", "job_id": 4},
            "target_label": "Engineer"
        }))
        .unwrap();
        let all = [
            PopupToBackground::Catalog {
                connection_id: "c1".into(),
                refresh: false,
            },
            PopupToBackground::CheckDuplicate {
                connection_id: "c1".into(),
                external_id: "sprout-1".into(),
            },
            PopupToBackground::Submit {
                capture: Box::new(capture.clone()),
            },
            PopupToBackground::ListOutbox {},
            PopupToBackground::RetryItem {
                id: "o1".into(),
                capture: Some(Box::new(capture)),
            },
            PopupToBackground::DiscardItem { id: "o1".into() },
            PopupToBackground::TrackingLink {
                connection_id: "c1".into(),
                job_id: 4,
            },
        ];
        for message in all {
            let v = serde_json::to_value(&message).unwrap();
            assert_eq!(
                serde_json::from_value::<ToBackground>(v).unwrap(),
                ToBackground::Popup(message)
            );
        }
        assert_eq!(
            serde_json::from_value::<PopupToBackground>(json!({"type": "catalog", "connection_id": "c"}))
                .unwrap(),
            PopupToBackground::Catalog {
                connection_id: "c".into(),
                refresh: false
            }
        );
        let answer = BackgroundToPopup::Catalog {
            connection_id: "c1".into(),
            catalog: Some(Catalog::default()),
            refreshing: true,
            error: None,
            last_target: Some(Target::Prospect {
                pool_id: 1,
                stage_id: Some(2),
                owner_id: None,
                owner_email: Some("me@acme.com".into()),
            }),
            tracking_links: Ability::NotAllowed,
            user_id: Some(1000),
            user_email: Some("me@acme.com".into()),
        };
        let v = serde_json::to_value(&answer).unwrap();
        assert_eq!(v["tracking_links"], "not_allowed");
        assert_eq!(v["last_target"]["kind"], "prospect");
        assert_eq!(serde_json::from_value::<BackgroundToPopup>(v).unwrap(), answer);
    }

    #[test]
    fn the_outbox_push_is_tagged_and_closed() {
        let push = serde_json::to_value(BackgroundPush::outbox(Vec::new())).unwrap();
        assert_eq!(push, json!({"type": "outbox", "items": []}));
        assert_eq!(
            serde_json::from_value::<BackgroundPush>(push).unwrap(),
            BackgroundPush::Outbox { items: Vec::new() }
        );
        assert!(serde_json::from_value::<BackgroundPush>(json!({"type": "status", "items": []})).is_err());
        assert!(serde_json::from_value::<BackgroundPush>(json!({"type": "outbox"})).is_err());
    }

    #[test]
    fn only_this_extensions_pages_are_privileged() {
        let origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/";
        let id = "abcdefghijklmnopabcdefghijklmnop";
        let popup = Sender {
            id: Some(id.into()),
            url: Some(format!("{origin}popup.html")),
        };
        assert!(popup.is_extension_page(id, origin));
        let content_script = Sender {
            id: Some(id.into()),
            url: Some("https://evil.example/".into()),
        };
        assert!(!content_script.is_extension_page(id, origin));
        let other_extension = Sender {
            id: Some("other".into()),
            url: Some(format!("{origin}popup.html")),
        };
        assert!(!other_extension.is_extension_page(id, origin));
        let lookalike = Sender {
            id: Some(id.into()),
            url: Some(format!("{}x/", origin.trim_end_matches('/'))),
        };
        assert!(!lookalike.is_extension_page(id, origin));
        assert!(!Sender::default().is_extension_page(id, origin));
        assert!(!popup.is_extension_page(id, ""));
    }
}
