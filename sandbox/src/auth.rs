//! Who is calling: a Bearer token this sandbox issued, or Basic with the Partner API key plus an
//! `On-Behalf-Of` email; then whether their scopes and role allow the operation.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::time::Instant;

use crate::config::Role;
use crate::dialect::error_response;
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

pub fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<Caller, Response> {
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
    pub fn permit(&self, needs: Needs) -> Result<(), Response> {
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
