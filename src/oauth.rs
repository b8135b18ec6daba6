//! OAuth 2.0 authorization code + PKCE maths: verifier/challenge, state, authorize URL, redirects, tokens, expiry.
//!
//! Greenhouse does not document PKCE, token lifetimes or refresh tokens, so Sprout always sends
//! PKCE (S256) and `state`, keeps the endpoints and an optional client secret configurable, and
//! honours `expires_in` / `refresh_token` only when they are present.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use url::form_urlencoded::Serializer;

use crate::api::{ApiRequest, ApiResponse, Entropy, Method};
use crate::url_parse;

/// The scopes Sprout needs, space-separated as OAuth wants them.
pub const SCOPES: &str = "candidates.create candidates.view jobs.view prospect_pools.view";

/// How long before its stated expiry a token is treated as expired, to absorb clock differences
/// and the time a request spends in flight.
pub const DEFAULT_SKEW: Duration = Duration::from_secs(60);

/// One registered OAuth client and the server it talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthConfig {
    pub authorize_url: String,
    /// Greenhouse's, or an organisation's token-exchange relay that holds the secret.
    pub token_url: String,
    pub client_id: String,
    /// "Best kept private": a browser extension usually leaves it to a relay.
    pub client_secret: Option<String>,
    /// The `redirect_uri` sent to the server: where the browser comes back to ([`Self::return_url`]),
    /// or a sprout-relay's `/callback`, which forwards the browser there.
    pub redirect_uri: String,
    /// The extension's own redirect URL for this connection, per browser:
    /// `https://<id>.chromiumapp.org/c/…` or `https://<hash>.extensions.allizom.org/c/…`.
    /// A sign-in that comes back anywhere else is not this connection's.
    pub return_url: String,
    /// The sprout-relay's base URL, when the connection signs in through one: the `state` then
    /// carries [`Self::return_url`] for the relay to read.
    pub relay: Option<String>,
    /// Space-separated scopes asked for; [`SCOPES`] unless the connection says otherwise.
    pub scope: String,
}

impl OAuthConfig {
    /// Greenhouse's production endpoints (from its public OAuth documentation).
    pub fn greenhouse(client_id: impl Into<String>, redirect_uri: impl Into<String>) -> Self {
        Self::at("https://api.greenhouse.io", client_id, redirect_uri)
    }

    /// `/oauth/authorize` and `/oauth/token` under `origin` (e.g. a local sandbox).
    pub fn at(origin: &str, client_id: impl Into<String>, redirect_uri: impl Into<String>) -> Self {
        let origin = origin.trim_end_matches('/');
        let redirect_uri = redirect_uri.into();
        OAuthConfig {
            authorize_url: format!("{origin}/oauth/authorize"),
            token_url: format!("{origin}/oauth/token"),
            client_id: client_id.into(),
            client_secret: None,
            return_url: redirect_uri.clone(),
            redirect_uri,
            relay: None,
            scope: SCOPES.into(),
        }
    }
}

/// Why sign-in did not produce tokens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OAuthError {
    /// The redirect does not belong to the sign-in we started (possible forgery): ignore it.
    #[error("state mismatch")]
    StateMismatch,
    /// The recruiter clicked Deny (`error=access_denied` or `oauth_problem=user_refused`).
    #[error("access denied by the user")]
    AccessDenied,
    /// The authorize page answered with an error other than a denial.
    #[error("authorization server error: {error}")]
    Provider { error: ErrorCode },
    #[error("redirect carries no code")]
    MissingCode,
    /// The browser came back on another connection's redirect path (or somewhere else entirely):
    /// an authorize page bounced the sign-in to a server this connection does not trust.
    #[error("the sign-in came back to another address")]
    WrongRedirect,
    /// The server named itself (RFC 9207 `iss`) as another issuer than this connection's.
    #[error("the answer came from another issuer: {0}")]
    WrongIssuer(String),
    /// A relayed answer that does not come from this connection's relay (or a relay answer for a
    /// connection without one): another connection's relay answered for this sign-in.
    #[error("the answer came through another relay: {0}")]
    WrongRelay(String),
    /// The code or refresh token is expired, used or revoked: the recruiter must sign in again.
    #[error("grant rejected: {0}")]
    InvalidGrant(String),
    #[error("token endpoint answered {status}: {error}")]
    TokenEndpoint { status: u16, error: ErrorCode },
    #[error("malformed token response: {0}")]
    MalformedResponse(String),
    #[error("network: {0}")]
    Network(String),
}

/// An authorization server's error code: one RFC 6749 defines (§4.1.2.1 for the authorize
/// redirect, §5.2 for the token endpoint), or `Unknown`. Only these reach the recruiter, in
/// Sprout's own sentences: a server's `error_description`, `error_uri` or a code of its own are
/// free text a hostile server could fill with anything ("call this number"), so they are dropped
/// where the answer is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidRequest,
    UnauthorizedClient,
    AccessDenied,
    UnsupportedResponseType,
    InvalidScope,
    ServerError,
    TemporarilyUnavailable,
    InvalidClient,
    InvalidGrant,
    UnsupportedGrantType,
    Unknown,
}

impl ErrorCode {
    pub fn parse(code: &str) -> ErrorCode {
        match code {
            "invalid_request" => ErrorCode::InvalidRequest,
            "unauthorized_client" => ErrorCode::UnauthorizedClient,
            "access_denied" => ErrorCode::AccessDenied,
            "unsupported_response_type" => ErrorCode::UnsupportedResponseType,
            "invalid_scope" => ErrorCode::InvalidScope,
            "server_error" => ErrorCode::ServerError,
            "temporarily_unavailable" => ErrorCode::TemporarilyUnavailable,
            "invalid_client" => ErrorCode::InvalidClient,
            "invalid_grant" => ErrorCode::InvalidGrant,
            "unsupported_grant_type" => ErrorCode::UnsupportedGrantType,
            _ => ErrorCode::Unknown,
        }
    }

    /// The code as the RFC spells it, or "code unknown".
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::UnauthorizedClient => "unauthorized_client",
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::UnsupportedResponseType => "unsupported_response_type",
            ErrorCode::InvalidScope => "invalid_scope",
            ErrorCode::ServerError => "server_error",
            ErrorCode::TemporarilyUnavailable => "temporarily_unavailable",
            ErrorCode::InvalidClient => "invalid_client",
            ErrorCode::InvalidGrant => "invalid_grant",
            ErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            ErrorCode::Unknown => "code unknown",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A PKCE pair (RFC 7636): the verifier stays with Sprout, the challenge goes in the authorize URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

impl Pkce {
    /// A fresh verifier of 32 random bytes (43 base64url characters, the RFC's recommendation).
    pub fn generate(entropy: &impl Entropy) -> Pkce {
        Pkce::from_verifier(random_token(entropy))
    }

    pub fn from_verifier(verifier: impl Into<String>) -> Pkce {
        let verifier = verifier.into();
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        Pkce { verifier, challenge }
    }
}

/// An unguessable `state` (32 random bytes, base64url).
pub fn new_state(entropy: &impl Entropy) -> String {
    random_token(entropy)
}

fn random_token(entropy: &impl Entropy) -> String {
    let mut bytes = [0u8; 32];
    entropy.fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Everything to remember between opening the authorize page and receiving the redirect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    pub url: String,
    pub state: String,
    pub pkce: Pkce,
}

/// Starts a sign-in: fresh PKCE pair and state, and the URL to open. Through a relay the state is
/// `NONCE.TARGET` (see [`crate::relay_state`]) so that the relay knows where to send the browser.
pub fn begin(config: &OAuthConfig, entropy: &impl Entropy) -> SignIn {
    let pkce = Pkce::generate(entropy);
    let nonce = new_state(entropy);
    let state = if config.relay.is_some() {
        crate::relay_state::encode(&nonce, &config.return_url)
    } else {
        nonce
    };
    SignIn {
        url: authorize_url(config, &state, &pkce.challenge),
        state,
        pkce,
    }
}

/// The authorize URL with client, redirect, the scopes, state and the S256 challenge.
pub fn authorize_url(config: &OAuthConfig, state: &str, challenge: &str) -> String {
    let query = Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", &config.client_id)
        .append_pair("redirect_uri", &config.redirect_uri)
        .append_pair("scope", &config.scope)
        .append_pair("state", state)
        .append_pair("code_challenge", challenge)
        .append_pair("code_challenge_method", "S256")
        .finish();
    let sep = if config.authorize_url.contains('?') {
        '&'
    } else {
        '?'
    };
    format!("{}{sep}{query}", config.authorize_url)
}

/// Length in hex digits of the hash in a connection's redirect path: 48 bits keep connections to
/// different servers apart without making the URL to register long.
const PATH_HASH_HEX: usize = 12;

/// The redirect path of a connection, `c/<hash>`, from its authorize page's origin: connections to
/// different servers come back on different paths, so one cannot receive another's sign-in.
pub fn redirect_path(authorize_url: &str) -> String {
    let origin = url_parse::parse(authorize_url.trim())
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| authorize_url.trim().to_owned());
    let hex: String = Sha256::digest(origin.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("c/{}", &hex[..PATH_HASH_HEX])
}

/// The browser's redirect URL (`identity.getRedirectURL()`) with a connection's path.
pub fn return_url(browser_redirect: &str, path: &str) -> String {
    format!("{}/{path}", browser_redirect.trim_end_matches('/'))
}

/// The address the browser's sign-in window opens. Firefox's `identity.launchWebAuthFlow` refuses
/// an authorize URL whose `redirect_uri` is not under the browser's own redirect URL (a relay's
/// `/callback` is not), and opens only http(s) addresses; so through a relay Firefox opens the
/// relay's `/start`, which sends the browser on to the authorize URL carried in `to` (the relay
/// forwards only to its own `--authorize-url`). Its window then ends on the browser's redirect
/// URL. Chrome ends its window on any address under its redirect URL and opens the authorize URL
/// as it is.
pub fn window_url(config: &OAuthConfig, authorize_url: &str, browser_redirect: &str) -> String {
    let firefox = url_parse::parse(browser_redirect)
        .ok()
        .and_then(|u| u.host_str().map(|h| h.ends_with(".extensions.allizom.org")))
        .unwrap_or(false);
    match &config.relay {
        Some(relay) if firefox => {
            let to: String = url::form_urlencoded::byte_serialize(authorize_url.as_bytes()).collect();
            format!("{relay}/start?to={to}")
        }
        _ => authorize_url.to_owned(),
    }
}

/// The issuer a connection expects in `iss`: the origin of its authorize page.
fn issuer(config: &OAuthConfig) -> Option<String> {
    url_parse::parse(&config.authorize_url)
        .ok()
        .map(|u| u.origin().ascii_serialization())
}

/// Checks that the redirect came back on this connection's own address and, when the server named
/// itself (RFC 9207), from this connection's issuer; then reads it as [`parse_redirect`] does.
pub fn finish(config: &OAuthConfig, redirect: &str, expected_state: &str) -> Result<String, OAuthError> {
    let came = url_parse::parse(redirect).map_err(|_| OAuthError::WrongRedirect)?;
    let expected = url_parse::parse(&config.return_url).map_err(|_| OAuthError::WrongRedirect)?;
    if came.origin() != expected.origin() || came.path() != expected.path() {
        return Err(OAuthError::WrongRedirect);
    }
    let mut pairs: Vec<(String, String)> = came.query_pairs().into_owned().collect();
    if let Some(fragment) = came.fragment() {
        pairs.extend(url::form_urlencoded::parse(fragment.as_bytes()).into_owned());
    }
    let named = |name: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim_end_matches('/').to_owned())
            .collect()
    };
    // Through a relay, only this connection's relay may answer; a connection without one takes
    // no relay's answer (a hostile authorize page could have bounced the sign-in through one).
    let relay_named = named(crate::relay_state::RELAY_PARAM);
    match (&config.relay, relay_named.as_slice()) {
        (None, []) => {}
        (Some(ours), [theirs]) if ours.trim_end_matches('/') == theirs => {}
        (Some(_), []) => {
            return Err(OAuthError::WrongRelay(
                "the relay did not name itself (its operator must start it with --public-url)".into(),
            ));
        }
        (_, theirs) => return Err(OAuthError::WrongRelay(theirs.join(", "))),
    }
    let named = named("iss");
    let ours = issuer(config).unwrap_or_default();
    match named.as_slice() {
        [] => {}
        [iss] if *iss == ours => {}
        [iss] => return Err(OAuthError::WrongIssuer(iss.clone())),
        _ => return Err(OAuthError::WrongIssuer("more than one iss".into())),
    }
    parse_redirect(redirect, expected_state)
}

/// Reads the redirect the browser landed on and returns the authorization code.
pub fn parse_redirect(redirect: &str, expected_state: &str) -> Result<String, OAuthError> {
    let url = url_parse::parse(redirect).map_err(|_| OAuthError::MissingCode)?;
    let mut params: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let answers = |p: &[(String, String)]| {
        p.iter()
            .any(|(k, _)| matches!(k.as_str(), "code" | "error" | "oauth_problem"))
    };
    // Some servers answer in the fragment instead of the query.
    if !answers(&params)
        && let Some(fragment) = url.fragment()
    {
        params = url::form_urlencoded::parse(fragment.as_bytes())
            .into_owned()
            .collect();
    }
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let state = get("state");
    if let Some(error) = get("error").or(get("oauth_problem")) {
        // A denial without state is harmless; one carrying somebody else's state is not ours.
        if state.is_some_and(|s| s != expected_state) {
            return Err(OAuthError::StateMismatch);
        }
        return Err(match error {
            "access_denied" | "user_refused" => OAuthError::AccessDenied,
            code => OAuthError::Provider {
                error: ErrorCode::parse(code),
            },
        });
    }
    if state != Some(expected_state) {
        return Err(OAuthError::StateMismatch);
    }
    match get("code") {
        Some(code) if !code.is_empty() => Ok(code.to_owned()),
        _ => Err(OAuthError::MissingCode),
    }
}

/// Exchanges an authorization code (with its PKCE verifier) for tokens.
pub fn authorization_code_request(config: &OAuthConfig, code: &str, verifier: &str) -> ApiRequest {
    token_request(
        config,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &config.redirect_uri),
            ("code_verifier", verifier),
        ],
    )
}

/// Trades a refresh token for a new access token (and, when the server rotates, a new refresh token).
pub fn refresh_request(config: &OAuthConfig, refresh_token: &str) -> ApiRequest {
    token_request(
        config,
        &[("grant_type", "refresh_token"), ("refresh_token", refresh_token)],
    )
}

fn token_request(config: &OAuthConfig, fields: &[(&str, &str)]) -> ApiRequest {
    let mut form = Serializer::new(String::new());
    form.extend_pairs(fields.iter().copied());
    form.append_pair("client_id", &config.client_id);
    if let Some(secret) = &config.client_secret {
        form.append_pair("client_secret", secret);
    }
    ApiRequest {
        method: Method::Post,
        url: config.token_url.clone(),
        headers: vec![
            ("Content-Type".into(), "application/x-www-form-urlencoded".into()),
            ("Accept".into(), "application/json".into()),
        ],
        body: Some(form.finish()),
    }
}

/// Tokens as Sprout stores them, with expiry as an absolute time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// Milliseconds since the Unix epoch; `None` when the server stated no lifetime.
    pub expires_at_ms: Option<u64>,
    pub issued_at_ms: u64,
    pub scope: Option<String>,
}

impl Tokens {
    /// Whether to refresh before using the access token. The skew is capped at half the
    /// token's lifetime so that short-lived tokens are still used.
    pub fn is_expired(&self, now_ms: u64, skew: Duration) -> bool {
        let Some(expires_at) = self.expires_at_ms else {
            return false;
        };
        let lifetime = expires_at.saturating_sub(self.issued_at_ms);
        let skew = (skew.as_millis() as u64).min(lifetime / 2);
        now_ms.saturating_add(skew) >= expires_at
    }

    /// Keeps the previous refresh token when a refresh answer did not rotate it.
    pub fn or_refresh_token(mut self, previous: Option<String>) -> Tokens {
        if self.refresh_token.is_none() {
            self.refresh_token = previous;
        }
        self
    }
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    scope: Option<String>,
}

#[derive(Deserialize)]
struct TokenErrorBody {
    #[serde(default)]
    error: String,
}

/// The longest access or refresh token Sprout accepts. Greenhouse's are far shorter; a longer one
/// is a broken or hostile server, and every stored copy and every request would carry it.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// Reads a token endpoint answer; `now_ms` is when it arrived.
pub fn interpret_token_response(response: &ApiResponse, now_ms: u64) -> Result<Tokens, OAuthError> {
    if !(200..300).contains(&response.status) {
        let error = response
            .json::<TokenErrorBody>()
            .map(|b| b.error)
            .unwrap_or_default();
        return Err(if error == "invalid_grant" {
            OAuthError::InvalidGrant(error)
        } else {
            OAuthError::TokenEndpoint {
                status: response.status,
                error: ErrorCode::parse(&error),
            }
        });
    }
    let body: TokenBody = response
        .json()
        .map_err(|e| OAuthError::MalformedResponse(e.to_string()))?;
    if body
        .token_type
        .as_deref()
        .is_some_and(|t| !t.eq_ignore_ascii_case("bearer"))
    {
        return Err(OAuthError::MalformedResponse("token_type is not bearer".into()));
    }
    let too_long = |t: &str| t.len() > MAX_TOKEN_BYTES;
    if too_long(&body.access_token) || body.refresh_token.as_deref().is_some_and(too_long) {
        return Err(OAuthError::MalformedResponse(format!(
            "a token is longer than {MAX_TOKEN_BYTES} bytes"
        )));
    }
    Ok(Tokens {
        access_token: body.access_token,
        refresh_token: body.refresh_token,
        expires_at_ms: body
            .expires_in
            .map(|s| now_ms.saturating_add(s.saturating_mul(1000))),
        issued_at_ms: now_ms,
        scope: body.scope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Counts up from a seed: deterministic, distinct bytes for each call.
    struct Counter(Cell<u8>);
    impl Entropy for Counter {
        fn fill(&self, bytes: &mut [u8]) {
            for b in bytes {
                *b = self.0.get();
                self.0.set(self.0.get().wrapping_add(1));
            }
        }
    }

    fn config() -> OAuthConfig {
        OAuthConfig::at("http://127.0.0.1:7300/", "sprout", "https://abc.chromiumapp.org/")
    }

    #[test]
    fn rfc7636_appendix_b_vector() {
        let p = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(p.challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn verifier_and_state_are_fresh_url_safe_and_long_enough() {
        let e = Counter(Cell::new(0));
        let a = begin(&config(), &e);
        let b = begin(&config(), &e);
        assert_ne!(a.state, b.state);
        assert_ne!(a.pkce.verifier, b.pkce.verifier);
        assert_eq!(a.pkce.verifier.len(), 43);
        assert!(
            a.state
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }

    #[test]
    fn authorize_url_carries_scopes_state_and_challenge() {
        let url = url_parse::parse(&authorize_url(&config(), "st", "ch")).unwrap();
        assert_eq!(url.path(), "/oauth/authorize");
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["client_id"], "sprout");
        assert_eq!(q["redirect_uri"], "https://abc.chromiumapp.org/");
        assert_eq!(q["scope"], SCOPES);
        assert_eq!(q["state"], "st");
        assert_eq!(q["code_challenge"], "ch");
        assert_eq!(q["code_challenge_method"], "S256");
    }

    #[test]
    fn redirects_are_checked() {
        let ok = parse_redirect("https://abc.chromiumapp.org/?code=c0de&state=s1", "s1");
        assert_eq!(ok, Ok("c0de".into()));
        let frag = parse_redirect("https://abc.chromiumapp.org/#code=c0de&state=s1", "s1");
        assert_eq!(frag, Ok("c0de".into()));
        assert_eq!(
            parse_redirect("https://abc.chromiumapp.org/?code=c&state=other", "s1"),
            Err(OAuthError::StateMismatch)
        );
        assert_eq!(
            parse_redirect("https://abc.chromiumapp.org/?code=c", "s1"),
            Err(OAuthError::StateMismatch)
        );
        assert_eq!(
            parse_redirect("https://abc.chromiumapp.org/?error=access_denied&state=s1", "s1"),
            Err(OAuthError::AccessDenied)
        );
        assert_eq!(
            parse_redirect("https://abc.chromiumapp.org/?oauth_problem=user_refused", "s1"),
            Err(OAuthError::AccessDenied)
        );
        assert_eq!(
            parse_redirect("https://abc.chromiumapp.org/?error=access_denied&state=x", "s1"),
            Err(OAuthError::StateMismatch)
        );
        assert!(matches!(
            parse_redirect("https://abc.chromiumapp.org/?error=server_error&state=s1", "s1"),
            Err(OAuthError::Provider { .. })
        ));
        assert_eq!(
            parse_redirect("https://abc.chromiumapp.org/?state=s1", "s1"),
            Err(OAuthError::MissingCode)
        );
    }

    #[test]
    fn each_authorize_origin_has_its_own_short_redirect_path() {
        let a = redirect_path("https://api.greenhouse.io/oauth/authorize");
        assert!(a.starts_with("c/") && a.len() == 2 + PATH_HASH_HEX, "{a}");
        assert!(a[2..].chars().all(|c| c.is_ascii_hexdigit()));
        // Only the origin counts: the path and query of the authorize page do not.
        assert_eq!(a, redirect_path("https://api.greenhouse.io/other?x=1"));
        assert_ne!(
            a,
            redirect_path("https://api.greenhouse.io.evil.example/oauth/authorize")
        );
        assert_ne!(
            redirect_path("http://127.0.0.1:7300/oauth/authorize"),
            redirect_path("http://127.0.0.1:7301/oauth/authorize"),
            "another port is another server"
        );
        // sha256("https://api.greenhouse.io"), first 12 hex digits: pinned so that the URL an
        // administrator registered stays valid across versions.
        let hex: String = Sha256::digest(b"https://api.greenhouse.io")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(a, format!("c/{}", &hex[..12]));
        assert_eq!(
            return_url("https://abc.chromiumapp.org/", &a),
            format!("https://abc.chromiumapp.org/{a}")
        );
    }

    fn relayed() -> OAuthConfig {
        let mut c = config();
        c.redirect_uri = "https://relay.acme.com/callback".into();
        c.return_url = "https://abc.chromiumapp.org/c/0123456789ab".into();
        c.token_url = "https://relay.acme.com/token".into();
        c.relay = Some("https://relay.acme.com".into());
        c
    }

    #[test]
    fn through_a_relay_the_state_names_the_return_url_and_the_relay_is_the_redirect_uri() {
        let c = relayed();
        let start = begin(&c, &Counter(Cell::new(7)));
        let decoded = crate::relay_state::decode(&start.state).unwrap();
        assert_eq!(decoded.target, c.return_url);
        assert_eq!(decoded.nonce.len(), 43);
        let url = url_parse::parse(&start.url).unwrap();
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["redirect_uri"], "https://relay.acme.com/callback");
        assert_eq!(q["state"], start.state);
        // The whole state must come back, not only its nonce.
        let back = format!(
            "{}?code=c0de&state={}&sprout_relay=https%3A%2F%2Frelay.acme.com",
            c.return_url, start.state
        );
        assert_eq!(finish(&c, &back, &start.state), Ok("c0de".into()));
        let nonce_only = format!(
            "{}?code=c0de&state={}&sprout_relay=https%3A%2F%2Frelay.acme.com",
            c.return_url, decoded.nonce
        );
        assert_eq!(
            finish(&c, &nonce_only, &start.state),
            Err(OAuthError::StateMismatch)
        );
        let r = authorization_code_request(&c, "c0de", "ver");
        assert_eq!(r.url, "https://relay.acme.com/token");
        assert!(form(&r).contains(&("redirect_uri".into(), "https://relay.acme.com/callback".into())));
        // Without a relay the state is the bare nonce.
        assert!(!begin(&config(), &Counter(Cell::new(7))).state.contains('.'));
    }

    #[test]
    fn a_redirect_on_another_path_or_from_another_issuer_is_refused() {
        let mut c = config();
        c.return_url = "https://abc.chromiumapp.org/c/0123456789ab".into();
        c.redirect_uri = c.return_url.clone();
        let ok = "https://abc.chromiumapp.org/c/0123456789ab?code=c0de&state=s1";
        assert_eq!(finish(&c, ok, "s1"), Ok("c0de".into()));
        for other in [
            "https://abc.chromiumapp.org/c/ba9876543210?code=c0de&state=s1",
            "https://abc.chromiumapp.org/?code=c0de&state=s1",
            "https://abc.chromiumapp.org/c/0123456789ab/x?code=c0de&state=s1",
            "https://evil.chromiumapp.org/c/0123456789ab?code=c0de&state=s1",
            "http://abc.chromiumapp.org/c/0123456789ab?code=c0de&state=s1",
            "not a url",
        ] {
            assert_eq!(finish(&c, other, "s1"), Err(OAuthError::WrongRedirect), "{other}");
        }
        // RFC 9207: honoured when present, in the query or the fragment, with or without a slash.
        assert_eq!(
            finish(&c, &format!("{ok}&iss=http%3A%2F%2F127.0.0.1%3A7300"), "s1"),
            Ok("c0de".into())
        );
        assert_eq!(
            finish(&c, &format!("{ok}&iss=http%3A%2F%2F127.0.0.1%3A7300%2F"), "s1"),
            Ok("c0de".into())
        );
        assert_eq!(
            finish(&c, &format!("{ok}&iss=https%3A%2F%2Fevil.example"), "s1"),
            Err(OAuthError::WrongIssuer("https://evil.example".into()))
        );
        assert!(matches!(
            finish(&c, &format!("{ok}#iss=https%3A%2F%2Fevil.example"), "s1"),
            Err(OAuthError::WrongIssuer(_))
        ));
        assert!(matches!(
            finish(&c, &format!("{ok}&iss=http%3A%2F%2F127.0.0.1%3A7300&iss=x"), "s1"),
            Err(OAuthError::WrongIssuer(_))
        ));
        // An error answer from another issuer is not this server's denial either.
        let denied = "https://abc.chromiumapp.org/c/0123456789ab?error=access_denied&state=s1";
        assert_eq!(finish(&c, denied, "s1"), Err(OAuthError::AccessDenied));
        assert!(matches!(
            finish(&c, &format!("{denied}&iss=https%3A%2F%2Fevil.example"), "s1"),
            Err(OAuthError::WrongIssuer(_))
        ));
    }

    #[test]
    fn only_the_connections_own_relay_may_answer() {
        let c = relayed();
        let state = crate::relay_state::encode("n", &c.return_url);
        let answer = |extra: &str| format!("{}?code=c0de&state={state}{extra}", c.return_url);
        assert_eq!(
            finish(
                &c,
                &answer("&sprout_relay=https%3A%2F%2Frelay.acme.com%2F"),
                &state
            ),
            Ok("c0de".into())
        );
        for other in [
            "&sprout_relay=https%3A%2F%2Fevil.example",
            "&sprout_relay=https%3A%2F%2Frelay.acme.com&sprout_relay=https%3A%2F%2Frelay.acme.com",
            "",
        ] {
            assert!(
                matches!(finish(&c, &answer(other), &state), Err(OAuthError::WrongRelay(_))),
                "{other:?}"
            );
        }
        // A connection without a relay takes no relay's answer, even on its own path and state.
        let mut direct = config();
        direct.return_url = c.return_url.clone();
        assert!(matches!(
            finish(
                &direct,
                &format!(
                    "{}?code=c0de&state=s1&sprout_relay=https%3A%2F%2Frelay.acme.com",
                    c.return_url
                ),
                "s1"
            ),
            Err(OAuthError::WrongRelay(_))
        ));
        assert_eq!(
            finish(&direct, &format!("{}?code=c0de&state=s1", c.return_url), "s1"),
            Ok("c0de".into())
        );
    }

    #[test]
    fn firefox_opens_a_relayed_sign_in_through_the_relays_start() {
        let firefox = "https://0a1b.extensions.allizom.org/";
        let chrome = "https://abc.chromiumapp.org/";
        let start = begin(&relayed(), &Counter(Cell::new(1)));
        let opened = url_parse::parse(&window_url(&relayed(), &start.url, firefox)).unwrap();
        assert_eq!(opened.origin().ascii_serialization(), "https://relay.acme.com");
        assert_eq!(opened.path(), "/start");
        let q: Vec<(String, String)> = opened.query_pairs().into_owned().collect();
        assert_eq!(
            q,
            [("to".to_owned(), start.url.clone())],
            "the whole authorize URL, exactly"
        );
        assert_eq!(window_url(&relayed(), &start.url, chrome), start.url);
        let direct = begin(&config(), &Counter(Cell::new(1)));
        assert_eq!(window_url(&config(), &direct.url, firefox), direct.url);
    }

    fn form(request: &ApiRequest) -> Vec<(String, String)> {
        url::form_urlencoded::parse(request.body.as_deref().unwrap().as_bytes())
            .into_owned()
            .collect()
    }

    #[test]
    fn token_requests_carry_the_grant_and_an_optional_secret() {
        let mut c = config();
        let r = authorization_code_request(&c, "c0de", "ver");
        assert_eq!(r.url, "http://127.0.0.1:7300/oauth/token");
        assert_eq!(
            r.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        let f = form(&r);
        assert!(f.contains(&("grant_type".into(), "authorization_code".into())));
        assert!(f.contains(&("code_verifier".into(), "ver".into())));
        assert!(f.contains(&("redirect_uri".into(), "https://abc.chromiumapp.org/".into())));
        assert!(!f.iter().any(|(k, _)| k == "client_secret"));
        c.client_secret = Some("sh".into());
        let f = form(&refresh_request(&c, "r1"));
        assert!(f.contains(&("grant_type".into(), "refresh_token".into())));
        assert!(f.contains(&("refresh_token".into(), "r1".into())));
        assert!(f.contains(&("client_secret".into(), "sh".into())));
    }

    fn answer(status: u16, body: &str) -> ApiResponse {
        ApiResponse {
            status,
            headers: vec![],
            body: body.into(),
        }
    }

    #[test]
    fn token_expiry_is_computed_against_the_clock_with_skew() {
        let t = interpret_token_response(
            &answer(
                200,
                r#"{"access_token":"a","token_type":"Bearer","expires_in":3600,"refresh_token":"r","x":1}"#,
            ),
            1_000_000,
        )
        .unwrap();
        assert_eq!(t.expires_at_ms, Some(4_600_000));
        assert!(!t.is_expired(4_539_999, DEFAULT_SKEW));
        assert!(t.is_expired(4_540_000, DEFAULT_SKEW));
        // A 2 s token is not "expired on arrival" because of a 60 s skew.
        let short =
            interpret_token_response(&answer(200, r#"{"access_token":"a","expires_in":2}"#), 0).unwrap();
        assert!(!short.is_expired(500, DEFAULT_SKEW));
        assert!(short.is_expired(1000, DEFAULT_SKEW));
        let forever = interpret_token_response(&answer(200, r#"{"access_token":"a"}"#), 0).unwrap();
        assert!(!forever.is_expired(u64::MAX, DEFAULT_SKEW));
        assert_eq!(
            forever
                .or_refresh_token(Some("old".into()))
                .refresh_token
                .as_deref(),
            Some("old")
        );
    }

    #[test]
    fn token_errors_classify() {
        assert!(matches!(
            interpret_token_response(&answer(400, r#"{"error":"invalid_grant"}"#), 0),
            Err(OAuthError::InvalidGrant(_))
        ));
        assert!(matches!(
            interpret_token_response(&answer(401, r#"{"error":"invalid_client"}"#), 0),
            Err(OAuthError::TokenEndpoint { status: 401, .. })
        ));
        assert!(matches!(
            interpret_token_response(&answer(200, r#"{"access_token":"a","token_type":"mac"}"#), 0),
            Err(OAuthError::MalformedResponse(_))
        ));
    }

    #[test]
    fn absurdly_long_tokens_are_refused() {
        let long = "a".repeat(MAX_TOKEN_BYTES + 1);
        let longest = "a".repeat(MAX_TOKEN_BYTES);
        for body in [
            format!(r#"{{"access_token":"{long}"}}"#),
            format!(r#"{{"access_token":"a","refresh_token":"{long}"}}"#),
        ] {
            assert!(matches!(
                interpret_token_response(&answer(200, &body), 0),
                Err(OAuthError::MalformedResponse(_))
            ));
        }
        let body = format!(r#"{{"access_token":"{longest}","refresh_token":"{longest}"}}"#);
        assert!(interpret_token_response(&answer(200, &body), 0).is_ok());
    }

    /// What reaches the pages of a failed sign-in: the reason, as the background sends it.
    fn shown(e: &OAuthError) -> String {
        serde_json::to_string(&crate::reason::SignInTrouble::from(e)).unwrap()
    }

    #[test]
    fn only_standard_oauth_error_codes_reach_the_recruiter() {
        let hostile =
            "error_description=Call+%2B1-555-0100+to+unlock&error_uri=https%3A%2F%2Fevil.example%2Fhelp";
        let redirect = |code: &str| format!("https://abc.chromiumapp.org/?error={code}&{hostile}&state=s1");
        let provider = |code: &str| parse_redirect(&redirect(code), "s1").unwrap_err();
        let token = |code: &str| {
            let body = format!(
                r#"{{"error":"{code}","error_description":"Call +1-555-0100 to unlock","error_uri":"https://evil.example/help"}}"#
            );
            interpret_token_response(&answer(400, &body), 0).unwrap_err()
        };
        let named = |code: &str| format!(r#"{{"kind":"failed","code":"{code}"}}"#);
        for (code, expected) in [
            ("invalid_request", ErrorCode::InvalidRequest),
            ("unauthorized_client", ErrorCode::UnauthorizedClient),
            ("unsupported_response_type", ErrorCode::UnsupportedResponseType),
            ("invalid_scope", ErrorCode::InvalidScope),
            ("server_error", ErrorCode::ServerError),
            ("temporarily_unavailable", ErrorCode::TemporarilyUnavailable),
        ] {
            let e = provider(code);
            assert_eq!(e, OAuthError::Provider { error: expected });
            assert_eq!(shown(&e), named(code));
        }
        for (code, expected) in [
            ("invalid_request", ErrorCode::InvalidRequest),
            ("invalid_client", ErrorCode::InvalidClient),
            ("unauthorized_client", ErrorCode::UnauthorizedClient),
            ("unsupported_grant_type", ErrorCode::UnsupportedGrantType),
            ("invalid_scope", ErrorCode::InvalidScope),
        ] {
            let e = token(code);
            assert_eq!(
                e,
                OAuthError::TokenEndpoint {
                    status: 400,
                    error: expected
                }
            );
            assert_eq!(shown(&e), named(code));
        }
        // A code of the server's own making is free text too.
        for e in [
            provider("Your+account+is+locked.+Call+555-0100"),
            token("call 555-0100"),
        ] {
            assert!(matches!(
                e,
                OAuthError::Provider {
                    error: ErrorCode::Unknown
                } | OAuthError::TokenEndpoint {
                    error: ErrorCode::Unknown,
                    ..
                }
            ));
            assert_eq!(
                shown(&e),
                r#"{"kind":"failed"}"#,
                "no code of the server's own reaches a page"
            );
        }
        for e in [
            provider("invalid_scope"),
            token("invalid_client"),
            provider("nonsense"),
            token(""),
        ] {
            for text in [shown(&e), e.to_string()] {
                assert!(!text.contains("555") && !text.contains("evil"), "{text}");
            }
        }
    }
}
