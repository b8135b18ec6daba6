//! URL hygiene: resolving against the page, canonical forms per site, tracking parameters, and the
//! profile URL that `external_id` is derived from.

use crate::address::{Reach, web_url};
use crate::url_parse;
use sha2::{Digest, Sha256};
use url::Url;

/// Longest URL kept; longer ones are almost always tracking blobs or data URIs.
pub const MAX_URL_CHARS: usize = 2048;

/// Query parameters that identify a click, not a page.
fn is_tracking_param(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.starts_with("utm_")
        || matches!(
            k.as_str(),
            "trk"
                | "trkinfo"
                | "lipi"
                | "licu"
                | "midtoken"
                | "midsig"
                | "trackingid"
                | "refid"
                | "original_referer"
                | "fbclid"
                | "gclid"
                | "msclkid"
                | "mc_cid"
                | "mc_eid"
                | "ref"
                | "ref_src"
                | "ref_url"
                | "src"
                | "s"
                | "t"
                | "si"
                | "igshid"
                | "_ga"
                | "tab"
                | "originalsubdomain"
                | "miniprofileurn"
                | "lang"
                | "hl"
        )
}

/// Resolves `href` against `base` and keeps it only if it is http(s) and of sane length.
pub fn resolve(base: Option<&Url>, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.len() > MAX_URL_CHARS {
        return None;
    }
    let url = match base {
        Some(b) => url_parse::join(b, href).ok()?,
        None => url_parse::parse(href).ok()?,
    };
    let web = matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty());
    web.then_some(url)
}

/// Generic canonical form: https, lower-case host without `m.`/`mobile.`, no default port, no
/// fragment, no tracking parameters, no trailing slash (except the root).
pub fn canonical(url: &Url) -> Url {
    let mut u = url.clone();
    if u.scheme() == "http" {
        let _ = u.set_scheme("https");
    }
    let _ = u.set_port(None);
    if let Some(host) = u.host_str() {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let host = host
            .strip_prefix("m.")
            .or_else(|| host.strip_prefix("mobile."))
            .filter(|rest| rest.contains('.'))
            .unwrap_or(&host)
            .to_string();
        let _ = u.set_host(Some(&host));
    }
    u.set_fragment(None);
    let kept: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| !is_tracking_param(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(kept);
    }
    let path = u.path().to_string();
    if path.len() > 1 && path.ends_with('/') {
        u.set_path(path.trim_end_matches('/'));
    }
    u
}

fn segments(url: &Url) -> Vec<String> {
    url.path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).map(str::to_string).collect())
        .unwrap_or_default()
}

/// The one URL for a person on a known site, whatever variant was visited; the generic canonical
/// form elsewhere. Examples: `http://uk.linkedin.com/in/Jane-Doe/details/?trk=x` and
/// `https://www.linkedin.com/in/jane-doe` both give `https://www.linkedin.com/in/jane-doe`.
pub fn canonical_profile_url(url: &Url) -> Url {
    let base = canonical(url);
    let host = base.host_str().unwrap_or("").to_string();
    let segs = segments(&base);
    let site = |h: &str, path: String| url_parse::parse(&format!("https://{h}/{path}")).ok();
    let first = segs.first().map(|s| s.to_lowercase());
    let found = match host.as_str() {
        h if h == "linkedin.com" || h.ends_with(".linkedin.com") => match (first.as_deref(), segs.get(1)) {
            (Some("in"), Some(slug)) => site("www.linkedin.com", format!("in/{}", slug.to_lowercase())),
            // A legacy address stays as written: "/pub/jane-doe/1a/2b3/4c5" is not "/in/jane-doe".
            (Some("pub"), Some(_)) => site("www.linkedin.com", segs.join("/")),
            _ => None,
        },
        "github.com" | "www.github.com" => first
            .filter(|_| segs.len() == 1)
            .map(|u| site("github.com", u))
            .unwrap_or(None),
        "twitter.com" | "www.twitter.com" | "x.com" | "www.x.com" => first
            .filter(|u| !matches!(u.as_str(), "i" | "home" | "search" | "intent" | "share"))
            .and_then(|u| site("x.com", u)),
        h if h == "stackoverflow.com" || h.ends_with(".stackexchange.com") => {
            match (first.as_deref(), segs.get(1)) {
                (Some("users"), Some(id)) if id.chars().all(|c| c.is_ascii_digit()) => {
                    site(h, format!("users/{id}"))
                }
                _ => None,
            }
        }
        "bsky.app" => match (first.as_deref(), segs.get(1)) {
            (Some("profile"), Some(handle)) => site("bsky.app", format!("profile/{}", handle.to_lowercase())),
            _ => None,
        },
        "xing.com" | "www.xing.com" => match (first.as_deref(), segs.get(1)) {
            (Some("profile"), Some(slug)) => site("www.xing.com", format!("profile/{slug}")),
            _ => None,
        },
        "wellfound.com" | "www.wellfound.com" | "angel.co" | "www.angel.co" => {
            match (first.as_deref(), segs.get(1)) {
                (Some("u"), Some(slug)) => site("wellfound.com", format!("u/{}", slug.to_lowercase())),
                _ => None,
            }
        }
        "dribbble.com" | "www.dribbble.com" => first.and_then(|u| site("dribbble.com", u)),
        "behance.net" | "www.behance.net" => first.and_then(|u| site("www.behance.net", u)),
        // Mastodon and other fediverse servers: https://host/@user (sub-pages like /with_replies dropped).
        _ => match first.as_deref() {
            Some(user) if user.starts_with('@') && user.len() > 1 => site(&host, user.to_string()),
            _ => None,
        },
    };
    let mut out = found.unwrap_or(base);
    if out.path() != "/" && out.path().ends_with('/') {
        let p = out.path().trim_end_matches('/').to_string();
        out.set_path(&p);
    }
    out
}

/// `sprout-` + the first 32 hex digits of SHA-256 over the canonical profile URL.
pub fn external_id_for(canonical_profile_url: &str) -> String {
    let digest = Sha256::digest(canonical_profile_url.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("sprout-{hex}")
}

/// A URL as shown to the recruiter and sent to Greenhouse: the canonical form, and a bare host
/// without its root slash.
pub fn display(url: &Url) -> String {
    let c = canonical(url);
    let s = c.to_string();
    if c.path() == "/" && c.query().is_none() {
        s.trim_end_matches('/').to_string()
    } else {
        s
    }
}

/// Whether a link on the page is the person's resume or CV, by its address (a document's
/// extension, or a path word such as `cv`, `resume` or `lebenslauf`), so the popup can offer it
/// as an attachment. Only addresses Greenhouse may fetch count (see [`Reach::Fetched`]).
pub fn is_resume_link(url: &str) -> bool {
    let Ok(url) = web_url(url, Reach::Fetched) else {
        return false;
    };
    let path = url.path().to_lowercase();
    [".pdf", ".doc", ".docx"].iter().any(|ext| path.ends_with(ext))
        || path
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| word == "cv" || word.contains("resume") || word.contains("lebenslauf"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpu(s: &str) -> String {
        canonical_profile_url(&url_parse::parse(s).unwrap()).to_string()
    }

    #[test]
    fn linkedin_variants_converge() {
        for v in [
            "https://www.linkedin.com/in/jane-doe-0a1b2c/",
            "http://uk.linkedin.com/in/Jane-Doe-0a1b2c?trk=public_profile&originalSubdomain=uk",
            "https://m.linkedin.com/in/jane-doe-0a1b2c/details/experience/#top",
        ] {
            assert_eq!(cpu(v), "https://www.linkedin.com/in/jane-doe-0a1b2c", "{v}");
        }
    }

    #[test]
    fn legacy_linkedin_addresses_are_not_rewritten() {
        assert_eq!(
            cpu("https://de.linkedin.com/pub/jane-doe/1a/2b3/4c5?trk=x"),
            "https://www.linkedin.com/pub/jane-doe/1a/2b3/4c5"
        );
    }

    #[test]
    fn other_sites_and_generic_pages() {
        assert_eq!(cpu("https://twitter.com/JaneDoe?s=20"), "https://x.com/janedoe");
        assert_eq!(
            cpu("https://mobile.twitter.com/janedoe/with_replies"),
            "https://x.com/janedoe"
        );
        assert_eq!(
            cpu("https://stackoverflow.com/users/123/jane-doe?tab=profile"),
            "https://stackoverflow.com/users/123"
        );
        assert_eq!(cpu("https://GitHub.com/JaneDoe/"), "https://github.com/janedoe");
        assert_eq!(
            cpu("https://angel.co/u/jane-doe"),
            "https://wellfound.com/u/jane-doe"
        );
        assert_eq!(
            cpu("https://mastodon.example/@jane/with_replies"),
            "https://mastodon.example/@jane"
        );
        assert_eq!(
            cpu("HTTP://Jane.Example.COM:80/about/?utm_source=x&page=2#bio"),
            "https://jane.example.com/about?page=2"
        );
    }

    #[test]
    fn only_http_urls_resolve() {
        let base = url_parse::parse("https://example.com/team/").unwrap();
        assert_eq!(
            resolve(Some(&base), "../jane").unwrap().as_str(),
            "https://example.com/jane"
        );
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "mailto:a@example.com",
            "",
        ] {
            assert!(resolve(Some(&base), bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn external_id_is_stable_and_shaped() {
        let a = external_id_for(&cpu("https://uk.linkedin.com/in/jane-doe/"));
        let b = external_id_for(&cpu("https://www.linkedin.com/in/Jane-Doe?trk=abc"));
        assert_eq!(a, b);
        assert!(a.starts_with("sprout-") && a.len() == 39);
        assert_ne!(a, external_id_for(&cpu("https://www.linkedin.com/in/john-doe")));
    }

    #[test]
    fn resume_links_are_recognised_by_path() {
        for yes in [
            "https://ada.example/files/ada.pdf",
            "https://ada.example/Ada-Resume",
            "https://ada.example/cv",
            "https://ada.example/docs/CV.docx?dl=1",
            "https://ada.example/lebenslauf-ada",
        ] {
            assert!(is_resume_link(yes), "{yes}");
        }
        for no in [
            "https://ada.example/",
            "https://cvs.example/about",
            "https://ada.example/cvs",
            "javascript:alert(1).pdf",
            "https://pdf.example/home",
        ] {
            assert!(!is_resume_link(no), "{no}");
        }
    }

    #[test]
    fn a_resume_link_greenhouse_may_not_fetch_is_not_offered() {
        for no in [
            "http://ada.example/cv.pdf",
            "https://10.1.2.3/cv.pdf",
            "https://[::1]/cv.pdf",
            "https://localhost/cv.pdf",
            "https://hr.localhost/cv.pdf",
            "https://intranet/cv.pdf",
        ] {
            assert!(!is_resume_link(no), "{no}");
        }
    }
}
