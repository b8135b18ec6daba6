//! A whole sign-in through the relay, over HTTP, with the sandbox as Greenhouse: the consent page
//! sends the browser to the relay's callback, the relay sends it on to the extension's redirect
//! URL, and the code exchange and the refresh go through the relay, which adds the client secret.

mod common;

use common::*;
use sprout::oauth::{self, OAuthError};

#[test]
fn a_code_exchange_and_a_refresh_go_through_the_relay() {
    let s = stack(&[], &[]);
    let config = s.oauth_config();
    let started = start(&config, "n0nce", TARGET);

    let callback = consent(&started.authorize_url, "allow");
    assert!(
        callback.starts_with(&format!("{}/callback?", s.relay.origin)),
        "{callback}"
    );
    let bounced = get(&callback);
    assert_eq!(bounced.status, 302, "{}", bounced.body);
    let location = bounced.header("location").unwrap();
    assert!(location.starts_with(&format!("{TARGET}?code=")), "{location}");
    assert_eq!(bounced.header("cache-control"), Some("no-store"));
    let code = oauth::parse_redirect(location, &started.state).expect("the whole state came back");

    // Straight to the sandbox, without the secret, the code is refused (and not used up).
    let mut direct = config.clone();
    direct.token_url = format!("{}/oauth/token", s.sandbox.origin);
    let refused = send(&oauth::authorization_code_request(
        &direct,
        &code,
        &started.pkce.verifier,
    ));
    assert_eq!(refused.status, 401, "{}", refused.body);

    let exchange = send(&oauth::authorization_code_request(
        &config,
        &code,
        &started.pkce.verifier,
    ));
    assert_eq!(exchange.status, 200, "{}", exchange.body);
    assert_eq!(exchange.header("cache-control"), Some("no-store"));
    let tokens = oauth::interpret_token_response(&exchange.as_api_response(), 0).unwrap();
    let me = ureq_get_bearer(
        &format!("{}/v1/partner/current_user", s.sandbox.origin),
        &tokens.access_token,
    );
    assert_eq!(me["email"], ADMIN, "the token works at the API");

    let refresh = tokens.refresh_token.clone().unwrap();
    let renewed = send(&oauth::refresh_request(&config, &refresh));
    assert_eq!(renewed.status, 200, "{}", renewed.body);
    let renewed = oauth::interpret_token_response(&renewed.as_api_response(), 0).unwrap();
    assert_ne!(renewed.access_token, tokens.access_token);
    assert_ne!(
        renewed.refresh_token.as_deref(),
        Some(refresh.as_str()),
        "rotated"
    );
    let me = ureq_get_bearer(
        &format!("{}/v1/partner/current_user", s.sandbox.origin),
        &renewed.access_token,
    );
    assert_eq!(me["email"], ADMIN);

    // The rotated-out refresh token: Greenhouse's 400 comes back as it was.
    let stale = send(&oauth::refresh_request(&config, &refresh));
    assert_eq!(stale.status, 400);
    assert_eq!(stale.json()["error"], "invalid_grant");
    assert_eq!(
        oauth::interpret_token_response(&stale.as_api_response(), 0),
        Err(OAuthError::InvalidGrant("invalid_grant".into()))
    );
}

fn ureq_get_bearer(url: &str, token: &str) -> serde_json::Value {
    let mut answer = agent()
        .get(url)
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(answer.status(), 200);
    serde_json::from_str(&answer.body_mut().read_to_string().unwrap()).unwrap()
}

#[test]
fn a_refusal_comes_back_to_the_extension_unchanged() {
    let s = stack(&[], &[]);
    let config = s.oauth_config();
    let firefox_target = format!("{FIREFOX}/77aa");
    let started = start(&config, "n0nce", &firefox_target);
    let bounced = get(&consent(&started.authorize_url, "deny"));
    assert_eq!(bounced.status, 302, "{}", bounced.body);
    let location = bounced.header("location").unwrap();
    assert!(location.starts_with(&format!("{firefox_target}?")), "{location}");
    assert_eq!(
        oauth::parse_redirect(location, &started.state),
        Err(OAuthError::AccessDenied)
    );

    // Greenhouse's own refusal, with characters that need encoding, and parameters that are not
    // the relay's to carry.
    let state = sprout::relay_state::encode("n0nce", TARGET);
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("oauth_problem", "user_refused")
        .append_pair("error_description", "Nope & \"never\" + é")
        .append_pair("state", &state)
        .append_pair("iss", "https://app.greenhouse.io")
        .append_pair("session", "leak-me-not")
        .finish();
    let bounced = get(&format!("{}/callback?{query}", s.relay.origin));
    assert_eq!(bounced.status, 302, "{}", bounced.body);
    let location = sprout::url_parse::parse(bounced.header("location").unwrap()).unwrap();
    let carried: Vec<(String, String)> = location.query_pairs().into_owned().collect();
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    assert_eq!(
        carried,
        vec![
            pair("oauth_problem", "user_refused"),
            pair("error_description", "Nope & \"never\" + é"),
            pair("state", &state),
            pair("iss", "https://app.greenhouse.io"),
        ]
    );
    assert_eq!(
        oauth::parse_redirect(location.as_str(), &state),
        Err(OAuthError::AccessDenied)
    );
}

#[test]
fn healthz_answers_for_load_balancers() {
    let s = stack(&[], &[]);
    let answer = get(&format!("{}/healthz", s.relay.origin));
    assert_eq!((answer.status, answer.body.as_str()), (200, "ok\n"));
    assert_eq!(get(&format!("{}/nothing-here", s.relay.origin)).status, 404);
}
