//! Flags and environment, checked once at start into [`Settings`]: a relay that starts is one
//! that can do its job (https token URL, at least one redirect prefix, a secret that is not empty).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use secrecy::SecretString;
use sprout::url_parse;
use url::{Host, Url};

use crate::allow::{AllowList, Prefix};

/// The environment variable that may hold the client secret (a flag would show in `ps`).
pub const SECRET_ENV: &str = "SPROUT_RELAY_CLIENT_SECRET";

/// sprout-relay: the one OAuth callback URL and the token exchange for Sprout, holding the
/// Greenhouse client secret that a browser extension cannot keep.
///
/// Register https://RELAY-HOST/callback with Greenhouse as the partner's callback URL. The extension
/// signs in with state = NONCE.TARGET (TARGET: base64url, no padding, of its own redirect URL);
/// GET /callback sends the browser on to TARGET with code, state, error, error_description,
/// oauth_problem and iss unchanged, but only when TARGET is under an --allow-redirect prefix;
/// anything else gets a 400 page, never a redirect. POST /token takes the extension's
/// authorization_code or refresh_token grant (form-encoded, RFC 6749), adds the client id and
/// secret, forwards it to --token-url and hands back the answer. GET /healthz answers "ok".
///
/// The client secret comes from the environment variable SPROUT_RELAY_CLIENT_SECRET or from
/// --client-secret-file, never from a flag (flags show in `ps`). Every flag can also be set through
/// the environment variable named beside it. The relay stores nothing and logs no code, token or
/// secret; set SPROUT_RELAY_LOG (e.g. "debug", or "sprout_relay=debug,warn") to see more.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "sprout-relay",
    version,
    verbatim_doc_comment,
    after_long_help = DEPLOY
)]
pub struct Config {
    /// Address to listen on (plain HTTP: put a TLS-terminating proxy in front).
    #[arg(
        long,
        env = "SPROUT_RELAY_LISTEN",
        value_name = "ADDR",
        default_value = "127.0.0.1:7400"
    )]
    pub listen: SocketAddr,

    /// Greenhouse's token URL, e.g. https://api.greenhouse.io/oauth/token. Must be https; plain
    /// http is accepted for a loopback host only (a local sandbox), so the secret never crosses a
    /// network in clear.
    #[arg(long, env = "SPROUT_RELAY_TOKEN_URL", value_name = "URL")]
    pub token_url: String,

    /// Greenhouse's authorize URL, e.g. https://api.greenhouse.io/oauth/authorize. Given, GET
    /// /start?to=URL sends the browser on to URL when it is this authorize page (with any query),
    /// and nowhere else: Firefox's sign-in window can open no authorize URL whose redirect_uri is
    /// not the extension's own, so a relayed sign-in in Firefox starts here. Same rules as
    /// --token-url.
    #[arg(long, env = "SPROUT_RELAY_AUTHORIZE_URL", value_name = "URL")]
    pub authorize_url: Option<String>,

    /// The relay's own address as the extension's connections name it (https://RELAY-HOST, the
    /// Relay URL on Sprout's options page). Given, every answer sent back to the extension carries
    /// it as `sprout_relay`, and the extension accepts a relayed sign-in only from the relay its
    /// connection names: a connection to another server cannot have this relay answer for it.
    /// Sprout refuses relayed sign-ins without it. Same rules as --token-url.
    #[arg(long, env = "SPROUT_RELAY_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    /// The consumer key Greenhouse gave when it registered the partner.
    #[arg(long, env = "SPROUT_RELAY_CLIENT_ID", value_name = "ID")]
    pub client_id: String,

    /// A file holding the consumer secret (one line; a final newline is ignored), e.g. a mounted
    /// container secret. Alternative: the SPROUT_RELAY_CLIENT_SECRET environment variable.
    #[arg(long, env = "SPROUT_RELAY_CLIENT_SECRET_FILE", value_name = "FILE")]
    pub client_secret_file: Option<PathBuf>,

    /// A redirect URL prefix the browser may be sent back to; repeatable (comma-separated in the
    /// environment). One per browser: https://<extension-id>.chromiumapp.org/ for Chrome and
    /// https://<uuid-hash>.extensions.allizom.org/ for Firefox. https only; host and port must
    /// match exactly; the path matches at a "/" boundary.
    #[arg(
        long = "allow-redirect",
        env = "SPROUT_RELAY_ALLOW_REDIRECT",
        value_name = "PREFIX",
        value_delimiter = ',',
        required = true,
        value_parser = clap::value_parser!(Prefix)
    )]
    pub allow_redirect: Vec<Prefix>,

    /// Seconds to wait for the token URL (connecting and answering) before answering 504.
    #[arg(long, env = "SPROUT_RELAY_UPSTREAM_TIMEOUT", value_name = "SECONDS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=120))]
    pub upstream_timeout: u64,
}

const DEPLOY: &str = "\
Deploying:
  The relay is one stateless binary that speaks plain HTTP. Run it behind any TLS-terminating
  proxy or load balancer (nginx, Caddy, a cloud load balancer) that forwards
  https://RELAY-HOST/ to --listen, and point its health check at /healthz. It keeps nothing
  between requests, so more copies behind the same load balancer scale it out; they all need
  the same flags and secret. Or build the container from relay/Dockerfile (it listens on
  0.0.0.0:7400) and pass the settings as environment variables, the secret as a mounted file:

    docker run -p 7400:7400 \\
      -e SPROUT_RELAY_TOKEN_URL=https://api.greenhouse.io/oauth/token \\
      -e SPROUT_RELAY_AUTHORIZE_URL=https://api.greenhouse.io/oauth/authorize \\
      -e SPROUT_RELAY_PUBLIC_URL=https://RELAY-HOST \\
      -e SPROUT_RELAY_CLIENT_ID=... \\
      -e SPROUT_RELAY_ALLOW_REDIRECT=https://<id>.chromiumapp.org/,https://<hash>.extensions.allizom.org/ \\
      -e SPROUT_RELAY_CLIENT_SECRET_FILE=/run/secrets/greenhouse \\
      -v /path/to/secret:/run/secrets/greenhouse:ro sprout-relay

  Then give Sprout's connection the relay's URL (https://RELAY-HOST), and register
  https://RELAY-HOST/callback with Greenhouse as the callback URL.";

/// Everything the relay needs, checked.
#[derive(Debug, Clone)]
pub struct Settings {
    pub token_url: Url,
    pub authorize_url: Option<Url>,
    /// Without a final "/", as [`sprout::relay_state::RELAY_PARAM`] carries it.
    pub public_url: Option<String>,
    pub client_id: String,
    pub client_secret: SecretString,
    pub allow: AllowList,
    pub upstream_timeout: Duration,
}

impl Config {
    /// Checks the flags; `secret_from_env` is the value of [`SECRET_ENV`], if set.
    pub fn settings(&self, secret_from_env: Option<String>) -> Result<Settings, String> {
        let secret = match (secret_from_env, &self.client_secret_file) {
            (Some(_), Some(_)) => {
                return Err(format!(
                    "both {SECRET_ENV} and --client-secret-file are set: keep one"
                ));
            }
            (Some(secret), None) => secret,
            (None, Some(file)) => std::fs::read_to_string(file)
                .map_err(|e| format!("cannot read --client-secret-file {}: {e}", file.display()))?
                .trim_end_matches(['\r', '\n'])
                .to_owned(),
            (None, None) => {
                return Err(format!(
                    "no client secret: set {SECRET_ENV} or --client-secret-file"
                ));
            }
        };
        if secret.is_empty() {
            return Err("the client secret is empty".into());
        }
        if self.client_id.is_empty() {
            return Err("--client-id is empty".into());
        }
        Ok(Settings {
            token_url: endpoint("--token-url", &self.token_url)?,
            authorize_url: self
                .authorize_url
                .as_deref()
                .map(|u| endpoint("--authorize-url", u))
                .transpose()?,
            public_url: self
                .public_url
                .as_deref()
                .map(|u| endpoint("--public-url", u))
                .transpose()?
                .map(|u| u.as_str().trim_end_matches('/').to_owned()),
            client_id: self.client_id.clone(),
            client_secret: secret.into(),
            allow: AllowList(self.allow_redirect.clone()),
            upstream_timeout: Duration::from_secs(self.upstream_timeout),
        })
    }
}

/// A Greenhouse endpoint given as `flag`: https (http on loopback only), no credentials or fragment.
fn endpoint(flag: &str, s: &str) -> Result<Url, String> {
    let url = url_parse::parse(s).map_err(|e| format!("{flag} {s:?} is not a URL ({e})"))?;
    let loopback = match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(d)) => d == "localhost",
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => {
            return Err(format!(
                "{flag} {s:?} must be https (http only on a loopback address)"
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(format!(
            "{flag} {s:?} must carry no user name, password or fragment"
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    const BASE: [&str; 6] = [
        "sprout-relay",
        "--token-url",
        "https://api.greenhouse.io/oauth/token",
        "--client-id",
        "ck",
        "--allow-redirect=https://abc.chromiumapp.org/,https://f00.extensions.allizom.org/",
    ];

    fn parse(extra: &[&str]) -> Result<Config, clap::Error> {
        Config::try_parse_from(BASE.iter().chain(extra))
    }

    #[test]
    fn defaults_and_a_secret_from_the_environment() {
        let c = parse(&[]).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:7400");
        assert_eq!(c.allow_redirect.len(), 2);
        let s = c.settings(Some("sh".into())).unwrap();
        assert_eq!(s.client_secret.expose_secret(), "sh");
        assert_eq!(s.upstream_timeout, Duration::from_secs(10));
        assert!(!format!("{s:?}").contains("sh\""), "Debug hides the secret");
    }

    #[test]
    fn the_secret_is_never_a_flag_and_always_present() {
        assert!(parse(&["--client-secret", "x"]).is_err());
        let c = parse(&[]).unwrap();
        assert!(c.settings(None).unwrap_err().contains(SECRET_ENV));
        assert!(c.settings(Some(String::new())).is_err());
    }

    #[test]
    fn a_secret_file_loses_its_final_newline() {
        let path = std::env::temp_dir().join(format!("sprout-relay-secret-{}", std::process::id()));
        std::fs::write(&path, "s3cret\n").unwrap();
        let c = parse(&["--client-secret-file", path.to_str().unwrap()]).unwrap();
        assert_eq!(c.settings(None).unwrap().client_secret.expose_secret(), "s3cret");
        assert!(c.settings(Some("x".into())).unwrap_err().contains("both"));
        std::fs::remove_file(&path).unwrap();
        assert!(c.settings(None).unwrap_err().contains("cannot read"));
    }

    #[test]
    fn the_token_url_is_https_or_loopback() {
        assert!(endpoint("--token-url", "http://127.0.0.1:7300/oauth/token").is_ok());
        assert!(endpoint("--token-url", "http://[::1]:7300/oauth/token").is_ok());
        assert!(endpoint("--token-url", "http://localhost:7300/oauth/token").is_ok());
        assert!(endpoint("--token-url", "http://api.greenhouse.io/oauth/token").is_err());
        assert!(endpoint("--token-url", "http://127.0.0.1.evil.example/oauth/token").is_err());
        assert!(endpoint("--token-url", "ftp://127.0.0.1/").is_err());
        assert!(endpoint("--token-url", "https://u:p@api.greenhouse.io/oauth/token").is_err());
    }

    #[test]
    fn redirect_prefixes_are_checked_when_parsed() {
        assert!(parse(&["--allow-redirect", "http://abc.chromiumapp.org/"]).is_err());
        assert!(Config::try_parse_from(&BASE[..5]).is_err(), "at least one prefix");
    }
}
