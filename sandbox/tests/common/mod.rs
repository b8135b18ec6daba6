//! Shared by the integration tests: a real sandbox on an ephemeral loopback port, and the core
//! client's host traits implemented natively (ureq over real HTTP, system clock, OS randomness,
//! a sleeper that records requested waits and sleeps a scaled-down fraction of them).
#![allow(dead_code)] // each test file uses a different subset

use std::cell::RefCell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Parser;
use rand::RngCore;
use serde_json::Value;
use sprout::api::{
    ApiRequest, ApiResponse, Auth, Client, Clock, Entropy, Method, RetryPolicy, Sleeper, Transport,
    TransportError,
};
use sprout::oauth::{self, OAuthConfig, Tokens};
use sprout_sandbox::{Config, Running};

pub const KEY: &str = "test-key";
pub const ADMIN: &str = "ada@sprout.test";
pub const BASIC: &str = "bob@sprout.test";
pub const REDIRECT: &str = "https://abcdef.chromiumapp.org/";
pub const REDIRECT_FIREFOX: &str = "https://f00d.extensions.allizom.org/";
pub const CLIENT_ID: &str = "sprout-test";

/// A seed-dialect sandbox with two users (admin and basic), two redirect URIs, plus `extra` flags.
pub fn sandbox(extra: &[&str]) -> Running {
    sandbox_in("seed", extra)
}

/// [`sandbox`] in the given wire dialect.
pub fn sandbox_in(dialect: &str, extra: &[&str]) -> Running {
    let mut args = vec![
        "sprout-sandbox",
        "--dialect",
        dialect,
        "--port",
        "0",
        "--api-key",
        KEY,
        "--user",
        "ada@sprout.test:admin",
        "--user",
        "bob@sprout.test:basic",
        "--client-id",
        CLIENT_ID,
        "--redirect-uri",
        REDIRECT,
        "--redirect-uri",
        REDIRECT_FIREFOX,
    ];
    args.extend_from_slice(extra);
    sprout_sandbox::spawn(Config::parse_from(args)).expect("sandbox starts")
}

/// The native transport: ureq, statuses returned as values, no redirects followed.
pub struct Ureq(ureq::Agent);

impl Ureq {
    pub fn new(timeout: Duration) -> Ureq {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(timeout))
            .build();
        Ureq(config.into())
    }
}

impl Transport for Ureq {
    async fn send(&self, r: &ApiRequest) -> Result<ApiResponse, TransportError> {
        let result = match r.method {
            Method::Get => {
                let mut b = self.0.get(&r.url);
                for (k, v) in &r.headers {
                    b = b.header(k, v);
                }
                b.call()
            }
            Method::Post => {
                let mut b = self.0.post(&r.url);
                for (k, v) in &r.headers {
                    b = b.header(k, v);
                }
                b.send(r.body.as_deref().unwrap_or_default().as_bytes())
            }
        };
        let mut response = result.map_err(classify)?;
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
            .collect();
        let body = response
            .body_mut()
            .read_to_string()
            .map_err(|e| TransportError::NoResponse(e.to_string()))?;
        Ok(ApiResponse {
            status: response.status().as_u16(),
            headers,
            body,
        })
    }
}

/// Only failures before the request left count as "not sent".
fn classify(e: ureq::Error) -> TransportError {
    use ureq::{Error, Timeout};
    let not_sent = match &e {
        Error::ConnectionFailed | Error::HostNotFound => true,
        Error::Timeout(Timeout::Connect | Timeout::Resolve) => true,
        Error::Io(io) => io.kind() == std::io::ErrorKind::ConnectionRefused,
        _ => false,
    };
    if not_sent {
        TransportError::NotSent(e.to_string())
    } else {
        TransportError::NoResponse(e.to_string())
    }
}

pub struct SystemClock;
impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
    }
}

pub struct OsEntropy;
impl Entropy for OsEntropy {
    fn fill(&self, bytes: &mut [u8]) {
        rand::rngs::OsRng.fill_bytes(bytes);
    }
}

/// Records each requested wait and really sleeps 1/100 of it, so tests stay fast but real.
#[derive(Default)]
pub struct Waits(pub RefCell<Vec<Duration>>);
impl Sleeper for &Waits {
    async fn sleep(&self, d: Duration) {
        self.0.borrow_mut().push(d);
        std::thread::sleep(d / 100);
    }
}

pub type TestClient<'a> = Client<Ureq, SystemClock, &'a Waits, OsEntropy>;

pub fn client<'a>(base_url: &str, waits: &'a Waits) -> TestClient<'a> {
    Client::new(
        base_url,
        Ureq::new(Duration::from_secs(5)),
        SystemClock,
        waits,
        OsEntropy,
    )
    .with_policy(RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(200),
        max_delay: Duration::from_secs(5),
        settle_delay: Duration::from_millis(500),
    })
}

/// Drives a future of the core client to completion on this thread.
pub fn run<F: Future>(f: F) -> F::Output {
    pollster::block_on(f)
}

pub fn basic(email: &str) -> Auth {
    Auth::basic(KEY, email)
}

/// POSTs/DELETEs/GETs the admin API and returns its JSON (null when empty).
pub fn admin(sandbox: &Running, method: &str, path: &str, body: Value) -> Value {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}/_sandbox{path}", sandbox.origin);
    let mut response = match method {
        "GET" => agent.get(&url).call(),
        "DELETE" => agent.delete(&url).call(),
        _ => agent
            .post(&url)
            .header("Content-Type", "application/json")
            .send(body.to_string().as_bytes()),
    }
    .expect("admin API answers");
    let text = response.body_mut().read_to_string().unwrap();
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    }
}

pub fn fault(sandbox: &Running, method: &str, path: &str, count: u32, fault: Value) {
    admin(
        sandbox,
        "POST",
        "/faults",
        serde_json::json!({"path": path, "method": method, "count": count, "fault": fault}),
    );
}

pub fn stored(sandbox: &Running) -> Value {
    admin(sandbox, "GET", "/state", Value::Null)
}

/// How many requests with this method and path the sandbox saw.
pub fn seen(sandbox: &Running, method: &str, path: &str) -> usize {
    stored(sandbox)["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == method && r["path"] == path)
        .count()
}

/// The `<input type="hidden">` fields of the consent form, as a browser would submit them.
pub fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input ")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            let attr = |name: &str| {
                let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
                let len = tag[start..].find('"')?;
                Some(html_escape::decode_html_entities(&tag[start..start + len]).into_owned())
            };
            Some((attr("name")?, attr("value")?))
        })
        .collect()
}

/// Opens the authorize URL, submits the consent form as `email` with `decision`, and returns
/// the `Location` the browser would be sent to.
pub fn consent(authorize_url: &str, email: &str, decision: &str) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let mut page = agent.get(authorize_url).call().unwrap();
    assert_eq!(page.status(), 200, "consent page shown");
    let html = page.body_mut().read_to_string().unwrap();
    assert!(
        html.contains("Allow") && html.contains("Deny") && html.contains(email),
        "{html}"
    );
    let mut form = hidden_fields(&html);
    form.push(("user".into(), email.into()));
    form.push(("decision".into(), decision.into()));
    let action = authorize_url.split('?').next().unwrap();
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let answer = agent.post(action).send_form(pairs).unwrap();
    assert_eq!(answer.status(), 303, "consent redirects");
    answer.headers()["location"].to_str().unwrap().to_owned()
}

pub fn oauth_config(sandbox: &Running, redirect_uri: &str) -> OAuthConfig {
    OAuthConfig::at(&sandbox.origin, CLIENT_ID, redirect_uri)
}

/// The whole sign-in over HTTP: authorize, Allow as `email`, check the redirect, exchange the code.
pub fn sign_in(sandbox: &Running, client: &TestClient, email: &str) -> Tokens {
    let config = oauth_config(sandbox, REDIRECT);
    let start = oauth::begin(&config, &OsEntropy);
    let location = consent(&start.url, email, "allow");
    let code = oauth::parse_redirect(&location, &start.state).expect("redirect carries our code");
    run(client.fetch_tokens(&oauth::authorization_code_request(
        &config,
        &code,
        &start.pkce.verifier,
    )))
    .expect("code exchanged")
}
