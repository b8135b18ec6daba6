//! The allow-list of redirect targets (`--allow-redirect PREFIX`): the one decision that keeps the
//! relay from being an open redirector.
//!
//! A target is compared as a parsed URL, never as a string: same scheme (https only), same host and
//! port exactly, and a path that starts with the prefix's path at a segment boundary. On top of that
//! the target must already be in the canonical form the URL parser would give it, so that what is
//! checked is byte for byte what the browser is sent to (no dot segments, percent-encodings,
//! backslashes, case games or stripped whitespace that a parser could read differently).

use std::fmt;
use std::str::FromStr;

use sprout::url_parse;
use url::{Host, Url};

/// One `--allow-redirect` prefix, e.g. `https://<id>.chromiumapp.org/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix {
    url: Url,
}

impl FromStr for Prefix {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let url = url_parse::parse(s).map_err(|e| format!("{s:?} is not a URL ({e})"))?;
        if url.scheme() != "https" {
            return Err(format!(
                "{s:?} is not https: browsers' extension redirect URLs all are"
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!("{s:?} carries a user name or password"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!("{s:?} carries a query or fragment"));
        }
        if !matches!(url.host(), Some(Host::Domain(_))) {
            return Err(format!("{s:?} does not name its host by a domain name"));
        }
        Ok(Prefix { url })
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.url.as_str())
    }
}

impl Prefix {
    fn covers(&self, target: &Url) -> bool {
        if target.scheme() != self.url.scheme()
            || target.host_str() != self.url.host_str()
            || target.port_or_known_default() != self.url.port_or_known_default()
        {
            return false;
        }
        let (path, prefix) = (target.path(), self.url.path());
        if prefix.ends_with('/') {
            path.starts_with(prefix)
        } else {
            // "/c" covers "/c" and "/c/…", not "/cx".
            path == prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
        }
    }
}

/// Why a target was refused, in words for the error page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `%`, `\`, whitespace or control characters: never in a redirect URL Sprout makes.
    UnusualCharacters,
    NotUrl,
    NotHttps(String),
    Userinfo,
    QueryOrFragment,
    /// The URL parser would read it as this other URL.
    NotCanonical(String),
    NotAllowed,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::UnusualCharacters => f.write_str(
                "it contains %, \\, spaces or control characters, which Sprout's redirect URLs never do",
            ),
            Refusal::NotUrl => f.write_str("it is not an absolute URL"),
            Refusal::NotHttps(scheme) => write!(f, "its scheme is {scheme:?}, not https"),
            Refusal::Userinfo => f.write_str("it carries a user name or password"),
            Refusal::QueryOrFragment => f.write_str(
                "it carries a query or fragment (the relay adds the sign-in answer's parameters itself)",
            ),
            Refusal::NotCanonical(read_as) => write!(
                f,
                "it is not written the way a URL parser writes it (it would be read as {read_as})"
            ),
            Refusal::NotAllowed => f.write_str("it is not under any redirect URL this relay allows"),
        }
    }
}

impl Refusal {
    /// A short name for the log (no attacker-chosen text).
    pub fn kind(&self) -> &'static str {
        match self {
            Refusal::UnusualCharacters => "unusual_characters",
            Refusal::NotUrl => "not_url",
            Refusal::NotHttps(_) => "not_https",
            Refusal::Userinfo => "userinfo",
            Refusal::QueryOrFragment => "query_or_fragment",
            Refusal::NotCanonical(_) => "not_canonical",
            Refusal::NotAllowed => "not_allowed",
        }
    }
}

/// The prefixes given at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowList(pub Vec<Prefix>);

impl AllowList {
    /// The URL to redirect to, when `target` is safe and allowed.
    pub fn check(&self, target: &str) -> Result<Url, Refusal> {
        if target
            .chars()
            .any(|c| c == '%' || c == '\\' || c.is_whitespace() || c.is_control())
        {
            return Err(Refusal::UnusualCharacters);
        }
        let url = url_parse::parse(target).map_err(|_| Refusal::NotUrl)?;
        if url.scheme() != "https" {
            return Err(Refusal::NotHttps(url.scheme().to_owned()));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Refusal::Userinfo);
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Refusal::QueryOrFragment);
        }
        if url.as_str() != target {
            return Err(Refusal::NotCanonical(url.to_string()));
        }
        if !self.0.iter().any(|p| p.covers(&url)) {
            return Err(Refusal::NotAllowed);
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(prefixes: &[&str]) -> AllowList {
        AllowList(prefixes.iter().map(|p| p.parse().unwrap()).collect())
    }

    fn chrome_and_firefox() -> AllowList {
        list(&[
            "https://abcdefghijklmnop.chromiumapp.org/",
            "https://0a1b2c.extensions.allizom.org/c",
        ])
    }

    #[test]
    fn targets_under_a_prefix_pass_unchanged() {
        let allow = chrome_and_firefox();
        for ok in [
            "https://abcdefghijklmnop.chromiumapp.org/",
            "https://abcdefghijklmnop.chromiumapp.org/c/4f2a",
            "https://0a1b2c.extensions.allizom.org/c",
            "https://0a1b2c.extensions.allizom.org/c/4f2a",
            "https://0a1b2c.extensions.allizom.org/c/",
        ] {
            assert_eq!(allow.check(ok).map(String::from), Ok(ok.to_owned()), "{ok}");
        }
    }

    #[test]
    fn other_hosts_and_look_alikes_are_refused() {
        let allow = chrome_and_firefox();
        for bad in [
            "https://evil.example/",
            "https://abcdefghijklmnop.chromiumapp.org.evil.example/",
            "https://xabcdefghijklmnop.chromiumapp.org/",
            "https://abcdefghijklmnop.chromiumapp.org:8443/",
            "https://chromiumapp.org/",
            // Path prefix at a segment boundary only.
            "https://0a1b2c.extensions.allizom.org/cx",
            "https://0a1b2c.extensions.allizom.org/",
        ] {
            assert_eq!(allow.check(bad), Err(Refusal::NotAllowed), "{bad}");
        }
    }

    #[test]
    fn tricks_are_refused_before_any_comparison() {
        let allow = chrome_and_firefox();
        let refused = |t: &str| allow.check(t).unwrap_err();
        assert_eq!(
            refused("javascript:alert(1)"),
            Refusal::NotHttps("javascript".into())
        );
        assert_eq!(
            refused("data:text/html,<script>alert(1)</script>"),
            Refusal::NotHttps("data".into())
        );
        assert_eq!(
            refused("http://abcdefghijklmnop.chromiumapp.org/"),
            Refusal::NotHttps("http".into())
        );
        assert_eq!(
            refused("https://abcdefghijklmnop.chromiumapp.org@evil.example/"),
            Refusal::Userinfo
        );
        assert_eq!(
            refused("https://evil.example@abcdefghijklmnop.chromiumapp.org/"),
            Refusal::Userinfo
        );
        // Percent-encodings, backslashes and whitespace are parser-differential territory.
        for t in [
            "https://abcdefghijklmnop.chromiumapp.org%2F@evil.example/",
            "https://0a1b2c.extensions.allizom.org/c/%2e%2e/x",
            "https://abcdefghijklmnop.chromiumapp.org\\@evil.example/",
            "https://abcdefghijklmnop.chromiumapp.org/\t",
            "https://abcdefghijklmnop.chromiumapp.org/\n",
        ] {
            assert_eq!(refused(t), Refusal::UnusualCharacters, "{t:?}");
        }
        // Anything the parser would rewrite: dot segments, case, default port, missing slash.
        for t in [
            "https://0a1b2c.extensions.allizom.org/c/../x",
            "https://0a1b2c.extensions.allizom.org/x/../c",
            "https://ABCDEFGHIJKLMNOP.chromiumapp.org/",
            "https://abcdefghijklmnop.chromiumapp.org:443/",
            "https://abcdefghijklmnop.chromiumapp.org",
            "https:abcdefghijklmnop.chromiumapp.org/",
            "https://abcdefghijklmnop.chromiumapp.org/<script>",
        ] {
            assert!(matches!(refused(t), Refusal::NotCanonical(_)), "{t:?}");
        }
        assert_eq!(refused("//evil.example/"), Refusal::NotUrl);
        assert_eq!(refused("/c/relative"), Refusal::NotUrl);
        assert_eq!(refused(""), Refusal::NotUrl);
        assert_eq!(
            refused("https://abcdefghijklmnop.chromiumapp.org/?next=x"),
            Refusal::QueryOrFragment
        );
        assert_eq!(
            refused("https://abcdefghijklmnop.chromiumapp.org/#x"),
            Refusal::QueryOrFragment
        );
    }

    #[test]
    fn prefixes_are_checked_at_start() {
        assert!("https://abc.chromiumapp.org/".parse::<Prefix>().is_ok());
        for bad in [
            "abc.chromiumapp.org",
            "http://abc.chromiumapp.org/",
            "javascript:x",
            "https://u:p@abc.chromiumapp.org/",
            "https://abc.chromiumapp.org/?a=b",
            "https://127.0.0.1/",
        ] {
            assert!(bad.parse::<Prefix>().is_err(), "{bad}");
        }
    }
}
