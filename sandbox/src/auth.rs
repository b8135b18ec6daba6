//! Who is calling: a Bearer token this sandbox issued, or Basic with the Partner API key plus an
//! `On-Behalf-Of` email; then whether their scopes and role allow the operation. As extractors, so
//! each handler names in its signature what it needs: [`Caller`] (anyone signed in),
//! [`Permitted`] (allowed one operation), [`Sent`] (allowed, and the JSON body they sent).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Instant;

use crate::config::Role;
use crate::dialect::{error_response, parse_json};
use crate::server::Shared;
use crate::store::User;

/// An authenticated caller.
pub struct Caller {
    pub user: User,
    /// OAuth scopes; `None` for Basic auth, which the API key grants in full.
    scopes: Option<Vec<String>>,
    pub mode: &'static str,
}

/// What an operation needs.
pub struct Needs {
    pub scope: Option<&'static str>,
    /// Whether a "basic" role may do it.
    pub basic_role: bool,
}

fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<Caller, Response> {
    let unauthenticated = |message: &str| {
        let mut r = error_response(StatusCode::UNAUTHORIZED, message, None);
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            "Basic realm=\"Greenhouse Partner API\""
                .parse()
                .expect("static header"),
        );
        r
    };
    let store = shared.lock();
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| unauthenticated("Missing Authorization header"))?;
    if let Some(token) = authorization.strip_prefix("Bearer ") {
        let t = store
            .access
            .get(token.trim())
            .ok_or_else(|| unauthenticated("Invalid or revoked access token"))?;
        if t.expires <= Instant::now() {
            return Err(unauthenticated("Access token expired"));
        }
        let user = store
            .user(&t.email)
            .cloned()
            .ok_or_else(|| unauthenticated("User no longer exists"))?;
        return Ok(Caller {
            user,
            scopes: Some(t.scopes.clone()),
            mode: "bearer",
        });
    }
    let encoded = authorization
        .strip_prefix("Basic ")
        .ok_or_else(|| unauthenticated("Unsupported authorization scheme"))?;
    let decoded = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| unauthenticated("Malformed Basic credentials"))?;
    // Username is the Partner API key; the password is empty.
    if decoded != format!("{}:", store.api_key) {
        return Err(unauthenticated("Invalid Partner API key"));
    }
    let email = headers
        .get("On-Behalf-Of")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| unauthenticated("Missing On-Behalf-Of header"))?;
    let user = store
        .user(email.trim())
        .cloned()
        .ok_or_else(|| unauthenticated("On-Behalf-Of does not match a Greenhouse user"))?;
    Ok(Caller {
        user,
        scopes: None,
        mode: "basic",
    })
}

impl Caller {
    fn permit(&self, needs: Needs) -> Result<(), Response> {
        if let (Some(scope), Some(scopes)) = (needs.scope, &self.scopes)
            && !scopes.iter().any(|s| s == scope)
        {
            return Err(error_response(
                StatusCode::FORBIDDEN,
                &format!("Token lacks the {scope} scope"),
                None,
            ));
        }
        if self.user.role == Role::Basic && !needs.basic_role {
            return Err(error_response(
                StatusCode::FORBIDDEN,
                "Your Greenhouse role does not permit this action",
                None,
            ));
        }
        Ok(())
    }
}

/// An operation of the Partner API and what it needs (its scope and roles as PARTNER_API.md has them).
pub trait Operation {
    const NEEDS: Needs;
}

macro_rules! operations {
    ($($(#[$doc:meta])* $name:ident: $scope:expr, basic role $basic:expr;)*) => {$(
        $(#[$doc])*
        pub struct $name;
        impl Operation for $name {
            const NEEDS: Needs = Needs { scope: $scope, basic_role: $basic };
        }
    )*};
}

operations! {
    CreateCandidates: Some("candidates.create"), basic role true;
    /// Reading candidates back is not for Basic users.
    ViewCandidates: Some("candidates.view"), basic role false;
    ViewJobs: Some("jobs.view"), basic role true;
    ViewPools: Some("prospect_pools.view"), basic role true;
    /// No scope is documented for tracking links; the role decides.
    CreateTrackingLink: None, basic role false;
}

impl FromRequestParts<Arc<Shared>> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, shared: &Arc<Shared>) -> Result<Self, Response> {
        authenticate(shared, &parts.headers)
    }
}

/// A caller allowed to do `O`.
pub struct Permitted<O> {
    pub caller: Caller,
    // `fn() -> O`: names the operation without holding one, so the extractor is `Send` whatever `O` is.
    operation: PhantomData<fn() -> O>,
}

impl<O: Operation> FromRequestParts<Arc<Shared>> for Permitted<O> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, shared: &Arc<Shared>) -> Result<Self, Response> {
        let caller = Caller::from_request_parts(parts, shared).await?;
        caller.permit(O::NEEDS)?;
        Ok(Permitted {
            caller,
            operation: PhantomData,
        })
    }
}

/// A caller allowed to do `O`, and the JSON body they sent.
pub struct Sent<O> {
    pub caller: Caller,
    pub body: Value,
    operation: PhantomData<fn() -> O>,
}

impl<O: Operation> FromRequest<Arc<Shared>> for Sent<O> {
    type Rejection = Response;

    async fn from_request(request: Request, shared: &Arc<Shared>) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let permitted = Permitted::<O>::from_request_parts(&mut parts, shared).await;
        // The body is read whole before any refusal goes out: answering while the client is still
        // sending makes it see a reset connection instead of the answer (see READ_BODY_BYTES).
        let bytes = Bytes::from_request(Request::from_parts(parts, body), shared).await;
        let Permitted { caller, .. } = permitted?;
        Ok(Sent {
            caller,
            body: parse_json(bytes)?,
            operation: PhantomData,
        })
    }
}
