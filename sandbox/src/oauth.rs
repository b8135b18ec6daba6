//! The OAuth server: a consent page at /oauth/authorize (Allow / Deny, redirect with `code` and
//! `state` or `error=access_denied`) and /oauth/token for the authorization_code (PKCE S256
//! enforced when a challenge was sent) and refresh_token (rotating) grants.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::Form;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use html_escape::encode_double_quoted_attribute as attr;
use html_escape::encode_text as text;
use percent_encoding::percent_decode_str;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::server::Shared;
use crate::store::{CODE_TTL, Grant, IssuedTokens, random_token};

/// The scopes Greenhouse's Partner API knows.
const SCOPES: &[&str] = &[
    "candidates.create",
    "candidates.view",
    "jobs.view",
    "prospect_pools.view",
];

type Params = HashMap<String, String>;

/// Checks client and redirect URI. Without both, the browser must not be sent anywhere.
fn check_client(shared: &Shared, p: &Params) -> Result<String, Response> {
    let store = shared.lock();
    let page = |msg: &str| {
        (
            StatusCode::BAD_REQUEST,
            Html(format!(
                "<!doctype html><title>Error</title><h1>Sign-in error</h1><p>{}</p>",
                text(msg)
            )),
        )
            .into_response()
    };
    if p.get("client_id") != Some(&store.client_id) {
        return Err(page("Unknown client_id."));
    }
    match p.get("redirect_uri") {
        Some(uri) if store.redirect_uris.contains(uri) => Ok(uri.clone()),
        _ => Err(page("redirect_uri is not registered for this client.")),
    }
}

fn redirect_to(redirect_uri: &str, pairs: &[(&str, &str)], state: Option<&String>) -> Response {
    let mut url = sprout::url_parse::parse(redirect_uri).expect("registered redirect URIs are URLs");
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
        if let Some(state) = state {
            q.append_pair("state", state);
        }
    }
    Redirect::to(url.as_str()).into_response()
}

/// The request checks both the page and the decision repeat; returns the scopes asked for.
fn check_request(p: &Params, redirect_uri: &str) -> Result<Vec<String>, Response> {
    let fail = |error: &str| Err(redirect_to(redirect_uri, &[("error", error)], p.get("state")));
    if p.get("response_type").map(String::as_str) != Some("code") {
        return fail("unsupported_response_type");
    }
    match (
        p.get("code_challenge"),
        p.get("code_challenge_method").map(String::as_str),
    ) {
        (Some(_), Some("S256")) | (None, None) => {}
        // "plain" (or a method without a challenge) is refused: it protects nothing.
        _ => return fail("invalid_request"),
    }
    let scopes: Vec<String> = match p.get("scope") {
        Some(s) => s.split_whitespace().map(str::to_owned).collect(),
        None => SCOPES.iter().map(|s| s.to_string()).collect(),
    };
    if scopes.iter().any(|s| !SCOPES.contains(&s.as_str())) {
        return fail("invalid_scope");
    }
    Ok(scopes)
}

/// Both halves of the authorize step (the consent page and the decision) check the same things.
fn check_authorize(shared: &Shared, p: &Params) -> Result<(String, Vec<String>), Response> {
    let redirect_uri = check_client(shared, p)?;
    let scopes = check_request(p, &redirect_uri)?;
    Ok((redirect_uri, scopes))
}

pub async fn authorize_page(State(shared): State<Arc<Shared>>, Query(p): Query<Params>) -> Response {
    let (_, scopes) = match check_authorize(&shared, &p) {
        Ok(checked) => checked,
        Err(r) => return r,
    };
    let hidden: String = [
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "code_challenge",
        "code_challenge_method",
    ]
    .iter()
    .filter_map(|k| {
        p.get(*k)
            .map(|v| format!(r#"<input type="hidden" name="{k}" value="{}">"#, attr(v)))
    })
    .collect();
    let store = shared.lock();
    let users: String = store
        .users
        .iter()
        .map(|u| {
            format!(
                r#"<option value="{}">{} &lt;{}&gt;</option>"#,
                attr(&u.email),
                text(&u.name),
                text(&u.email)
            )
        })
        .collect();
    let scope_list: String = scopes.iter().map(|s| format!("<li>{}</li>", text(s))).collect();
    Html(format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize {client} - Greenhouse sandbox</title></head>
<body>
<h1>Authorize {client}</h1>
<p><strong>{client}</strong> wants to access your Greenhouse account:</p>
<ul>{scope_list}</ul>
<form method="post" action="/oauth/authorize">
{hidden}
<label>Signing in as <select name="user" id="user">{users}</select></label>
<p><button type="submit" name="decision" value="allow" id="allow">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button></p>
</form>
</body></html>"#,
        client = text(&store.client_id),
    ))
    .into_response()
}

pub async fn authorize_decision(State(shared): State<Arc<Shared>>, Form(p): Form<Params>) -> Response {
    let (redirect_uri, scopes) = match check_authorize(&shared, &p) {
        Ok(checked) => checked,
        Err(r) => return r,
    };
    if p.get("decision").map(String::as_str) != Some("allow") {
        return redirect_to(&redirect_uri, &[("error", "access_denied")], p.get("state"));
    }
    let mut store = shared.lock();
    let Some(user) = p.get("user").and_then(|e| store.user(e)).cloned() else {
        return redirect_to(&redirect_uri, &[("error", "access_denied")], p.get("state"));
    };
    let code = random_token();
    let client_id = store.client_id.clone();
    store.grants.insert(
        code.clone(),
        Grant {
            client_id,
            redirect_uri: redirect_uri.clone(),
            email: user.email,
            scopes,
            challenge: p.get("code_challenge").cloned(),
            expires: Instant::now() + CODE_TTL,
        },
    );
    redirect_to(&redirect_uri, &[("code", &code)], p.get("state"))
}

fn token_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

/// The id and secret of RFC 6749 section 2.3.1's HTTP Basic client authentication, each
/// form-urlencoded before it was put in the header.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let decoded = headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Basic ")
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())?;
    let (id, secret) = decoded.split_once(':')?;
    let form = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    Some((form(id), form(secret)))
}

pub async fn token(State(shared): State<Arc<Shared>>, headers: HeaderMap, Form(p): Form<Params>) -> Response {
    // Client authentication: client_secret_basic or client_secret_post; none for a public client.
    let basic = basic_credentials(&headers);
    if basic.is_some() && p.contains_key("client_secret") {
        // RFC 6749 section 2.3: one authentication method per request.
        return token_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "client authenticated both with HTTP Basic and client_secret",
        );
    }
    let (client_id, secret) = match &basic {
        Some((id, secret)) => (Some(id.clone()), Some(secret.clone())),
        None => (p.get("client_id").cloned(), p.get("client_secret").cloned()),
    };
    let mut store = shared.lock();
    let authenticated = client_id.as_ref() == Some(&store.client_id)
        && (store.client_secret.is_none() || secret == store.client_secret);
    if !authenticated {
        let mut refused = token_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "unknown client or client authentication failed",
        );
        if basic.is_some() {
            // RFC 6749 section 5.2: a client that tried Basic is told which scheme to use.
            refused.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Basic realm=\"oauth\""),
            );
        }
        return refused;
    }
    let client_id = store.client_id.clone();
    let issued = match p.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            // Removed on first presentation: a code works once, even if this exchange fails.
            let Some(grant) = p.get("code").and_then(|c| store.grants.remove(c)) else {
                return token_error(StatusCode::BAD_REQUEST, "invalid_grant", "unknown or used code");
            };
            if grant.expires <= Instant::now() {
                return token_error(StatusCode::BAD_REQUEST, "invalid_grant", "code expired");
            }
            if p.get("redirect_uri") != Some(&grant.redirect_uri) || grant.client_id != client_id {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "redirect_uri or client mismatch",
                );
            }
            if let Some(challenge) = &grant.challenge {
                let ok = p
                    .get("code_verifier")
                    .is_some_and(|v| URL_SAFE_NO_PAD.encode(Sha256::digest(v.as_bytes())) == *challenge);
                if !ok {
                    return token_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "PKCE verification failed",
                    );
                }
            }
            store.issue_tokens(&client_id, &grant.email, grant.scopes)
        }
        Some("refresh_token") => match p.get("refresh_token").and_then(|t| store.refresh(&client_id, t)) {
            Some(issued) => issued,
            None => {
                return token_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "unknown, rotated or revoked refresh token",
                );
            }
        },
        _ => {
            return token_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "use authorization_code or refresh_token",
            );
        }
    };
    let IssuedTokens {
        access_token,
        refresh_token,
        scopes,
    } = issued;
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": store.token_ttl.as_secs(),
            "refresh_token": refresh_token,
            "scope": scopes.join(" "),
        })),
    )
        .into_response()
}
