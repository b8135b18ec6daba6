//! Shared by the relay's integration tests: a real sandbox (the upstream, with a client secret) and
//! a real relay on ephemeral loopback ports, and the browser's and the extension's side of a
//! sign-in done over plain HTTP.
#![allow(dead_code)] // each test file uses a different subset

use clap::Parser;
use serde_json::Value;
use sprout::api::ApiResponse;
use sprout::oauth::{self, OAuthConfig, Pkce};
use sprout::relay_state;

pub const CLIENT_ID: &str = "sprout-greenhouse";
pub const SECRET: &str = "relay-only-secret-7Hq2";
pub const ADMIN: &str = "ada@sprout.test";
/// The allow-list: Chrome's redirect URL, and a Firefox one narrowed to the connection paths.
pub const CHROME: &str = "https://abcdefghijklmnop.chromiumapp.org/";
pub const FIREFOX: &str = "https://0a1b2c.extensions.allizom.org/c";
/// Where the extension asks to come back: its redirect URL with the connection's path.
pub const TARGET: &str = "https://abcdefghijklmnop.chromiumapp.org/c/4f2a";
pub const VERIFIER: &str = "a-pkce-verifier-of-more-than-forty-three-characters-0123";

/// A sandbox that requires the client secret and knows the relay's callback as the redirect URI.
pub fn sandbox(relay_origin: &str, extra: &[&str]) -> sprout_sandbox::Running {
    let callback = format!("{relay_origin}/callback");
    let mut args = vec![
        "sprout-sandbox",
        "--port",
        "0",
        "--user",
        "ada@sprout.test:admin",
        "--client-id",
        CLIENT_ID,
        "--client-secret",
        SECRET,
        "--redirect-uri",
        &callback,
    ];
    args.extend_from_slice(extra);
    sprout_sandbox::spawn(sprout_sandbox::Config::parse_from(args)).expect("sandbox starts")
}

/// The relay's flags for this token URL, plus `extra`.
pub fn relay_args(token_url: &str, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "sprout-relay",
        "--token-url",
        token_url,
        "--client-id",
        CLIENT_ID,
        "--allow-redirect",
        CHROME,
        "--allow-redirect",
        FIREFOX,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

/// A relay serving in process on `listener`, forwarding to `token_url`.
pub fn relay_on(listener: std::net::TcpListener, token_url: &str, extra: &[&str]) -> sprout_relay::Running {
    relay_with_secret(listener, token_url, extra, SECRET)
}

pub fn relay_with_secret(
    listener: std::net::TcpListener,
    token_url: &str,
    extra: &[&str],
    secret: &str,
) -> sprout_relay::Running {
    let config = sprout_relay::Config::try_parse_from(relay_args(token_url, extra)).expect("flags parse");
    let settings = config.settings(Some(secret.into())).expect("settings check");
    sprout_relay::spawn(listener, settings).expect("relay starts")
}

/// A sandbox upstream and a relay in front of it.
pub struct Stack {
    pub relay: sprout_relay::Running,
    pub sandbox: sprout_sandbox::Running,
}

pub fn stack(relay_extra: &[&str], sandbox_extra: &[&str]) -> Stack {
    // The relay's port first: the sandbox must know its callback URL before the relay knows the
    // sandbox's token URL.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let relay_origin = format!("http://{}", listener.local_addr().unwrap());
    let sandbox = sandbox(&relay_origin, sandbox_extra);
    let relay = relay_on(listener, &format!("{}/oauth/token", sandbox.origin), relay_extra);
    Stack { relay, sandbox }
}

impl Stack {
    /// The extension's OAuth settings for a connection that names this relay.
    pub fn oauth_config(&self) -> OAuthConfig {
        oauth_config(&self.sandbox.origin, &self.relay.origin)
    }
}

pub fn oauth_config(sandbox_origin: &str, relay_origin: &str) -> OAuthConfig {
    let mut config = OAuthConfig::at(sandbox_origin, CLIENT_ID, format!("{relay_origin}/callback"));
    config.token_url = format!("{relay_origin}/token");
    config
}

/// An HTTP client that, like a test should, follows no redirect and reads every status.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

/// One HTTP answer, whole.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// Everything a client could read from it.
    pub fn everything(&self) -> String {
        let headers: String = self.headers.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
        format!("{} {headers}{}", self.status, self.body)
    }

    pub fn as_api_response(&self) -> ApiResponse {
        ApiResponse {
            status: self.status,
            headers: self.headers.clone(),
            body: self.body.clone(),
        }
    }
}

fn answer(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = result.expect("an HTTP answer");
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    Answer {
        status: response.status().as_u16(),
        headers,
        body,
    }
}

pub fn get(url: &str) -> Answer {
    answer(agent().get(url).call())
}

pub fn post_form(url: &str, form: &[(&str, &str)]) -> Answer {
    answer(agent().post(url).send_form(form.iter().copied()))
}

pub fn post(url: &str, content_type: &str, body: &[u8]) -> Answer {
    answer(agent().post(url).header("Content-Type", content_type).send(body))
}

/// Sends a token request the core built, as the extension's background would.
pub fn send(request: &sprout::api::ApiRequest) -> Answer {
    let mut builder = agent().post(&request.url);
    for (k, v) in &request.headers {
        builder = builder.header(k, v);
    }
    answer(builder.send(request.body.as_deref().unwrap_or_default().as_bytes()))
}

/// The `<input type="hidden">` fields of the sandbox's consent form.
fn hidden_fields(html: &str) -> Vec<(String, String)> {
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

/// A sign-in started by the extension: the state it sent and the PKCE pair.
pub struct Started {
    pub state: String,
    pub pkce: Pkce,
    pub authorize_url: String,
}

pub fn start(config: &OAuthConfig, nonce: &str, target: &str) -> Started {
    let pkce = Pkce::from_verifier(VERIFIER);
    let state = relay_state::encode(nonce, target);
    Started {
        authorize_url: oauth::authorize_url(config, &state, &pkce.challenge),
        state,
        pkce,
    }
}

/// The browser's part: the consent page, the recruiter's decision, and the redirect to the
/// relay's callback. Returns the callback URL the browser is sent to.
pub fn consent(authorize_url: &str, decision: &str) -> String {
    let page = get(authorize_url);
    assert_eq!(page.status, 200, "{}", page.body);
    let mut form = hidden_fields(&page.body);
    form.push(("user".into(), ADMIN.into()));
    form.push(("decision".into(), decision.into()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let action = authorize_url.split('?').next().unwrap();
    let decided = post_form(action, &pairs);
    assert_eq!(decided.status, 303, "{}", decided.body);
    decided.header("location").unwrap().to_owned()
}
