//! A connection: one Greenhouse account Sprout can send to (a sourcing agency has several), its
//! settings as the recruiter types them, and the checks that run before anything is stored.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::address::{Reach, Refusal, plausible_email, web_url};
use crate::api::{Dialect, GREENHOUSE_BASE_URL};
use crate::oauth::{self, OAuthConfig, SCOPES};
use crate::reason::{ConnectionProblem, UrlField};
use crate::url_parse;

/// Greenhouse's OAuth endpoints (its public OAuth documentation).
pub const GREENHOUSE_AUTHORIZE_URL: &str = "https://api.greenhouse.io/oauth/authorize";
pub const GREENHOUSE_TOKEN_URL: &str = "https://api.greenhouse.io/oauth/token";

/// Settings of one connection. Secrets (OAuth client secret, Partner API key) are not part of it:
/// they travel separately and are stored where content scripts cannot read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    /// Chosen by the background when the connection is added; stable across edits.
    #[serde(default)]
    pub id: String,
    /// What the recruiter calls it, e.g. the customer's name.
    pub caption: String,
    pub api_base_url: String,
    /// How the server writes its requests and answers. Connections saved before dialects existed
    /// have none stored and spoke the seed contract, which is what a missing value reads as; the
    /// options form starts new ones in Greenhouse's own.
    #[serde(default)]
    pub dialect: Dialect,
    pub auth: AuthSettings,
    /// "Forget my sign-in when the browser closes" (shared computers): tokens and keys then live
    /// in the browser session only. Otherwise the sign-in is kept across restarts.
    #[serde(default)]
    pub forget_on_close: bool,
}

/// How a connection authenticates. Stored (tagged `mode`) and read through [`AuthFields`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case", try_from = "AuthFields")]
pub enum AuthSettings {
    /// Each recruiter signs in with their own Greenhouse account.
    Oauth {
        client_id: String,
        authorize_url: String,
        /// Greenhouse's token endpoint, or an organisation's relay that holds the client secret.
        token_url: String,
        /// Space-separated scopes to ask for; empty or missing means [`SCOPES`].
        #[serde(default)]
        scopes: String,
        /// An organisation's sprout-relay (its base URL): it is the `redirect_uri` registered with
        /// Greenhouse and the token endpoint, and holds the client secret; `token_url` then rests.
        #[serde(default)]
        relay: Option<String>,
    },
    /// The organisation's Partner API key, acting for the recruiter with this exact email.
    PartnerKey { on_behalf_of: String },
}

/// [`AuthSettings`] as stored: the same object, in any key order, read as one flat struct and
/// then checked, not through serde's internally tagged decoding (which buffers the value in its
/// private `Content` and compiles each variant's decoding once more).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthFields {
    mode: AuthMode,
    client_id: Option<String>,
    authorize_url: Option<String>,
    token_url: Option<String>,
    scopes: Option<String>,
    relay: Option<String>,
    on_behalf_of: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum AuthMode {
    Oauth,
    PartnerKey,
}

impl TryFrom<AuthFields> for AuthSettings {
    type Error = &'static str;

    fn try_from(f: AuthFields) -> Result<AuthSettings, Self::Error> {
        match f.mode {
            AuthMode::Oauth if f.on_behalf_of.is_some() => Err("an OAuth connection acts for nobody"),
            AuthMode::Oauth => Ok(AuthSettings::Oauth {
                client_id: f.client_id.ok_or("missing field `client_id`")?,
                authorize_url: f.authorize_url.ok_or("missing field `authorize_url`")?,
                token_url: f.token_url.ok_or("missing field `token_url`")?,
                scopes: f.scopes.unwrap_or_default(),
                relay: f.relay,
            }),
            AuthMode::PartnerKey
                if f.client_id.is_some()
                    || f.authorize_url.is_some()
                    || f.token_url.is_some()
                    || f.scopes.is_some()
                    || f.relay.is_some() =>
            {
                Err("a Partner-key connection has no OAuth settings")
            }
            AuthMode::PartnerKey => Ok(AuthSettings::PartnerKey {
                on_behalf_of: f.on_behalf_of.ok_or("missing field `on_behalf_of`")?,
            }),
        }
    }
}

impl Connection {
    /// A new OAuth connection to Greenhouse itself, as the options form starts it.
    pub fn greenhouse_oauth(caption: impl Into<String>, client_id: impl Into<String>) -> Connection {
        Connection {
            id: String::new(),
            caption: caption.into(),
            api_base_url: GREENHOUSE_BASE_URL.into(),
            dialect: Dialect::Greenhouse,
            auth: AuthSettings::Oauth {
                client_id: client_id.into(),
                authorize_url: GREENHOUSE_AUTHORIZE_URL.into(),
                token_url: GREENHOUSE_TOKEN_URL.into(),
                scopes: SCOPES.into(),
                relay: None,
            },
            forget_on_close: false,
        }
    }

    /// Checks what the recruiter typed; the error names the rule and the field.
    pub fn validate(&self) -> Result<(), ConnectionProblem> {
        if self.caption.trim().is_empty() {
            return Err(ConnectionProblem::NoName);
        }
        server_url(&self.api_base_url, UrlField::ApiBase)?;
        match &self.auth {
            AuthSettings::Oauth {
                client_id,
                authorize_url,
                token_url,
                scopes,
                relay,
            } => {
                if client_id.trim().is_empty() {
                    return Err(ConnectionProblem::NoClientId);
                }
                if !scopes.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
                    return Err(ConnectionProblem::BadScopes);
                }
                server_url(authorize_url, UrlField::Authorize)?;
                server_url(token_url, UrlField::Token)?;
                if let Some(relay) = relay {
                    let url = server_url(relay, UrlField::Relay)?;
                    if url.query().is_some() || url.fragment().is_some() {
                        return Err(ConnectionProblem::RelayNotBare);
                    }
                }
            }
            AuthSettings::PartnerKey { on_behalf_of } => {
                if !plausible_email(on_behalf_of) {
                    return Err(ConnectionProblem::BadEmail);
                }
            }
        }
        Ok(())
    }

    /// Checks a connection read back from storage, as if it had just been typed, before anything
    /// is sent with it: `storage.local` is writable from every extension context, and these checks
    /// may be stricter than those of the version that saved it.
    pub fn validate_stored(&self) -> Result<(), ConnectionProblem> {
        if self.id.is_empty() {
            return Err(ConnectionProblem::NoId);
        }
        self.validate()
    }

    /// The OAuth client for this connection, or `None` in Partner-key mode. `browser_redirect` is
    /// the browser's redirect URL (`identity.getRedirectURL()`); the connection comes back on its
    /// own path under it. With a relay, the relay is the `redirect_uri` and the token endpoint, and
    /// no client secret leaves the browser.
    pub fn oauth_config(&self, browser_redirect: &str, client_secret: Option<String>) -> Option<OAuthConfig> {
        let AuthSettings::Oauth {
            client_id,
            authorize_url,
            token_url,
            scopes,
            relay,
        } = &self.auth
        else {
            return None;
        };
        let return_url = oauth::return_url(browser_redirect, &oauth::redirect_path(authorize_url));
        let scope = match scopes.split_whitespace().collect::<Vec<_>>().join(" ") {
            none if none.is_empty() => SCOPES.into(),
            some => some,
        };
        Some(match relay_base(relay) {
            Some(relay) => OAuthConfig {
                authorize_url: authorize_url.clone(),
                token_url: format!("{relay}/token"),
                client_id: client_id.clone(),
                client_secret: None,
                redirect_uri: format!("{relay}/callback"),
                return_url,
                relay: Some(relay.to_owned()),
                scope,
            },
            None => OAuthConfig {
                authorize_url: authorize_url.clone(),
                token_url: token_url.clone(),
                client_id: client_id.clone(),
                client_secret: client_secret.filter(|s| !s.is_empty()),
                redirect_uri: return_url.clone(),
                return_url,
                relay: None,
                scope,
            },
        })
    }

    /// The callback URL an administrator registers for this connection's OAuth client: the
    /// relay's `/callback`, or this browser's redirect URL with the connection's path.
    pub fn redirect_to_register(&self, browser_redirect: &str) -> Option<String> {
        self.oauth_config(browser_redirect, None).map(|c| c.redirect_uri)
    }

    /// The person's page in Greenhouse: app.greenhouse.io for Greenhouse's own API, otherwise the
    /// API's own origin (a private deployment or the sandbox serve `/people/{id}` there).
    pub fn person_link(&self, candidate_id: u64) -> String {
        format!("{}/people/{candidate_id}", self.app_origin())
    }

    /// Greenhouse's people search for `name`, where the recruiter checks by hand what the API
    /// cannot tell (a create whose answer was lost).
    pub fn search_link(&self, name: &str) -> String {
        let query: String = url::form_urlencoded::byte_serialize(name.trim().as_bytes()).collect();
        format!("{}/people?query={query}", self.app_origin())
    }

    fn app_origin(&self) -> String {
        url_parse::parse(&self.api_base_url)
            .ok()
            .filter(|u| u.host_str() != Some("api.greenhouse.io"))
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_else(|| "https://app.greenhouse.io".into())
    }

    /// The origin the API calls go to, and so the one a Partner API key or an access token is
    /// sent to; `None` when the URL does not parse.
    pub fn api_origin(&self) -> Option<String> {
        origin(&self.api_base_url)
    }

    /// The origin a client secret and refresh tokens are sent to: the relay when there is one
    /// (which then receives no client secret), else the token endpoint. `None` for a Partner-key
    /// connection or a URL that does not parse.
    pub fn token_origin(&self) -> Option<String> {
        let AuthSettings::Oauth { token_url, relay, .. } = &self.auth else {
            return None;
        };
        origin(relay_base(relay).unwrap_or(token_url))
    }

    /// Host permission patterns the background needs to reach this connection's servers
    /// (the API and the token endpoint; the authorize page opens in the browser's own window).
    /// Match patterns carry no port, so one pattern covers every port of a host.
    pub fn host_patterns(&self) -> Vec<String> {
        let mut urls = vec![self.api_base_url.as_str()];
        if let AuthSettings::Oauth { token_url, relay, .. } = &self.auth {
            match relay_base(relay) {
                Some(relay) => urls.push(relay),
                None => urls.push(token_url),
            }
        }
        let mut patterns: Vec<String> = urls
            .into_iter()
            .filter_map(|u| url_parse::parse(u).ok())
            .filter_map(|u| Some(format!("{}://{}/*", u.scheme(), u.host_str()?)))
            .collect();
        patterns.dedup();
        patterns
    }
}

/// The host permission patterns the connections `before` a change needed that none `after` it
/// needs, so they can be given back; never one of `required` (the manifest's own host
/// permissions, which cannot be removed and were granted for no connection in particular).
pub fn unused_host_patterns(before: &[Connection], after: &[Connection], required: &[String]) -> Vec<String> {
    let still_needed: Vec<String> = after.iter().flat_map(Connection::host_patterns).collect();
    let mut unused: Vec<String> = before
        .iter()
        .flat_map(Connection::host_patterns)
        .filter(|p| !still_needed.contains(p) && !required.contains(p))
        .collect();
    unused.sort();
    unused.dedup();
    unused
}

fn origin(url: &str) -> Option<String> {
    url_parse::parse(url.trim())
        .ok()
        .map(|u| u.origin())
        .filter(url::Origin::is_tuple)
        .map(|o| o.ascii_serialization())
}

/// The relay's base URL without a trailing slash, when one is named.
fn relay_base(relay: &Option<String>) -> Option<&str> {
    relay
        .as_deref()
        .map(|r| r.trim().trim_end_matches('/'))
        .filter(|r| !r.is_empty())
}

/// A server's address as the recruiter typed it: https, or plain http to the loopback sandbox.
fn server_url(value: &str, field: UrlField) -> Result<Url, ConnectionProblem> {
    web_url(value, Reach::Server).map_err(|refusal| match refusal {
        Refusal::NotAUrl => ConnectionProblem::NotUrl { field },
        _ => ConnectionProblem::NotHttps { field },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn person_links_point_at_greenhouse_or_the_apis_own_origin() {
        let mut c = Connection::greenhouse_oauth("Acme", "client");
        assert_eq!(c.person_link(42), "https://app.greenhouse.io/people/42");
        assert_eq!(
            c.search_link("Ada Lovelace"),
            "https://app.greenhouse.io/people?query=Ada+Lovelace"
        );
        c.api_base_url = "http://127.0.0.1:7300/v1/partner".into();
        assert_eq!(c.person_link(42), "http://127.0.0.1:7300/people/42");
    }

    fn sandbox() -> Connection {
        Connection {
            id: "c1".into(),
            caption: "Sandbox".into(),
            api_base_url: "http://127.0.0.1:7300/v1/partner".into(),
            dialect: Dialect::Greenhouse,
            auth: AuthSettings::Oauth {
                client_id: "sprout-extension".into(),
                authorize_url: "http://127.0.0.1:7300/oauth/authorize".into(),
                token_url: "http://127.0.0.1:7300/oauth/token".into(),
                scopes: String::new(),
                relay: None,
            },
            forget_on_close: false,
        }
    }

    #[test]
    fn settings_serialize_with_a_mode_tag() {
        let v = serde_json::to_value(sandbox()).unwrap();
        assert_eq!(v["auth"]["mode"], "oauth");
        assert_eq!(serde_json::from_value::<Connection>(v).unwrap(), sandbox());
        let key: Connection = serde_json::from_value(json!({
            "caption": "Acme", "api_base_url": GREENHOUSE_BASE_URL,
            "auth": {"mode": "partner_key", "on_behalf_of": "r@acme.com"}
        }))
        .unwrap();
        assert_eq!(key.id, "");
        assert!(key.validate().is_ok());
        // A secret never rides inside the settings.
        assert!(
            serde_json::from_value::<Connection>(json!({
                "caption": "Acme", "api_base_url": GREENHOUSE_BASE_URL,
                "auth": {"mode": "partner_key", "on_behalf_of": "r@acme.com", "api_key": "k"}
            }))
            .is_err()
        );
    }

    #[test]
    fn stored_auth_settings_read_as_main_wrote_them_in_any_key_order() {
        let oauth = json!({"mode": "oauth", "client_id": "sprout-extension",
            "authorize_url": "http://127.0.0.1:7300/oauth/authorize",
            "token_url": "http://127.0.0.1:7300/oauth/token", "scopes": "", "relay": null});
        let AuthSettings::Oauth { relay, scopes, .. } = &sandbox().auth else {
            unreachable!()
        };
        assert_eq!((relay, scopes.as_str()), (&None, ""));
        assert_eq!(serde_json::to_value(&sandbox().auth).unwrap(), oauth);
        assert_eq!(
            serde_json::from_value::<AuthSettings>(oauth).unwrap(),
            sandbox().auth
        );
        // Sorted by key, as a browser's storage may hand it back.
        let relayed = json!({"authorize_url": "https://a/", "client_id": "c", "mode": "oauth",
            "relay": "https://relay.example", "scopes": "candidates.write", "token_url": "https://t/"});
        assert_eq!(
            serde_json::from_value::<AuthSettings>(relayed).unwrap(),
            AuthSettings::Oauth {
                client_id: "c".into(),
                authorize_url: "https://a/".into(),
                token_url: "https://t/".into(),
                scopes: "candidates.write".into(),
                relay: Some("https://relay.example".into()),
            }
        );
        let key = json!({"mode": "partner_key", "on_behalf_of": "r@acme.com"});
        let read = serde_json::from_value::<AuthSettings>(key.clone()).unwrap();
        assert_eq!(serde_json::to_value(read).unwrap(), key);
        for bad in [
            json!({"mode": "partner_key", "on_behalf_of": "r@acme.com", "client_id": "c"}),
            json!({"mode": "oauth", "client_id": "c", "authorize_url": "https://a/", "token_url": "https://t/", "on_behalf_of": "r@acme.com"}),
            json!({"mode": "oauth", "client_id": "c", "authorize_url": "https://a/"}),
            json!({"mode": "partner_key"}),
            json!({"mode": "saml", "on_behalf_of": "r@acme.com"}),
        ] {
            assert!(
                serde_json::from_value::<AuthSettings>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn connections_saved_before_dialects_keep_the_seed_contract_and_new_ones_speak_greenhouse() {
        // As the previous version stored it: no dialect, no scopes.
        let stored = json!({
            "id": "c1", "caption": "Old", "api_base_url": "http://127.0.0.1:7300/v1/partner",
            "auth": {"mode": "oauth", "client_id": "sprout-extension",
                     "authorize_url": "http://127.0.0.1:7300/oauth/authorize",
                     "token_url": "http://127.0.0.1:7300/oauth/token"}
        });
        let old: Connection = serde_json::from_value(stored).unwrap();
        assert_eq!(old.dialect, Dialect::Seed);
        assert_eq!(old.oauth_config("https://x/", None).unwrap().scope, SCOPES);
        // Saved again, it says so explicitly.
        assert_eq!(serde_json::to_value(&old).unwrap()["dialect"], "seed");
        assert_eq!(
            Connection::greenhouse_oauth("New", "id").dialect,
            Dialect::Greenhouse
        );
        let mut bad = sandbox();
        bad.auth = AuthSettings::Oauth {
            client_id: "id".into(),
            authorize_url: GREENHOUSE_AUTHORIZE_URL.into(),
            token_url: GREENHOUSE_TOKEN_URL.into(),
            scopes: "jobs.view\nx".into(),
            relay: None,
        };
        assert!(bad.validate().is_err());
    }

    #[test]
    fn only_https_or_loopback_http_urls_are_accepted() {
        assert!(sandbox().validate().is_ok());
        let mut c = Connection::greenhouse_oauth("Acme", "id");
        assert!(c.validate().is_ok());
        for bad in [
            "javascript:alert(1)",
            "http://evil.example/v1",
            "file:///etc/passwd",
            "nope",
        ] {
            c.api_base_url = bad.into();
            assert!(c.validate().is_err(), "{bad}");
        }
        let mut c = sandbox();
        c.caption = "  ".into();
        assert_eq!(c.validate().unwrap_err(), ConnectionProblem::NoName);
        c.api_base_url = "nope".into();
        c.caption = "Sandbox".into();
        assert_eq!(
            c.validate().unwrap_err(),
            ConnectionProblem::NotUrl {
                field: UrlField::ApiBase
            }
        );
    }

    #[test]
    fn a_stored_connection_is_checked_again_before_use() {
        assert_eq!(sandbox().validate_stored(), Ok(()));
        // Written into storage.local by something other than the options page.
        let mut tampered = sandbox();
        tampered.api_base_url = "http://evil.example/v1/partner".into();
        assert!(tampered.validate_stored().is_err());
        let mut token = sandbox();
        if let AuthSettings::Oauth { token_url, .. } = &mut token.auth {
            *token_url = "javascript:alert(1)".into();
        }
        assert!(token.validate_stored().is_err());
        // Saved by a version that allowed a relay address with a query.
        let mut relay = relayed("https://relay.acme.com/?to=evil");
        relay.id = "c2".into();
        assert_eq!(
            relay.validate_stored().unwrap_err(),
            ConnectionProblem::RelayNotBare
        );
        let mut anonymous = sandbox();
        anonymous.id.clear();
        assert!(anonymous.validate().is_ok());
        assert!(
            anonymous.validate_stored().is_err(),
            "only a new connection has no id"
        );
    }

    #[test]
    fn host_permissions_no_connection_needs_any_more_are_given_back() {
        let required = vec![
            "https://api.greenhouse.io/*".to_owned(),
            "http://127.0.0.1/*".to_owned(),
        ];
        let greenhouse = Connection::greenhouse_oauth("Acme", "id");
        let private = |id: &str, host: &str| {
            let mut c = relayed(&format!("https://relay.{host}"));
            c.id = id.into();
            c.api_base_url = format!("https://api.{host}/v1/partner");
            c
        };
        let (a, b) = (private("a", "acme.com"), private("b", "globex.com"));
        let all = [greenhouse.clone(), a.clone(), b.clone()];
        // Removing a connection gives back its own origins, never the manifest's.
        assert_eq!(
            unused_host_patterns(&all, &[greenhouse.clone(), b.clone()], &required),
            ["https://api.acme.com/*", "https://relay.acme.com/*"]
        );
        assert_eq!(
            unused_host_patterns(&all, &[], &required),
            [
                "https://api.acme.com/*",
                "https://api.globex.com/*",
                "https://relay.acme.com/*",
                "https://relay.globex.com/*"
            ]
        );
        // An origin another connection still uses stays.
        let mut twin = a.clone();
        twin.id = "a2".into();
        assert!(unused_host_patterns(&[a.clone(), twin.clone()], &[twin], &required).is_empty());
        // Moving a connection gives back only the origin it left.
        let mut moved = a.clone();
        moved.api_base_url = "https://api.initech.com/v1/partner".into();
        assert_eq!(
            unused_host_patterns(std::slice::from_ref(&a), &[moved], &required),
            ["https://api.acme.com/*"]
        );
        let same = std::slice::from_ref(&a);
        assert!(unused_host_patterns(same, same, &required).is_empty());
        // The sandbox of a dev build is in the manifest: it stays too.
        assert!(unused_host_patterns(&[sandbox()], &[], &required).is_empty());
    }

    #[test]
    fn partner_key_needs_an_email() {
        let mut c = sandbox();
        for bad in ["", "recruiter", "a b@x.com", "r@localhost"] {
            c.auth = AuthSettings::PartnerKey {
                on_behalf_of: bad.into(),
            };
            assert!(c.validate().is_err(), "{bad}");
        }
        assert!(c.oauth_config("https://x/", None).is_none());
    }

    #[test]
    fn oauth_config_and_host_patterns_follow_the_settings() {
        let c = sandbox();
        let cfg = c
            .oauth_config("https://id.chromiumapp.org/", Some(String::new()))
            .unwrap();
        assert_eq!(cfg.token_url, "http://127.0.0.1:7300/oauth/token");
        assert_eq!(cfg.client_secret, None, "an empty secret is no secret");
        assert_eq!(cfg.scope, SCOPES, "no scopes given: the four Sprout needs");
        assert_eq!(c.host_patterns(), ["http://127.0.0.1/*"]);
        let mut relay = Connection::greenhouse_oauth("Acme", "id");
        relay.auth = AuthSettings::Oauth {
            client_id: "id".into(),
            authorize_url: GREENHOUSE_AUTHORIZE_URL.into(),
            token_url: "https://relay.acme.com/token".into(),
            scopes: "candidates.create  jobs.view".into(),
            relay: None,
        };
        let cfg = relay.oauth_config("https://id.chromiumapp.org/", None).unwrap();
        assert_eq!(cfg.scope, "candidates.create jobs.view", "edited scopes, tidied");
        assert_eq!(
            relay.host_patterns(),
            ["https://api.greenhouse.io/*", "https://relay.acme.com/*"]
        );
    }

    #[test]
    fn connections_saved_before_relays_read_without_relay_and_kept_sign_in() {
        // As the dialect version stored it: no relay, no forget_on_close.
        let stored = json!({
            "id": "c1", "caption": "Acme", "api_base_url": GREENHOUSE_BASE_URL, "dialect": "greenhouse",
            "auth": {"mode": "oauth", "client_id": "id", "authorize_url": GREENHOUSE_AUTHORIZE_URL,
                     "token_url": GREENHOUSE_TOKEN_URL, "scopes": SCOPES}
        });
        let old: Connection = serde_json::from_value(stored).unwrap();
        assert!(
            !old.forget_on_close,
            "a sign-in is kept unless the recruiter says otherwise"
        );
        assert!(matches!(&old.auth, AuthSettings::Oauth { relay: None, .. }));
        let round: Connection = serde_json::from_value(serde_json::to_value(&old).unwrap()).unwrap();
        assert_eq!(round, old);
        let key: Connection = serde_json::from_value(json!({
            "caption": "Acme", "api_base_url": GREENHOUSE_BASE_URL, "forget_on_close": true,
            "auth": {"mode": "partner_key", "on_behalf_of": "r@acme.com"}
        }))
        .unwrap();
        assert!(key.forget_on_close);
    }

    fn relayed(relay: &str) -> Connection {
        let mut c = Connection::greenhouse_oauth("Acme", "id");
        c.auth = AuthSettings::Oauth {
            client_id: "id".into(),
            authorize_url: GREENHOUSE_AUTHORIZE_URL.into(),
            token_url: GREENHOUSE_TOKEN_URL.into(),
            scopes: String::new(),
            relay: Some(relay.into()),
        };
        c
    }

    #[test]
    fn with_a_relay_the_relay_is_redirect_uri_and_token_url_and_no_secret_is_sent() {
        let browser = "https://abc.chromiumapp.org/";
        let path = oauth::redirect_path(GREENHOUSE_AUTHORIZE_URL);
        let c = relayed("https://relay.acme.com/sprout/");
        assert!(c.validate().is_ok());
        let cfg = c.oauth_config(browser, Some("s3cret".into())).unwrap();
        assert_eq!(cfg.redirect_uri, "https://relay.acme.com/sprout/callback");
        assert_eq!(cfg.token_url, "https://relay.acme.com/sprout/token");
        assert_eq!(cfg.client_secret, None, "the relay holds the secret");
        assert_eq!(cfg.relay.as_deref(), Some("https://relay.acme.com/sprout"));
        assert_eq!(cfg.return_url, format!("https://abc.chromiumapp.org/{path}"));
        assert_eq!(
            c.redirect_to_register(browser).as_deref(),
            Some("https://relay.acme.com/sprout/callback")
        );
        assert_eq!(
            c.host_patterns(),
            ["https://api.greenhouse.io/*", "https://relay.acme.com/*"],
            "the relay, not Greenhouse's token URL, is reached"
        );
        // Without a relay (or an empty one) the connection's own path is the redirect_uri.
        for none in [None, Some(String::from("  "))] {
            let mut direct = c.clone();
            if let AuthSettings::Oauth { relay, .. } = &mut direct.auth {
                *relay = none;
            }
            let cfg = direct.oauth_config(browser, Some("s3cret".into())).unwrap();
            assert_eq!(cfg.relay, None);
            assert_eq!(cfg.redirect_uri, cfg.return_url);
            assert_eq!(cfg.token_url, GREENHOUSE_TOKEN_URL);
            assert_eq!(cfg.client_secret.as_deref(), Some("s3cret"));
            assert_eq!(direct.redirect_to_register(browser), Some(cfg.return_url));
        }
        for bad in [
            "javascript:alert(1)",
            "http://relay.acme.com",
            "relay",
            "https://r.acme.com/?x=1",
        ] {
            assert!(relayed(bad).validate().is_err(), "{bad}");
        }
        assert!(relayed("http://127.0.0.1:7400").validate().is_ok());
    }

    #[test]
    fn two_connections_to_different_servers_come_back_on_different_paths() {
        let browser = "https://abc.chromiumapp.org/";
        let a = sandbox().oauth_config(browser, None).unwrap();
        let mut other = sandbox();
        if let AuthSettings::Oauth { authorize_url, .. } = &mut other.auth {
            *authorize_url = "http://127.0.0.1:9999/oauth/authorize".into();
        }
        let b = other.oauth_config(browser, None).unwrap();
        assert_ne!(a.return_url, b.return_url);
        let a_answer = format!("{}?code=c0de&state=s1", a.return_url);
        assert_eq!(oauth::finish(&a, &a_answer, "s1"), Ok("c0de".into()));
        assert_eq!(
            oauth::finish(&b, &a_answer, "s1"),
            Err(oauth::OAuthError::WrongRedirect),
            "b refuses a's answer even with b's own state"
        );
        assert!(sandbox().redirect_to_register("https://x/").is_some());
        let mut key = sandbox();
        key.auth = AuthSettings::PartnerKey {
            on_behalf_of: "r@acme.com".into(),
        };
        assert_eq!(key.redirect_to_register("https://x/"), None);
    }
}
