//! The one rule for a web address and the one rule for an email address, so the popup, the
//! outbox and the options page cannot disagree about what may leave the extension.

use url::{Host, Url};

use crate::url_parse;

/// Who goes to a web address, which decides how far it may point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// A person's link that the recruiter opens: any http(s) address with a host.
    Web,
    /// A server Sprout itself talks to: https, or plain http to this machine's loopback, where
    /// a development server (the sandbox, a relay under test) has no certificate.
    Server,
    /// An address a server fetches on Sprout's behalf (Greenhouse fetches a resume link itself):
    /// https to a public host name only, so a capture cannot aim that server at an IP address,
    /// at its own `localhost` or at a name its internal network resolves.
    Fetched,
}

/// Why an address was refused; callers say it in their own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotAUrl,
    /// `javascript:`, `data:`, `file:` and anything else that is not http(s).
    NotWeb,
    /// http where only https is taken.
    NotHttps,
    /// An IPv4 or IPv6 literal instead of a host name.
    IpAddress,
    /// `localhost` or a name under `.localhost` (RFC 6761 §6.3).
    Localhost,
    /// A name without a dot (`intranet`, `printer`), which only a local resolver answers.
    SingleLabel,
}

/// `value` as a URL when `reach` allows it.
pub fn web_url(value: &str, reach: Reach) -> Result<Url, Refusal> {
    let url = url_parse::parse(value.trim()).map_err(|_| Refusal::NotAUrl)?;
    let Some(host) = url.host() else {
        return Err(Refusal::NotWeb);
    };
    match (url.scheme(), reach) {
        ("https", _) | ("http", Reach::Web) => {}
        ("http", Reach::Server) if is_loopback(&host) => {}
        ("http", _) => return Err(Refusal::NotHttps),
        _ => return Err(Refusal::NotWeb),
    }
    if reach == Reach::Fetched {
        public_name(&host)?;
    }
    Ok(url)
}

/// The loopback names a local development server answers on; exactly these three, because the
/// development builds' host permission names them and nothing else on 127.0.0.0/8.
fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => *name == "localhost",
        Host::Ipv4(ip) => ip.octets() == [127, 0, 0, 1],
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}

fn public_name(host: &Host<&str>) -> Result<(), Refusal> {
    let Host::Domain(name) = host else {
        return Err(Refusal::IpAddress);
    };
    // A fully qualified name may end in a dot (`localhost.`); the rule reads the name without it.
    let name = name.strip_suffix('.').unwrap_or(name);
    if name == "localhost" || name.ends_with(".localhost") {
        Err(Refusal::Localhost)
    } else if !name.contains('.') {
        Err(Refusal::SingleLabel)
    } else {
        Ok(())
    }
}

/// Something@domain.tld without spaces. Greenhouse's exact rule is not published, so this only
/// refuses what cannot be an address; the server checks again.
pub fn plausible_email(value: &str) -> bool {
    let value = value.trim();
    value.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
    }) && !value.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_persons_link_may_be_any_http_or_https_address() {
        for ok in [
            "https://ada.example/",
            "http://ada.example/x",
            "http://10.0.0.1/",
            " https://intranet/ ",
        ] {
            assert!(web_url(ok, Reach::Web).is_ok(), "{ok}");
        }
        assert_eq!(web_url("javascript:alert(1)", Reach::Web), Err(Refusal::NotWeb));
        assert_eq!(web_url("data:text/html,hi", Reach::Web), Err(Refusal::NotWeb));
        assert_eq!(web_url("file:///etc/passwd", Reach::Web), Err(Refusal::NotWeb));
        assert_eq!(
            web_url("ftp://ada.example/cv.pdf", Reach::Web),
            Err(Refusal::NotWeb)
        );
        assert_eq!(web_url("cv.pdf", Reach::Web), Err(Refusal::NotAUrl));
    }

    #[test]
    fn a_server_is_https_or_plain_http_on_this_machines_loopback() {
        for ok in [
            "https://api.greenhouse.io/v1/partner",
            "http://127.0.0.1:7300/v1/partner",
            "http://localhost:7300/",
            "http://[::1]:7300/",
        ] {
            assert!(web_url(ok, Reach::Server).is_ok(), "{ok}");
        }
        for http in [
            "http://api.greenhouse.io/",
            "http://127.0.0.2/",
            "http://10.0.0.1/",
        ] {
            assert_eq!(web_url(http, Reach::Server), Err(Refusal::NotHttps), "{http}");
        }
        assert_eq!(web_url("not a url", Reach::Server), Err(Refusal::NotAUrl));
    }

    #[test]
    fn a_fetched_address_is_https_to_a_public_host_name() {
        assert!(web_url("https://ada.example/files/cv.pdf", Reach::Fetched).is_ok());
        assert!(web_url("https://ada.example./cv.pdf", Reach::Fetched).is_ok());
        assert_eq!(
            web_url("http://ada.example/cv.pdf", Reach::Fetched),
            Err(Refusal::NotHttps)
        );
        assert_eq!(
            web_url("http://127.0.0.1/cv.pdf", Reach::Fetched),
            Err(Refusal::NotHttps)
        );
        assert_eq!(
            web_url("javascript:alert(1)", Reach::Fetched),
            Err(Refusal::NotWeb)
        );
    }

    #[test]
    fn a_fetched_address_is_never_an_ip_literal() {
        for ip in [
            "https://127.0.0.1/cv.pdf",
            "https://169.254.169.254/latest/meta-data/",
            "https://10.0.0.7/cv.pdf",
            // Shorthand and integer forms are IPv4 too (the URL standard reads them as such).
            "https://2130706433/cv.pdf",
            "https://0x7f.1/cv.pdf",
            "https://[::1]/cv.pdf",
            "https://[fd00::1]:8443/cv.pdf",
            "https://[::ffff:10.0.0.1]/cv.pdf",
        ] {
            assert_eq!(web_url(ip, Reach::Fetched), Err(Refusal::IpAddress), "{ip}");
        }
    }

    #[test]
    fn a_fetched_address_is_never_localhost() {
        for local in [
            "https://localhost/cv.pdf",
            "https://LOCALHOST:8443/cv.pdf",
            "https://localhost./cv.pdf",
            "https://files.localhost/cv.pdf",
        ] {
            assert_eq!(web_url(local, Reach::Fetched), Err(Refusal::Localhost), "{local}");
        }
    }

    #[test]
    fn a_fetched_address_is_never_a_single_label_name() {
        for single in [
            "https://intranet/cv.pdf",
            "https://files./cv.pdf",
            "https://printer:631/",
        ] {
            assert_eq!(
                web_url(single, Reach::Fetched),
                Err(Refusal::SingleLabel),
                "{single}"
            );
        }
    }

    #[test]
    fn emails_need_someone_at_a_dotted_domain_and_no_spaces() {
        for ok in ["ada@example.org", " ada+sprout@mail.example.co.uk "] {
            assert!(plausible_email(ok), "{ok}");
        }
        for bad in [
            "nobody",
            "@example.org",
            "ada@localhost",
            "ada@.example",
            "ada@example.",
            "ada@ex@ample.org",
            "ada lovelace@example.org",
            "ada at example",
        ] {
            assert!(!plausible_email(bad), "{bad}");
        }
    }
}
