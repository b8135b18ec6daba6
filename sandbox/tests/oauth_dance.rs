//! The full OAuth authorization code + PKCE + refresh dance, driven over HTTP against the
//! sandbox: consent page, Allow / Deny, code exchange, expiry, rotation and revocation.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use sprout::api::{ApiError, Auth, GetCurrentUser, ListCandidates, ListJobs};
use sprout::oauth::{self, OAuthError};

#[test]
fn sign_in_refresh_expiry_and_revocation() {
    let sb = sandbox(&["--token-ttl", "1"]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    let config = oauth_config(&sb, REDIRECT);

    let start = oauth::begin(&config, &OsEntropy);
    let location = consent(&start.url, ADMIN, "allow");
    assert!(location.starts_with(REDIRECT), "{location}");
    let code = oauth::parse_redirect(&location, &start.state).unwrap();
    let exchange = oauth::authorization_code_request(&config, &code, &start.pkce.verifier);
    let tokens = run(c.fetch_tokens(&exchange)).unwrap();
    assert_eq!(tokens.scope.as_deref(), Some(oauth::SCOPES));
    assert_eq!(tokens.expires_at_ms.unwrap() - tokens.issued_at_ms, 1000);
    let me = run(c.call(&Auth::bearer(&tokens.access_token), &GetCurrentUser)).unwrap();
    assert_eq!(me.email, ADMIN);

    // Codes are single-use.
    assert!(matches!(
        run(c.fetch_tokens(&exchange)),
        Err(OAuthError::InvalidGrant(_))
    ));

    // Expiry: the token stops working, the client knows ahead of time, refresh brings it back.
    std::thread::sleep(Duration::from_millis(1100));
    let now = SystemClock.now();
    assert!(tokens.is_expired(now, oauth::DEFAULT_SKEW));
    let e = run(c.call(&Auth::bearer(&tokens.access_token), &ListJobs)).unwrap_err();
    assert!(matches!(e, ApiError::Unauthenticated { .. }), "{e:?}");
    let old_refresh = tokens.refresh_token.clone().unwrap();
    let renewed = run(c.fetch_tokens(&oauth::refresh_request(&config, &old_refresh))).unwrap();
    assert_ne!(
        renewed.refresh_token.as_deref(),
        Some(old_refresh.as_str()),
        "rotated"
    );
    assert_eq!(
        run(c.call(&Auth::bearer(&renewed.access_token), &ListJobs))
            .unwrap()
            .len(),
        12
    );
    assert!(matches!(
        run(c.fetch_tokens(&oauth::refresh_request(&config, &old_refresh))),
        Err(OAuthError::InvalidGrant(_))
    ));

    // Revocation ends both tokens: the recruiter must sign in again.
    let revoked = admin(&sb, "POST", "/revoke", json!({"email": ADMIN}));
    // The expired access token, the live one and the live refresh token.
    assert_eq!(revoked["revoked"], 3);
    let e = run(c.call(&Auth::bearer(&renewed.access_token), &GetCurrentUser)).unwrap_err();
    assert!(matches!(e, ApiError::Unauthenticated { .. }));
    let refresh = oauth::refresh_request(&config, renewed.refresh_token.as_deref().unwrap());
    assert!(matches!(
        run(c.fetch_tokens(&refresh)),
        Err(OAuthError::InvalidGrant(_))
    ));
}

trait Now {
    fn now(&self) -> u64;
}
impl Now for SystemClock {
    fn now(&self) -> u64 {
        sprout::api::Clock::now_ms(self)
    }
}

#[test]
fn deny_redirects_with_access_denied() {
    let sb = sandbox(&[]);
    let start = oauth::begin(&oauth_config(&sb, REDIRECT_FIREFOX), &OsEntropy);
    let location = consent(&start.url, ADMIN, "deny");
    assert!(
        location.starts_with(REDIRECT_FIREFOX),
        "second registered URI works"
    );
    assert!(location.contains("error=access_denied"));
    assert_eq!(
        oauth::parse_redirect(&location, &start.state),
        Err(OAuthError::AccessDenied)
    );
}

#[test]
fn pkce_is_enforced_and_redirects_must_be_registered() {
    let sb = sandbox(&[]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    let config = oauth_config(&sb, REDIRECT);
    let start = oauth::begin(&config, &OsEntropy);
    let code = oauth::parse_redirect(&consent(&start.url, ADMIN, "allow"), &start.state).unwrap();
    let wrong =
        oauth::authorization_code_request(&config, &code, "a-verifier-that-does-not-match-the-challenge");
    assert!(matches!(
        run(c.fetch_tokens(&wrong)),
        Err(OAuthError::InvalidGrant(_))
    ));

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let stranger = oauth::begin(&oauth_config(&sb, "https://evil.example/"), &OsEntropy);
    let answer = agent.get(&stranger.url).call().unwrap();
    assert_eq!(answer.status(), 400);
    assert!(
        answer.headers().get("location").is_none(),
        "never redirects to an unregistered URI"
    );
    // Registered afterwards through the admin API (as an administrator adds a callback URL), the
    // same sign-in is answered with a redirect there, and only there.
    admin(
        &sb,
        "POST",
        "/redirect_uris",
        json!({"uri": "https://evil.example/"}),
    );
    let answer = agent.get(&stranger.url).call().unwrap();
    assert_eq!(answer.status(), 200, "the consent page");
    let registered = admin(&sb, "GET", "/state", json!(null));
    assert!(
        registered["client"]["redirect_uris"]
            .as_array()
            .unwrap()
            .contains(&json!("https://evil.example/"))
    );
    let plain = start
        .url
        .replace("code_challenge_method=S256", "code_challenge_method=plain");
    let answer = agent.get(&plain).call().unwrap();
    assert!(
        answer.headers()["location"]
            .to_str()
            .unwrap()
            .contains("error=invalid_request")
    );
}

#[test]
fn a_configured_client_secret_is_required() {
    let sb = sandbox(&["--client-secret", "s3cret"]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    let mut config = oauth_config(&sb, REDIRECT);
    let start = oauth::begin(&config, &OsEntropy);
    let code = oauth::parse_redirect(&consent(&start.url, ADMIN, "allow"), &start.state).unwrap();
    let without = oauth::authorization_code_request(&config, &code, &start.pkce.verifier);
    assert!(matches!(
        run(c.fetch_tokens(&without)),
        Err(OAuthError::TokenEndpoint { status: 401, .. })
    ));
    config.client_secret = Some("s3cre".into());
    let wrong = oauth::authorization_code_request(&config, &code, &start.pkce.verifier);
    assert!(matches!(
        run(c.fetch_tokens(&wrong)),
        Err(OAuthError::TokenEndpoint { status: 401, .. })
    ));
    // A client that failed to authenticate does not consume the code.
    config.client_secret = Some("s3cret".into());
    let with = oauth::authorization_code_request(&config, &code, &start.pkce.verifier);
    assert!(run(c.fetch_tokens(&with)).is_ok());
}

#[test]
fn scopes_and_roles_limit_what_a_token_may_do() {
    let sb = sandbox(&[]);
    let waits = Waits::default();
    let c = client(&sb.api_base(), &waits);
    let config = oauth_config(&sb, REDIRECT);
    let pkce = oauth::Pkce::generate(&OsEntropy);
    let url = oauth::authorize_url(&config, "st", &pkce.challenge).replace(
        &url::form_urlencoded::byte_serialize(oauth::SCOPES.as_bytes()).collect::<String>(),
        "jobs.view",
    );
    let code = oauth::parse_redirect(&consent(&url, ADMIN, "allow"), "st").unwrap();
    let narrow =
        run(c.fetch_tokens(&oauth::authorization_code_request(&config, &code, &pkce.verifier))).unwrap();
    let auth = Auth::bearer(&narrow.access_token);
    assert!(run(c.call(&auth, &ListJobs)).is_ok());
    let e = run(c.call(&auth, &ListCandidates::default())).unwrap_err();
    assert!(matches!(e, ApiError::Forbidden { .. }), "{e:?}");

    let bob = sign_in(&sb, &c, BASIC);
    let e = run(c.call(&Auth::bearer(&bob.access_token), &ListCandidates::default())).unwrap_err();
    assert!(
        matches!(e, ApiError::Forbidden { .. }),
        "role applies to OAuth too"
    );
}

/// POSTs a form to /oauth/token, with HTTP Basic client authentication when `basic` is given
/// (id and secret form-urlencoded first, as RFC 6749 section 2.3.1 says); status, JSON and the
/// WWW-Authenticate header.
fn token_post(
    sb: &sprout_sandbox::Running,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value, Option<String>) {
    use base64::Engine;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut request = agent.post(format!("{}/oauth/token", sb.origin));
    if let Some((id, secret)) = basic {
        let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let credentials =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", enc(id), enc(secret)));
        request = request.header("Authorization", format!("Basic {credentials}"));
    }
    let mut answer = request.send_form(form.iter().copied()).unwrap();
    let challenge = answer
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned());
    let json = serde_json::from_str(&answer.body_mut().read_to_string().unwrap()).unwrap();
    (answer.status().as_u16(), json, challenge)
}

#[test]
fn the_client_secret_may_come_with_http_basic() {
    // Characters that must be form-urlencoded inside the Basic credentials.
    let secret = "s3cret:+/& x";
    let sb = sandbox(&["--client-secret", secret]);
    let config = oauth_config(&sb, REDIRECT);
    let start = oauth::begin(&config, &OsEntropy);
    let code = oauth::parse_redirect(&consent(&start.url, ADMIN, "allow"), &start.state).unwrap();
    let grant = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", start.pkce.verifier.as_str()),
    ];

    let (status, body, challenge) = token_post(&sb, Some((CLIENT_ID, "s3cret")), &grant);
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")));
    assert_eq!(challenge.as_deref(), Some("Basic realm=\"oauth\""));
    let (status, _, challenge) = token_post(&sb, Some(("someone-else", secret)), &grant);
    assert_eq!(status, 401);
    assert!(challenge.is_some());
    let (status, _, challenge) = token_post(&sb, None, &grant);
    assert_eq!(status, 401, "no secret at all");
    assert!(challenge.is_none(), "no Basic tried, no Basic challenge");

    // One authentication method per request (RFC 6749 section 2.3).
    let mut both = grant.to_vec();
    both.push(("client_secret", secret));
    let (status, body, _) = token_post(&sb, Some((CLIENT_ID, secret)), &both);
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_request")));

    let (status, tokens, _) = token_post(&sb, Some((CLIENT_ID, secret)), &grant);
    assert_eq!(status, 200, "{tokens}");
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let (status, renewed, _) = token_post(
        &sb,
        Some((CLIENT_ID, secret)),
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    );
    assert_eq!(status, 200, "{renewed}");
    assert_ne!(renewed["access_token"], tokens["access_token"]);
}
