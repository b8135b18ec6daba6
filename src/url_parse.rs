//! The one way Sprout parses a URL from outside text: an internationalized host is first turned
//! into its ASCII (punycode) form by a full WHATWG host parser, so the url crate, built without
//! Unicode tables (the `idna_adapter` pin in Cargo.toml), only ever reads ASCII hosts.

use std::borrow::Cow;
use std::sync::OnceLock;
use url::{ParseError, Url};

/// WHATWG's host parser for one special-scheme host as written (Unicode, upper-case, percent-
/// encoded): its ASCII serialization, or `None` when it is no valid host.
pub type HostToAscii = fn(&str) -> Option<String>;

static HOST_TO_ASCII: OnceLock<HostToAscii> = OnceLock::new();

/// Sets the host parser: each wasm crate gives the browser's `URL` when it starts. Natively the
/// default is the `idna` crate; in a wasm without one, internationalized hosts are refused.
pub fn use_host_to_ascii(parser: HostToAscii) {
    let _ = HOST_TO_ASCII.set(parser);
}

/// `Url::parse`, with the same answers as the url crate with its Unicode back end.
#[allow(clippy::disallowed_methods)]
pub fn parse(input: &str) -> Result<Url, ParseError> {
    Url::parse(&ascii_host(input, None)?)
}

/// `base.join(input)`, likewise.
#[allow(clippy::disallowed_methods)]
pub fn join(base: &Url, input: &str) -> Result<Url, ParseError> {
    base.join(&ascii_host(input, Some(base))?)
}

/// `input` as the url crate reads it, with a host that needs IDNA replaced by its ASCII form.
fn ascii_host<'a>(input: &'a str, base: Option<&Url>) -> Result<Cow<'a, str>, ParseError> {
    // The url crate ignores these too (WHATWG: leading and trailing C0 controls and spaces, any
    // tab or newline), so the host is found where it will look for it.
    let trimmed = input.trim_matches(|c| c <= ' ');
    let text: Cow<str> = if trimmed.contains(['\t', '\n', '\r']) {
        trimmed.replace(['\t', '\n', '\r'], "").into()
    } else {
        trimmed.into()
    };
    if !needs_idna(&text) {
        return Ok(text);
    }
    let Some((start, end)) = host_span(&text, base) else {
        return Ok(text);
    };
    let host = &text[start..end];
    // A forbidden character fails the url crate's own parse, with or without IDNA; and kept out
    // of the host parser, "http://" + host + "/" cannot read as anything but that host.
    if !needs_idna(host) || host.contains(FORBIDDEN_HOST) {
        return Ok(text);
    }
    let parser = HOST_TO_ASCII.get().copied().unwrap_or(default_host_to_ascii);
    let ascii = parser(host)
        .filter(|a| a.is_ascii() && !a.contains(FORBIDDEN_HOST))
        .ok_or(ParseError::IdnaError)?;
    Ok(format!("{}{ascii}{}", &text[..start], &text[end..]).into())
}

/// Whether a host in `text` may read differently with Unicode tables than without: non-ASCII,
/// percent-encoded (decoded before IDNA) or punycode (checked by it).
fn needs_idna(text: &str) -> bool {
    !text.is_ascii()
        || text.contains('%')
        || text
            .as_bytes()
            .windows(4)
            .any(|w| w.eq_ignore_ascii_case(b"xn--"))
}

/// WHATWG's forbidden host code points (the ones '%'-decoding cannot bring in are checked later).
const FORBIDDEN_HOST: [char; 16] = [
    '\0', '\t', '\n', '\r', ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^',
];

/// Where the url crate will read a special scheme's domain in `text` (byte offsets), following
/// WHATWG's URL parser states; `None` for an opaque host, an IPv6 literal or no host at all.
fn host_span(text: &str, base: Option<&Url>) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let is_slash = |b: &u8| *b == b'/' || *b == b'\\';
    let written = scheme_end(bytes);
    let (scheme, after) = match written {
        Some(colon) => (&text[..colon], colon + 1),
        None => (base?.scheme(), 0),
    };
    let is = |name: &str| scheme.eq_ignore_ascii_case(name);
    let same_as_base = base.is_some_and(|b| is(b.scheme()));
    let slashes = bytes[after..].iter().take_while(|b| is_slash(b)).count();
    let (start, authority) = if is("file") && slashes >= 2 {
        // file: exactly two slashes open the host, which has no credentials or port.
        (after + 2, false)
    } else if ["http", "https", "ws", "wss", "ftp"].into_iter().any(is)
        // Relative to a base of the same scheme, two slashes open the authority; written with
        // its scheme otherwise, any number does ("http:host").
        && (slashes >= 2 || (written.is_some() && !same_as_base))
    {
        (after + slashes, true)
    } else {
        return None;
    };
    let end = bytes[start..]
        .iter()
        .position(|b| b"/\\?#".contains(b))
        .map_or(bytes.len(), |i| start + i);
    // Credentials end at the authority's last '@'.
    let start = match bytes[start..end].iter().rposition(|b| *b == b'@') {
        Some(at) if authority => start + at + 1,
        _ => start,
    };
    if bytes.get(start) == Some(&b'[') {
        return None;
    }
    let end = match bytes[start..end].iter().position(|b| *b == b':') {
        Some(colon) if authority => start + colon,
        _ => end,
    };
    Some((start, end))
}

/// The index of the ':' ending a written scheme (ASCII letter, then letters, digits, '+', '-', '.').
fn scheme_end(bytes: &[u8]) -> Option<usize> {
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    let len = bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || b"+-.".contains(b))
        .count();
    (bytes.get(len) == Some(&b':')).then_some(len)
}

/// WHATWG's "domain to ASCII" (UTS 46, nontransitional, hyphens not checked, no STD3 rules),
/// after the percent-decoding the host parser does first. One difference from the url crate's
/// ICU4X back end and the browsers: idna 0.5 does not check where a zero width joiner or
/// non-joiner stands (CheckJoiners), so natively `a\u{200d}b.de` passes; the wasm, which ships,
/// asks the browser.
#[cfg(not(target_arch = "wasm32"))]
fn default_host_to_ascii(host: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(host).decode_utf8().ok()?;
    // UTS 46 since 15.1 (and browsers): a punycode label must decode to something non-ASCII;
    // idna before 1.0 let "xn--example-" stand for "example" (RUSTSEC-2024-0421).
    let masked = decoded
        .to_lowercase()
        .split('.')
        .filter_map(|l| l.strip_prefix("xn--"))
        .any(|encoded| {
            idna_uts46::punycode::decode_to_string(encoded).is_none_or(|unicode| unicode.is_ascii())
        });
    let ascii = idna_uts46::domain_to_ascii(&decoded).ok()?;
    (!masked).then_some(ascii)
}

#[cfg(target_arch = "wasm32")]
fn default_host_to_ascii(_host: &str) -> Option<String> {
    None
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;

    /// The url crate's answers with its ICU4X back end (url 2.5.8, idna_adapter 1.2.2), recorded
    /// before the pin: `None` where it refused.
    const ANSWERS: &[(&str, Option<&str>)] = &[
        ("https://bücher.de/x", Some("https://xn--bcher-kva.de/x")),
        ("https://BÜCHER.DE/x", Some("https://xn--bcher-kva.de/x")),
        ("HTTPS://BÜCHER.de/", Some("https://xn--bcher-kva.de/")),
        ("https://bücher.de./x", Some("https://xn--bcher-kva.de./x")),
        ("https://例え.jp/", Some("https://xn--r8jz45g.jp/")),
        ("https://straße.de/", Some("https://xn--strae-oqa.de/")),
        ("https://💩.la/", Some("https://xn--ls8h.la/")),
        ("https://ü/", Some("https://xn--tda/")),
        ("https://-bücher.de/", Some("https://xn---bcher-4ya.de/")),
        ("https://ا1.com/", Some("https://xn--1-ymc.com/")),
        (
            "http://user:pw@bücher.de:8080/p?q=ü#f",
            Some("http://user:pw@xn--bcher-kva.de:8080/p?q=%C3%BC#f"),
        ),
        ("https://@bücher.de/", Some("https://xn--bcher-kva.de/")),
        ("https://a@b@bücher.de/", Some("https://a%40b@xn--bcher-kva.de/")),
        (
            "https://bücher.de@evil.com/",
            Some("https://b%C3%BCcher.de@evil.com/"),
        ),
        ("https://b%C3%BCcher.de/", Some("https://xn--bcher-kva.de/")),
        ("https://ex%61mple.com/", Some("https://example.com/")),
        ("https://xn--bcher-kva.de/", Some("https://xn--bcher-kva.de/")),
        ("https://XN--BCHER-KVA.DE/", Some("https://xn--bcher-kva.de/")),
        ("https://xn--ls8h.la/", Some("https://xn--ls8h.la/")),
        ("https://xn--kda.de/", Some("https://xn--kda.de/")),
        ("https://ＥＸＡＭＰＬＥ.com/", Some("https://example.com/")),
        ("https://１２７.０.０.１/", Some("https://127.0.0.1/")),
        ("https://127.0.0.1/", Some("https://127.0.0.1/")),
        ("https://0x7f.1/", Some("https://127.0.0.1/")),
        ("https://[::1]:8080/", Some("https://[::1]:8080/")),
        ("https://[0:0::1]/", Some("https://[::1]/")),
        ("https://localhost/", Some("https://localhost/")),
        ("https://intranet/", Some("https://intranet/")),
        ("https://EXAMPLE.com/", Some("https://example.com/")),
        ("https://example.com./", Some("https://example.com./")),
        ("https://ab--c.de/", Some("https://ab--c.de/")),
        ("http:bücher.de/x", Some("http://xn--bcher-kva.de/x")),
        ("http:\\\\bücher.de\\x", Some("http://xn--bcher-kva.de/x")),
        ("https:///bücher.de/x", Some("https://xn--bcher-kva.de/x")),
        ("  https://bücher.de/  ", Some("https://xn--bcher-kva.de/")),
        ("https://bü\tcher.de/", Some("https://xn--bcher-kva.de/")),
        ("ftp://bücher.de/", Some("ftp://xn--bcher-kva.de/")),
        ("ws://bücher.de/", Some("ws://xn--bcher-kva.de/")),
        ("file://bücher.de/x", Some("file://xn--bcher-kva.de/x")),
        ("file:///home/ü", Some("file:///home/%C3%BC")),
        ("foo://bücher.de/x", Some("foo://b%C3%BCcher.de/x")),
        ("mailto:jane@bücher.de", Some("mailto:jane@b%C3%BCcher.de")),
        (
            "https://example.com/ü?q=ü",
            Some("https://example.com/%C3%BC?q=%C3%BC"),
        ),
        ("https://example.com/%C3%BC", Some("https://example.com/%C3%BC")),
        ("https://xn--example-.com/", None),
        ("https://xn--a.com/", None),
        ("https://xn--zz.com/", None),
        ("https://[ü]/", None),
        ("https://a b.de/", None),
        ("https://bü cher.de/", None),
        ("https://bü<cher.de/", None),
        ("https://bücher.de:99999/", None),
        ("https://a\u{5d0}.com/", None),
        ("https://%/", None),
        ("https://b%FCcher.de/", None),
        ("https://a.b%2Fc.de/", None),
        ("bücher.de", None),
    ];

    /// The same, joined to `https://example.com/team/`.
    const JOINED: &[(&str, &str)] = &[
        ("//bücher.de/x", "https://xn--bcher-kva.de/x"),
        ("\\\\bücher.de/x", "https://xn--bcher-kva.de/x"),
        ("https://bücher.de/x", "https://xn--bcher-kva.de/x"),
        ("http:bücher.de/x", "http://xn--bcher-kva.de/x"),
        ("https:bücher.de/x", "https://example.com/team/b%C3%BCcher.de/x"),
        ("https:/bücher.de/x", "https://example.com/b%C3%BCcher.de/x"),
        ("/pfad/ü", "https://example.com/pfad/%C3%BC"),
        ("ü", "https://example.com/team/%C3%BC"),
        ("?q=xn--a", "https://example.com/team/?q=xn--a"),
    ];

    #[test]
    fn parses_as_the_url_crate_did_with_its_unicode_back_end() {
        for (input, expected) in ANSWERS {
            let got = parse(input).ok();
            assert_eq!(got.as_ref().map(Url::as_str), *expected, "{input:?}");
        }
    }

    #[test]
    fn joins_as_the_url_crate_did_with_its_unicode_back_end() {
        let base = Url::parse("https://example.com/team/").unwrap();
        for (input, expected) in JOINED {
            assert_eq!(join(&base, input).unwrap().as_str(), *expected, "{input:?}");
        }
        let file = Url::parse("file:///home/x").unwrap();
        assert_eq!(
            join(&file, "//bücher.de/x").unwrap().as_str(),
            "file://xn--bcher-kva.de/x"
        );
    }

    #[test]
    fn the_url_crate_alone_refuses_what_needs_idna() {
        // What the pin in Cargo.toml does, and so why every parse goes through here.
        assert_eq!(Url::parse("https://bücher.de/"), Err(ParseError::IdnaError));
        // It reads punycode it has no tables to check: a zero width joiner with nothing before it.
        assert!(Url::parse("https://xn--ab-m1t.de/").is_ok());
    }
}
