//! What the extension hears when the token URL fails or the request is not one the relay forwards:
//! Greenhouse's own errors as they came, and the relay's in RFC 6749 form, in words.

mod common;

use common::*;
use serde_json::{Value, json};
use sprout::oauth;

fn admin(s: &Stack, method: &str, path: &str, body: Value) -> Value {
    let url = format!("{}/_sandbox{path}", s.sandbox.origin);
    let answer = match method {
        "GET" => get(&url),
        _ => post(&url, "application/json", body.to_string().as_bytes()),
    };
    if answer.body.is_empty() {
        Value::Null
    } else {
        answer.json()
    }
}

fn fault(s: &Stack, fault: Value) {
    admin(
        s,
        "POST",
        "/faults",
        json!({"path": "/oauth/token", "method": "POST", "count": 1, "fault": fault}),
    );
}

/// How many token requests reached the sandbox.
fn token_requests(s: &Stack) -> usize {
    admin(s, "GET", "/state", Value::Null)["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == "/oauth/token")
        .count()
}

fn refresh(s: &Stack) -> Answer {
    send(&oauth::refresh_request(&s.oauth_config(), "some-refresh-token"))
}

/// Asserts an RFC 6749 error answer with this status, error code and words.
fn oauth_error(answer: &Answer, status: u16, error: &str, words: &str) {
    assert_eq!(answer.status, status, "{}", answer.everything());
    let body = answer.json();
    assert_eq!(body["error"], error, "{body}");
    let description = body["error_description"].as_str().unwrap();
    assert!(description.contains(words), "{description:?} lacks {words:?}");
    assert_eq!(answer.header("cache-control"), Some("no-store"));
}

#[test]
fn greenhouse_errors_come_back_as_they_came() {
    let s = stack(&[], &[]);
    // 4xx: an unknown refresh token.
    oauth_error(
        &refresh(&s),
        400,
        "invalid_grant",
        "unknown, rotated or revoked refresh token",
    );
    // 5xx with a JSON body.
    fault(&s, json!({"type": "status", "status": 503}));
    let answer = refresh(&s);
    assert_eq!(answer.status, 503);
    assert_eq!(answer.json()["errors"][0]["message"], "Injected failure");
}

#[test]
fn a_relay_with_the_wrong_secret_hears_greenhouses_401() {
    let s = stack(&[], &[]);
    let relay = relay_with_secret(
        std::net::TcpListener::bind("127.0.0.1:0").unwrap(),
        &format!("{}/oauth/token", s.sandbox.origin),
        &[],
        "not-the-secret",
    );
    let answer = send(&oauth::refresh_request(
        &oauth_config(&s.sandbox.origin, &relay.origin),
        "r",
    ));
    oauth_error(&answer, 401, "invalid_client", "client authentication failed");
}

#[test]
fn an_upstream_that_does_not_answer_in_time_is_a_504() {
    let s = stack(&["--upstream-timeout", "1"], &[]);
    fault(&s, json!({"type": "delay", "ms": 3000}));
    oauth_error(
        &refresh(&s),
        504,
        "temporarily_unavailable",
        "did not answer within 1 s",
    );
}

#[test]
fn an_upstream_that_hangs_up_or_cannot_be_reached_is_a_502() {
    let s = stack(&[], &[]);
    fault(&s, json!({"type": "drop"}));
    oauth_error(
        &refresh(&s),
        502,
        "temporarily_unavailable",
        "closed the connection without a complete answer",
    );

    // Nobody listens on the token URL's port any more.
    let gone = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let gone_url = format!("http://{}/oauth/token", gone.local_addr().unwrap());
    drop(gone);
    let relay = relay_on(
        std::net::TcpListener::bind("127.0.0.1:0").unwrap(),
        &gone_url,
        &[],
    );
    let answer = send(&oauth::refresh_request(
        &oauth_config(&s.sandbox.origin, &relay.origin),
        "r",
    ));
    oauth_error(
        &answer,
        502,
        "temporarily_unavailable",
        "could not connect to the token server",
    );
}

#[test]
fn an_upstream_answer_that_is_not_oauth_json_is_a_502_in_words() {
    let s = stack(&[], &[]);
    // A wrong --token-url: the sandbox's person page answers POST with 405 and no body.
    let wrong = format!("{}/people/1", s.sandbox.origin);
    let relay = relay_on(std::net::TcpListener::bind("127.0.0.1:0").unwrap(), &wrong, &[]);
    let answer = send(&oauth::refresh_request(
        &oauth_config(&s.sandbox.origin, &relay.origin),
        "r",
    ));
    oauth_error(
        &answer,
        502,
        "server_error",
        "answered 405 Method Not Allowed without a JSON object",
    );
}

#[test]
fn requests_the_relay_does_not_forward_never_reach_greenhouse() {
    let s = stack(&[], &[]);
    let token = format!("{}/token", s.relay.origin);
    let form = |pairs: &[(&str, &str)]| post_form(&token, pairs);

    for grant in [
        "password",
        "client_credentials",
        "urn:ietf:params:oauth:grant-type:jwt-bearer",
    ] {
        oauth_error(
            &form(&[("grant_type", grant), ("username", "a"), ("password", "b")]),
            400,
            "unsupported_grant_type",
            "only the authorization_code and refresh_token grants",
        );
    }
    oauth_error(
        &form(&[("code", "c")]),
        400,
        "invalid_request",
        "grant_type is missing",
    );
    oauth_error(
        &form(&[
            ("grant_type", "authorization_code"),
            ("redirect_uri", "https://x.example/"),
        ]),
        400,
        "invalid_request",
        "code is missing for the authorization_code grant",
    );
    oauth_error(
        &form(&[("grant_type", "refresh_token")]),
        400,
        "invalid_request",
        "refresh_token is missing",
    );
    oauth_error(
        &form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "a"),
            ("refresh_token", "b"),
        ]),
        400,
        "invalid_request",
        "\"refresh_token\" appears more than once",
    );
    oauth_error(
        &post(&token, "application/json", br#"{"grant_type":"refresh_token"}"#),
        400,
        "invalid_request",
        "application/x-www-form-urlencoded",
    );
    let huge = format!("grant_type=refresh_token&refresh_token={}", "r".repeat(20_000));
    oauth_error(
        &post(&token, "application/x-www-form-urlencoded", huge.as_bytes()),
        413,
        "invalid_request",
        "larger than 16384 bytes",
    );
    assert_eq!(token_requests(&s), 0, "none of them was forwarded");

    // The extension's own client_id, or a secret it should not have, are not what goes upstream:
    // the relay's are (the sandbox would refuse a wrong client id or secret with 401).
    let answer = form(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", "unknown"),
        ("client_id", "someone-else"),
        ("client_secret", "a-guess"),
    ]);
    oauth_error(&answer, 400, "invalid_grant", "unknown, rotated or revoked");
    assert_eq!(token_requests(&s), 1);
}
