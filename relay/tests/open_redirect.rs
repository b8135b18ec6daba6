//! The relay must not be an open redirector: every callback whose state does not lead under an
//! allowed prefix gets a 400 page that says why, and never a Location.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use sprout::relay_state;

fn state_to(target: &str) -> String {
    relay_state::encode("n0nce", target)
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Asserts a refusal that explains itself with `words`, and returns the page.
fn refused(relay: &str, query: &str, words: &str) -> String {
    let answer = get(&format!("{relay}/callback?{query}"));
    assert_eq!(answer.status, 400, "{query}: {}", answer.everything());
    assert_eq!(answer.header("location"), None, "{query}");
    assert_eq!(answer.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(
        answer.header("content-security-policy"),
        Some("default-src 'none'")
    );
    assert!(
        answer.body.contains(words),
        "{query}: expected {words:?} in {}",
        answer.body
    );
    assert!(!answer.body.contains("c0de-9"), "the code is not echoed");
    answer.body
}

#[test]
fn redirects_outside_the_allow_list_are_refused_in_words() {
    let s = stack(&[], &[]);
    let relay = s.relay.origin.as_str();
    let to = |target: &str| format!("code=c0de-9&state={}", enc(&state_to(target)));

    // Another host, and look-alikes of the allowed ones.
    refused(relay, &to("https://evil.example/"), "not under any redirect URL");
    for look_alike in [
        "https://abcdefghijklmnop.chromiumapp.org.evil.example/c/4f2a",
        "https://xabcdefghijklmnop.chromiumapp.org/c/4f2a",
        "https://abcdefghijklmnop.chromiumapp.org:8443/c/4f2a",
        // FIREFOX is ".../c": "/cx" shares its first characters but not its segment.
        "https://0a1b2c.extensions.allizom.org/cx",
        "https://0a1b2c.extensions.allizom.org/",
    ] {
        refused(relay, &to(look_alike), "not under any redirect URL");
    }
    refused(
        relay,
        &to("https://abcdefghijklmnop.chromiumapp.org@evil.example/"),
        "user name or password",
    );
    refused(
        relay,
        &to("http://abcdefghijklmnop.chromiumapp.org/c/4f2a"),
        "not https",
    );

    // Scripts.
    refused(
        relay,
        &to("javascript:alert(document.domain)//"),
        "\"javascript\"",
    );
    refused(relay, &to("data:text/html,hello"), "not https");

    // Encoded targets: percent-encodings, dot segments, a backslash, a whole URL encoded once more.
    for encoded in [
        "https://abcdefghijklmnop.chromiumapp.org%2F@evil.example/",
        "https://0a1b2c.extensions.allizom.org/c/%2e%2e/%2e%2e/evil",
        "https://abcdefghijklmnop.chromiumapp.org\\@evil.example/",
        "https%3A%2F%2Fevil.example%2F",
    ] {
        refused(relay, &to(encoded), "%, \\, spaces or control characters");
    }
    refused(
        relay,
        &to("https://0a1b2c.extensions.allizom.org/c/../../evil"),
        "would be read as https://0a1b2c.extensions.allizom.org/evil",
    );
    refused(
        relay,
        &to("https://ABCDEFGHIJKLMNOP.chromiumapp.org/c/4f2a"),
        "not written the way a URL parser writes it",
    );
    // The target base64url-encoded twice is not a URL.
    let twice = URL_SAFE_NO_PAD.encode(state_to(TARGET));
    refused(relay, &to(&twice), "not an absolute URL");

    // What a page could try to inject is shown as text.
    let page = refused(
        relay,
        &to("https://abcdefghijklmnop.chromiumapp.org/<script>alert(1)</script>"),
        "&lt;script&gt;alert(1)&lt;/script&gt;",
    );
    assert!(!page.contains("<script>"), "{page}");
}

#[test]
fn missing_or_garbled_states_are_refused() {
    let s = stack(&[], &[]);
    let relay = s.relay.origin.as_str();
    let good = state_to(TARGET);

    refused(relay, "code=c0de-9", "carries no state");
    refused(relay, "", "carries no state");
    refused(relay, "code=c0de-9&state=just-a-nonce", "no \".\" between");
    refused(
        relay,
        &format!("code=c0de-9&state=.{}", &good[6..]),
        "nonce is empty",
    );
    refused(relay, "code=c0de-9&state=n0nce.***", "not base64url");
    refused(
        relay,
        &format!("code=c0de-9&state={}%3D%3D", enc(&good)),
        "not base64url",
    );
    refused(
        relay,
        &format!("code=c0de-9&state=n0nce.{}", URL_SAFE_NO_PAD.encode([0xc3, 0x28])),
        "does not decode to text",
    );
    // A stray "%" stays a "%" (as browsers read it), which is no base64url.
    refused(relay, "code=c0de-9&state=n0nce.%ZZ", "not base64url");
    refused(relay, "code=c0de-9&state=%C3%28", "not validly percent-encoded");
    // Two states, or two codes: which one would the extension get?
    refused(
        relay,
        &format!(
            "code=c0de-9&state={}&state={}",
            enc(&good),
            enc(&state_to("https://evil.example/"))
        ),
        "\"state\" appears more than once",
    );
    refused(
        relay,
        &format!("code=c0de-9&code=c0de-9x&state={}", enc(&good)),
        "\"code\" appears more than once",
    );
    let long = "a".repeat(9000);
    refused(
        relay,
        &format!("code={long}&state={}", enc(&good)),
        "longer than 8192",
    );

    // And the same state, well formed, is accepted: the refusals above are about what they say.
    let ok = get(&format!("{relay}/callback?code=c0de-9&state={}", enc(&good)));
    assert_eq!(ok.status, 302);
}

#[test]
fn start_sends_the_browser_on_only_to_the_configured_authorize_page() {
    const AUTHORIZE: &str = "https://api.greenhouse.io/oauth/authorize";
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let relay = relay_on(
        listener,
        "http://127.0.0.1:9/oauth/token",
        &["--authorize-url", AUTHORIZE],
    );
    let to = format!(
        "{AUTHORIZE}?client_id={CLIENT_ID}&redirect_uri={}&state={}",
        enc(&format!("{}/callback", relay.origin)),
        state_to(CHROME)
    );
    let started = get(&format!("{}/start?to={}", relay.origin, enc(&to)));
    assert_eq!(started.status, 302, "{}", started.everything());
    assert_eq!(started.header("location"), Some(to.as_str()));
    for bad in [
        "https://evil.example/oauth/authorize",
        "https://api.greenhouse.io.evil.example/oauth/authorize",
        "https://api.greenhouse.io/oauth/authorize/../../x",
        "javascript:alert(1)",
    ] {
        let answer = get(&format!("{}/start?to={}", relay.origin, enc(bad)));
        assert_eq!(answer.status, 400, "{bad}");
        assert_eq!(answer.header("location"), None, "{bad}");
        assert!(
            answer.body.contains("only on its own Greenhouse authorize page"),
            "{bad}"
        );
    }
    let twice = get(&format!("{}/start?to={}&to={}", relay.origin, enc(&to), enc(&to)));
    assert_eq!(twice.status, 400);

    // Without --authorize-url it starts nothing.
    let plain = relay_on(
        std::net::TcpListener::bind("127.0.0.1:0").unwrap(),
        "http://127.0.0.1:9/oauth/token",
        &[],
    );
    let answer = get(&format!("{}/start?to={}", plain.origin, enc(&to)));
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("no --authorize-url"));
}

#[test]
fn the_relay_names_itself_when_told_its_public_url_and_carries_no_other_name() {
    let s = stack(&["--public-url", "https://relay.acme.com/"], &[]);
    let state = state_to(&format!("{CHROME}c/0123456789ab"));
    let answer = get(&format!(
        "{}/callback?code=c0de-9&state={}&sprout_relay={}",
        s.relay.origin,
        enc(&state),
        enc("https://evil.example")
    ));
    assert_eq!(answer.status, 302, "{}", answer.everything());
    let location = sprout::url_parse::parse(answer.header("location").unwrap()).unwrap();
    let named: Vec<String> = location
        .query_pairs()
        .filter(|(k, _)| k == relay_state::RELAY_PARAM)
        .map(|(_, v)| v.into_owned())
        .collect();
    assert_eq!(named, ["https://relay.acme.com"]);
    // Without --public-url the relay names nobody.
    let plain = stack(&[], &[]);
    let answer = get(&format!(
        "{}/callback?code=c0de-9&state={}&sprout_relay=x",
        plain.relay.origin,
        enc(&state)
    ));
    assert!(!answer.header("location").unwrap().contains("sprout_relay"));
}
