//! A cheap text-level pass before parsing: drops what can never name a person (scripts other than
//! JSON-LD, styles, SVG, templates, comments) so the expensive HTML parse sees less.
//!
//! It is a scan for a few tag names, not a parser: it may keep a little too much on odd markup, never
//! invents markup, and runs in one linear pass (a 50 MB page takes tens of milliseconds natively).

/// Elements dropped with their content, unless a kept script.
const DROPPED: [&str; 5] = ["script", "style", "svg", "template", "iframe"];

/// Returns `html` without the elements that cannot matter. See the module header.
pub fn prune_html(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() / 2);
    let mut copied = 0; // start of the not-yet-copied input
    let mut at = 0;
    while let Some(rel) = html[at..].find('<') {
        let lt = at + rel;
        at = lt + 1;
        if bytes[lt..].starts_with(b"<!--") {
            let end = html[lt + 4..].find("-->").map_or(html.len(), |e| lt + 4 + e + 3);
            out.push_str(&html[copied..lt]);
            copied = end;
            at = end;
            continue;
        }
        let Some(tag) = DROPPED
            .iter()
            .find(|t| starts_tag(&bytes[lt + 1..], t.as_bytes()))
        else {
            continue;
        };
        let open_end = html[lt..].find('>').map_or(html.len(), |e| lt + e + 1);
        if *tag == "script" && is_json_ld(&html[lt..open_end]) {
            at = open_end;
            continue;
        }
        let close = find_close(html, open_end, tag.as_bytes());
        out.push_str(&html[copied..lt]);
        copied = close;
        at = close;
    }
    out.push_str(&html[copied.min(html.len())..]);
    out
}

/// `<tag` followed by a delimiter, case-insensitively.
fn starts_tag(after_lt: &[u8], tag: &[u8]) -> bool {
    after_lt.len() > tag.len()
        && after_lt[..tag.len()].eq_ignore_ascii_case(tag)
        && matches!(
            after_lt[tag.len()],
            b' ' | b'>' | b'/' | b'\t' | b'\n' | b'\r' | b'\x0c'
        )
}

fn is_json_ld(open_tag: &str) -> bool {
    open_tag.to_ascii_lowercase().contains("ld+json")
}

/// Index just past `</tag ...>` after `from`, or the end of the input when it is never closed.
fn find_close(html: &str, from: usize, tag: &[u8]) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(rel) = html.get(at..).and_then(|s| s.find("</")) {
        let lt = at + rel;
        if starts_tag(&bytes[lt + 2..], tag) {
            return html[lt..].find('>').map_or(html.len(), |e| lt + e + 1);
        }
        at = lt + 2;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_json_ld_and_content_drops_the_rest() {
        let html = r#"<head><script>var a="<div>";</script><SCRIPT type="application/ld+json">{"@type":"Person"}</SCRIPT><style>p{}</style></head><body><!-- c --><svg><path/></svg><p>Jane</p><scripted>x</scripted></body>"#;
        assert_eq!(
            prune_html(html),
            r#"<head><SCRIPT type="application/ld+json">{"@type":"Person"}</SCRIPT></head><body><p>Jane</p><scripted>x</scripted></body>"#
        );
    }

    #[test]
    fn unclosed_elements_drop_to_the_end() {
        assert_eq!(prune_html("<p>a</p><script>never closed"), "<p>a</p>");
        assert_eq!(prune_html("<p>a<!-- open"), "<p>a");
        assert_eq!(prune_html("a < b <"), "a < b <");
    }
}
