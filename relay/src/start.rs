//! `GET /start?to=URL`: sends the browser on to Greenhouse's authorize page, and only there.
//! Firefox's `identity.launchWebAuthFlow` opens no authorize URL whose `redirect_uri` is not the
//! extension's own redirect URL, so a relayed sign-in in Firefox opens this address instead (the
//! authorize URL rides inside `to`, where Firefox does not look).

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sprout::url_parse;
use url::Url;

use crate::server::Relay;

/// Far above any real authorize URL; caps the work a request can ask for.
const MAX_TO_LEN: usize = 8 * 1024;

/// The one `to` of a query; a repeated one counts as none.
fn to_of(query: Option<&str>) -> Option<String> {
    let mut found = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == "to")
        .map(|(_, v)| v.into_owned());
    let first = found.next();
    if found.next().is_some() { None } else { first }
}

/// Why `to` is not sent on, in words for the person who sees it.
fn check(authorize: Option<&Url>, to: Option<&str>) -> Result<Url, &'static str> {
    let authorize = authorize.ok_or("This relay has no --authorize-url, so it starts no sign-in.")?;
    let to = to.ok_or("The request names no authorize page (to=).")?;
    if to.len() > MAX_TO_LEN {
        return Err("The authorize address is too long.");
    }
    let url = url_parse::parse(to).map_err(|_| "The authorize address is not a URL.")?;
    // Compared as parsed, so that no spelling of another host, port or path slips through.
    let same = url.scheme() == authorize.scheme()
        && url.host() == authorize.host()
        && url.port_or_known_default() == authorize.port_or_known_default()
        && url.path() == authorize.path()
        && url.username().is_empty()
        && url.password().is_none()
        && url.fragment().is_none();
    if same {
        Ok(url)
    } else {
        Err("This relay starts sign-ins only on its own Greenhouse authorize page.")
    }
}

pub async fn start(State(relay): State<Arc<Relay>>, RawQuery(query): RawQuery) -> Response {
    let to = to_of(query.as_deref());
    match check(relay.settings.authorize_url.as_ref(), to.as_deref()) {
        Ok(url) => (
            StatusCode::FOUND,
            [
                (header::LOCATION, url.to_string()),
                (header::CACHE_CONTROL, "no-store".into()),
            ],
        )
            .into_response(),
        Err(why) => {
            tracing::info!(problem = why, "start refused");
            (
                StatusCode::BAD_REQUEST,
                [
                    (header::CACHE_CONTROL, "no-store"),
                    (header::CONTENT_SECURITY_POLICY, "default-src 'none'"),
                ],
                axum::response::Html(format!(
                    "<!doctype html><title>Sign-in not started</title><h1>Sign-in not started</h1><p>{why}</p>"
                )),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUTHORIZE: &str = "https://api.greenhouse.io/oauth/authorize";

    fn ok(to: &str) -> bool {
        check(Some(&url_parse::parse(AUTHORIZE).unwrap()), Some(to)).is_ok()
    }

    #[test]
    fn only_the_configured_authorize_page_is_started() {
        assert!(ok(&format!(
            "{AUTHORIZE}?client_id=ck&redirect_uri=https%3A%2F%2Frelay%2Fcallback&state=n.x"
        )));
        assert!(ok(AUTHORIZE));
        assert!(ok("https://api.greenhouse.io:443/oauth/authorize?x=1"));
        for bad in [
            "https://evil.example/oauth/authorize",
            "https://api.greenhouse.io.evil.example/oauth/authorize",
            "https://api.greenhouse.io/oauth/authorize/../../evil",
            "https://api.greenhouse.io/oauth/authorizex",
            "https://api.greenhouse.io/other",
            "http://api.greenhouse.io/oauth/authorize",
            "https://api.greenhouse.io:8443/oauth/authorize",
            "https://user@api.greenhouse.io/oauth/authorize",
            "https://api.greenhouse.io/oauth/authorize#x",
            "javascript:alert(1)",
            "//evil.example/oauth/authorize",
            "",
        ] {
            assert!(!ok(bad), "{bad}");
        }
        assert!(!ok(&format!("{AUTHORIZE}?{}", "a".repeat(MAX_TO_LEN))));
        assert!(check(None, Some(AUTHORIZE)).is_err(), "not configured");
        assert!(check(Some(&url_parse::parse(AUTHORIZE).unwrap()), None).is_err());
        assert_eq!(to_of(Some("to=a%26b")).as_deref(), Some("a&b"));
        assert_eq!(to_of(Some("to=a&to=b")), None, "a repeated to is refused");
        assert_eq!(to_of(None), None);
    }
}
