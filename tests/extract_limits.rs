//! Pathological inputs: deep nesting, huge pages, thousands of contact links, invalid UTF-8 and
//! binary data. No panic, no stack overflow, bounded time, and a clear result.

#[path = "extract_support/linkedin_page.rs"]
mod linkedin_page;

use std::time::{Duration, Instant};

use linkedin_page::{URL, linkedin_page};
use sprout::extract::{self, InputError, MAX_INPUT_BYTES};
use sprout::page_read::{MAX_HTML_UNITS, MAX_URL_UNITS};

/// Generous: these run unoptimised on a shared 2-core machine; a hang or a quadratic walk is minutes.
const BOUND: Duration = Duration::from_secs(30);

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    println!("{what}: {took:?}");
    assert!(took < BOUND, "{what} took {took:?}");
    out
}

#[test]
fn hundred_thousand_nested_elements() {
    let depth = 100_000;
    for (url, open, close) in [
        ("https://jane.example.com/", "<div class=\"h-card\">", "</div>"),
        ("https://x.com/jane", "<span>", "</span>"),
        ("https://www.linkedin.com/in/jane", "<div>", "</div>"),
    ] {
        let mut html = String::from("<html><body><main>");
        html.push_str(&open.repeat(depth));
        html.push_str("<span class=\"p-name\">Jane Deep</span><a href=\"mailto:jane@example.com\">mail</a>");
        html.push_str(&close.repeat(depth));
        html.push_str("</main></body></html>");
        let profile = timed(&format!("100k nested {open} at {url}"), || {
            extract::extract(&html, url)
        });
        let json = serde_json::to_string(&profile).unwrap();
        assert!(!json.is_empty());
    }
}

#[test]
fn twenty_megabyte_page_is_cut_with_a_warning_and_still_read() {
    let html = linkedin_page(20 * 1024 * 1024);
    let profile = timed("20 MB LinkedIn-shaped page", || extract::extract(&html, URL));
    // The pre-pass drops scripts, styles and icons, so the subject survives the parse cap.
    let c = profile.to_candidate();
    assert_eq!(
        (c.first_name.as_str(), c.last_name.as_str()),
        ("Zanele", "Mokoena")
    );
    assert!(
        profile.warnings.iter().any(|w| w.contains("only the start")),
        "{:?}",
        profile.warnings
    );
}

#[test]
fn input_beyond_the_hard_cap_is_ignored_not_read() {
    let mut html = String::from("<title>Jane Cap - Engineer - Acme | LinkedIn</title>");
    html.push_str(&"<p>filler</p>".repeat((MAX_INPUT_BYTES + 1024 * 1024) / 13));
    let profile = timed("70 MB page", || {
        extract::extract_bytes(html.as_bytes(), "https://www.linkedin.com/in/jane-cap")
    })
    .unwrap();
    assert_eq!(profile.to_candidate().first_name, "Jane");
    assert!(
        profile
            .warnings
            .iter()
            .any(|w| w.contains(&MAX_INPUT_BYTES.to_string())),
        "{:?}",
        profile.warnings
    );
}

/// What the content script copies of a page, its first `units` UTF-16 code units, as JS slices it.
fn copied(s: &str, units: u32) -> String {
    String::from_utf16_lossy(&s.encode_utf16().take(units as usize).collect::<Vec<_>>())
}

#[test]
fn the_content_scripts_copy_of_a_huge_page_reads_as_the_whole_page() {
    // The extractor looks at the first MAX_INPUT_BYTES bytes, the character after them and whether
    // there are more: a copy that agrees on all three reads exactly as the whole page, warning
    // included. One-byte characters are the tight case (a unit is a byte); two-byte ones the usual.
    for filler in ["<p>filler</p>", "<p>filler é</p>"] {
        let mut html = String::from("<title>Jane Cap - Engineer - Acme | LinkedIn</title>");
        html.push_str(&filler.repeat(MAX_HTML_UNITS as usize / filler.chars().count() + 1024));
        let copy = copied(&html, MAX_HTML_UNITS);
        assert!(copy.len() < html.len(), "{filler}: the copy is cut");
        assert!(
            copy.len() > MAX_INPUT_BYTES,
            "{filler}: the extractor still warns"
        );
        assert_eq!(
            copy.as_bytes()[..=MAX_INPUT_BYTES],
            html.as_bytes()[..=MAX_INPUT_BYTES],
            "{filler}: and reads the same bytes"
        );
    }
}

#[test]
fn a_page_address_too_long_to_keep_stays_too_long_once_copied() {
    let url = format!(
        "https://jane.example.com/?q={}",
        "x".repeat(MAX_URL_UNITS as usize * 4)
    );
    let html = "<div class=h-card><a class=\"p-name u-url\" href=\"/\">Jane Doe</a></div>";
    let whole = extract::extract(html, &url);
    let read = extract::extract(html, &copied(&url, MAX_URL_UNITS));
    assert_eq!(read, whole);
    // Refused as a base, so the relative link identifies nobody rather than a shortened address.
    assert_eq!(read.external_id, "");
}

#[test]
fn ten_thousand_mailto_links_are_not_anyones() {
    let mut html = String::from("<html><body><h1>Directory</h1><ul>");
    for i in 0..10_000 {
        html.push_str(&format!("<li><a href=\"mailto:person{i}@example.com\">person {i}</a> <a href=\"tel:+1555010{i:04}\">call</a></li>"));
    }
    html.push_str("</ul></body></html>");
    let profile = timed("10,000 mailto links", || {
        extract::extract(&html, "https://directory.example.org/all")
    });
    assert!(profile.emails.is_empty() && profile.phones.is_empty());
    assert!(profile.warnings.iter().any(|w| w.contains("many contact links")));
}

#[test]
fn invalid_utf8_is_replaced_not_fatal() {
    let mut bytes =
        b"<html><head><title>Jos\xe9 Garc\xeda - Chef - Caf\xe9 Sol | LinkedIn</title></head><body>".to_vec();
    bytes.extend_from_slice(b"\xff\xfe\xc3\x28 \xf0\x28\x8c\xbc </body></html>");
    let profile = extract::extract_bytes(&bytes, "https://www.linkedin.com/in/jose-garcia").unwrap();
    let c = profile.to_candidate();
    assert_eq!(c.first_name, "Jos\u{fffd}");
    assert_eq!(c.title.as_deref(), Some("Chef"));
}

#[test]
fn binary_and_empty_inputs_are_refused_clearly() {
    let png = [
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R', 0, 0, 1, 0,
    ];
    assert_eq!(
        extract::extract_bytes(&png, "https://example.com/a.png"),
        Err(InputError::Binary)
    );
    assert_eq!(
        extract::extract_bytes(b"", "https://example.com/"),
        Err(InputError::Empty)
    );
    assert_eq!(
        extract::extract_bytes(b" \n\t ", "https://example.com/"),
        Err(InputError::Empty)
    );
    assert!(InputError::Binary.to_string().contains("not an HTML page"));
}

#[test]
fn garbage_urls_give_no_id_and_no_panic() {
    for url in [
        "",
        "not a url",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://",
        "http://[::1",
    ] {
        let p = extract::extract("<title>Jane Doe | LinkedIn</title>", url);
        assert_eq!(p.external_id, "", "{url}");
        assert!(p.links.is_empty());
    }
}
