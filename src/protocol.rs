//! Messages between the extension's contexts, named by direction and tagged `type`, so every
//! boundary decodes into one closed enum and rejects what it does not know.

use serde::{Deserialize, Serialize};

use crate::api::ApplicationStatus;
use crate::candidate::CurrentUser;
use crate::connection::Connection;
use crate::extract::Profile;
use crate::outbox::OutboxItem;
use crate::request;

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

/// Any request the background accepts, from the popup or the options page: one closed enum
/// tagged `type`, each variant one request of [`crate::request`] with the answer it names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "serde_json::Value")]
pub enum ToBackground {
    Ping(request::Ping),
    Status(request::Status),
    SetActiveConnection(request::SetActiveConnection),
    Catalog(request::Catalog),
    AwaitCatalog(request::AwaitCatalog),
    Defaults(request::Defaults),
    CheckDuplicate(request::CheckDuplicate),
    Submit(request::Submit),
    ListOutbox(request::ListOutbox),
    RetryItem(request::RetryItem),
    DiscardItem(request::DiscardItem),
    TrackingLink(request::TrackingLink),
    ListConnections(request::ListConnections),
    SaveConnection(request::SaveConnection),
    RemoveConnection(request::RemoveConnection),
    SignIn(request::SignIn),
    SignOut(request::SignOut),
    TestConnection(request::TestConnection),
    ReadRetention(request::ReadRetention),
    SetRetention(request::SetRetention),
    ForgetEverything(request::ForgetEverything),
}

/// A message read as one value, then as the one request its `type` names: serde's internally tagged
/// decoding would buffer it in its private `Content` and compile every request's decoding once
/// more for that (120 KB of the background's wasm). Every level still refuses unknown fields.
impl TryFrom<serde_json::Value> for ToBackground {
    type Error = String;

    fn try_from(message: serde_json::Value) -> Result<ToBackground, String> {
        let serde_json::Value::Object(mut fields) = message else {
            return Err("a message is an object".into());
        };
        let Some(serde_json::Value::String(kind)) = fields.remove("type") else {
            return Err("missing field `type`".into());
        };
        let fields = serde_json::Value::Object(fields);
        macro_rules! read {
            ($($tag:literal => $request:ident,)*) => {
                match kind.as_str() {
                    $($tag => serde_json::from_value(fields).map(ToBackground::$request),)*
                    _ => return Err(format!("unknown variant `{kind}`")),
                }
            };
        }
        read! {
            "ping" => Ping,
            "status" => Status,
            "set_active_connection" => SetActiveConnection,
            "catalog" => Catalog,
            "await_catalog" => AwaitCatalog,
            "defaults" => Defaults,
            "check_duplicate" => CheckDuplicate,
            "submit" => Submit,
            "list_outbox" => ListOutbox,
            "retry_item" => RetryItem,
            "discard_item" => DiscardItem,
            "tracking_link" => TrackingLink,
            "list_connections" => ListConnections,
            "save_connection" => SaveConnection,
            "remove_connection" => RemoveConnection,
            "sign_in" => SignIn,
            "sign_out" => SignOut,
            "test_connection" => TestConnection,
            "read_retention" => ReadRetention,
            "set_retention" => SetRetention,
            "forget_everything" => ForgetEverything,
        }
        .map_err(|e| e.to_string())
    }
}

/// The name of the port an open popup holds to the background to follow the outbox.
pub const OUTBOX_PORT: &str = "outbox";

/// What the background pushes down an open popup's outbox port, unasked: once when the port
/// opens, then after every change, so the popup never has to poll.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", from = "PushFields")]
pub enum BackgroundPush {
    /// Every item, in delivery order, with file contents left out (as `ListOutbox` answers).
    Outbox { items: Vec<OutboxItem> },
}

/// [`BackgroundPush`] as it reads off the wire: the same object, read as one flat struct rather
/// than buffered first as serde's internally tagged enums are (which compiles the items' decoding
/// twice into the popup).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PushFields {
    #[serde(rename = "type")]
    _kind: PushKind,
    items: Vec<OutboxItem>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PushKind {
    Outbox,
}

impl From<PushFields> for BackgroundPush {
    fn from(fields: PushFields) -> BackgroundPush {
        BackgroundPush::Outbox { items: fields.items }
    }
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
#[serde(tag = "type", rename_all = "snake_case", from = "PageViewFields")]
pub enum ContentToPopup {
    /// The page's reduced view ([`crate::page_view`]); the popup extracts the person from it.
    PageView {
        url: String,
        title: String,
        /// The view's HTML, at most [`crate::page_read::MAX_HTML_UNITS`] UTF-16 units.
        html: String,
        /// Length of the view copied, in UTF-16 code units as the DOM counts them (more than
        /// `html` holds when its last piece went beyond [`crate::page_read::MAX_HTML_UNITS`]).
        html_len: u32,
        /// The reader stopped copying once it had enough ([`crate::page_view::ENOUGH_UNITS`]):
        /// the page goes on after `html`.
        cut: bool,
        timings: ReadTimings,
    },
}

/// [`ContentToPopup`] as it reads off the wire: the same object read as one flat struct, not
/// buffered first as serde's internally tagged enums are.
#[derive(Deserialize)]
struct PageViewFields {
    #[serde(rename = "type")]
    _kind: PageViewKind,
    url: String,
    title: String,
    html: String,
    html_len: u32,
    #[serde(default)]
    cut: bool,
    timings: ReadTimings,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PageViewKind {
    PageView,
}

impl From<PageViewFields> for ContentToPopup {
    fn from(view: PageViewFields) -> ContentToPopup {
        ContentToPopup::PageView {
            url: view.url,
            title: view.title,
            html: view.html,
            html_len: view.html_len,
            cut: view.cut,
            timings: view.timings,
        }
    }
}

/// The content script's view with the person the extractor's wasm found in it
/// ([`crate::page_read::extract_view`]): what popup.js hands the popup. The view's HTML stays
/// behind; the popup only shows its length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtractedPage {
    pub url: String,
    pub title: String,
    pub html_len: u32,
    pub timings: ReadTimings,
    pub profile: Profile,
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
    /// Pruning, parsing and extracting in the extractor's wasm (filled in by it).
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
        let ping = serde_json::to_value(ToBackground::Ping(request::Ping {})).unwrap();
        assert_eq!(ping, json!({"type": "ping"}));
        assert_eq!(
            serde_json::from_value::<ToBackground>(ping).unwrap(),
            ToBackground::Ping(request::Ping {})
        );
        let read = ContentToPopup::PageView {
            url: "http://127.0.0.1/".into(),
            title: "T".into(),
            html: "<title>Ada Lovelace</title>".into(),
            html_len: 27,
            cut: false,
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
