//! The background as the popup and options pages call it: one function per request, each
//! answering with the type its request names in `sprout::request`, or why there is no answer.

use crate::i18n::t_args;
use crate::reasons;
use js_sys::{Object, Reflect};
use serde::de::DeserializeOwned;
use sprout::capture::Capture;
use sprout::connection::Connection;
use sprout::request::{
    self, CatalogAnswer, Connections, Duplicates, FormDefaults, NewTrackingLink, OutboxView, Overview,
    ReplyFields, Request, RetentionPeriod, Submitted, Unanswered,
};
use sprout_webext::{from_js, js_error, runtime};
use wasm_bindgen::{JsCast, JsValue};

/// Sends one request and reads the reply as the answer it names.
async fn ask<R: Request>(request: R) -> Result<R::Answer, Unanswered> {
    let message: sprout::protocol::ToBackground = request.into();
    let reply = runtime::ask(&message).await.map_err(Unanswered::Unsent)?;
    request::read_reply::<R, _>(JsReply(reply))
}

/// The background's reply as the browser hands it over: a plain object.
struct JsReply(JsValue);

impl ReplyFields for JsReply {
    fn field<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, String> {
        from_js(Reflect::get(&self.0, &name.into()).map_err(js_error)?)
    }

    fn names(&self) -> Result<Vec<String>, String> {
        if !self.0.is_object() {
            return Err("a reply is an object".into());
        }
        Ok(Object::keys(self.0.unchecked_ref::<Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .collect())
    }
}

/// The popup's words for a request without an answer: the background's reason, or that it could
/// not be reached.
pub fn why(unanswered: &Unanswered) -> String {
    match unanswered {
        Unanswered::Failed(reason) | Unanswered::Refused(reason) => reasons::reason(reason),
        Unanswered::Unsent(e) | Unanswered::Unreadable(e) => t_args("backgroundUnavailable", &[e]),
    }
}

pub async fn status() -> Result<Overview, Unanswered> {
    ask(request::Status {}).await
}

pub async fn set_active_connection(id: String) -> Result<Overview, Unanswered> {
    ask(request::SetActiveConnection { id }).await
}

pub async fn catalog(connection_id: String, refresh: bool) -> Result<CatalogAnswer, Unanswered> {
    ask(request::Catalog {
        connection_id,
        refresh,
    })
    .await
}

/// Answered once the fetch of the lists that runs (if one does) has ended.
pub async fn await_catalog(connection_id: String) -> Result<CatalogAnswer, Unanswered> {
    ask(request::AwaitCatalog { connection_id }).await
}

/// For `connection_id`, or (`None`) the connection captures go to.
pub async fn defaults(connection_id: Option<String>) -> Result<FormDefaults, Unanswered> {
    ask(request::Defaults { connection_id }).await
}

pub async fn check_duplicate(connection_id: String, external_id: String) -> Result<Duplicates, Unanswered> {
    ask(request::CheckDuplicate {
        connection_id,
        external_id,
    })
    .await
}

pub async fn submit(capture: Capture) -> Result<Submitted, Unanswered> {
    ask(request::Submit {
        capture: Box::new(capture),
    })
    .await
}

/// Retries a failed item, as `edited` when the recruiter changed it.
pub async fn retry_item(id: String, edited: Option<Capture>) -> Result<Submitted, Unanswered> {
    ask(request::RetryItem {
        id,
        capture: edited.map(Box::new),
    })
    .await
}

pub async fn discard_item(id: String) -> Result<OutboxView, Unanswered> {
    ask(request::DiscardItem { id }).await
}

pub async fn tracking_link(connection_id: String, job_id: u64) -> Result<NewTrackingLink, Unanswered> {
    ask(request::TrackingLink {
        connection_id,
        job_id,
    })
    .await
}

pub async fn list_connections() -> Result<Connections, Unanswered> {
    ask(request::ListConnections {}).await
}

/// Adds or updates a connection; `secret: None` keeps the stored one.
pub async fn save_connection(
    connection: Connection,
    secret: Option<String>,
) -> Result<Connections, Unanswered> {
    ask(request::SaveConnection { connection, secret }).await
}

pub async fn remove_connection(id: String, confirmation: String) -> Result<Connections, Unanswered> {
    ask(request::RemoveConnection { id, confirmation }).await
}

pub async fn sign_in(id: String) -> Result<Connections, Unanswered> {
    ask(request::SignIn { id }).await
}

pub async fn sign_out(id: String) -> Result<Connections, Unanswered> {
    ask(request::SignOut { id }).await
}

pub async fn test_connection(id: String) -> Result<Connections, Unanswered> {
    ask(request::TestConnection { id }).await
}

pub async fn read_retention() -> Result<RetentionPeriod, Unanswered> {
    ask(request::ReadRetention {}).await
}

pub async fn set_retention(days: u32) -> Result<RetentionPeriod, Unanswered> {
    ask(request::SetRetention { days }).await
}

pub async fn forget_everything(confirmation: String) -> Result<RetentionPeriod, Unanswered> {
    ask(request::ForgetEverything { confirmation }).await
}
