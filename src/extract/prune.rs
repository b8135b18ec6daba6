//! A cheap text-level pass before parsing: drops what can never name a person (scripts other than
//! JSON-LD, styles, SVG, templates, `<code>` other than LinkedIn's profile data, comments) so the expensive HTML parse sees less, and flattens
//! absurd nesting so the parse stays linear.
//!
//! It is a scan for a few tag names, not a parser: it may keep a little too much on odd markup, never
//! invents markup, and runs in one linear pass (a 50 MB page takes tens of milliseconds natively).

/// Nesting beyond this is flattened (tags dropped, text kept), as Blink's parser does at 512:
/// html5ever checks scopes by walking the open-element stack, so 100,000 nested elements would
/// cost it minutes.
pub const MAX_DEPTH: usize = 512;

/// Elements that never nest in practice (their end tags are optional or they have none), by their
/// lower-case name. A `match`, not a list searched: this is asked of nearly every tag of the page.
fn uncounted(name: &[u8]) -> bool {
    let mut lower = [0u8; 8];
    let Some(lower) = lower.get_mut(..name.len()) else {
        return false;
    };
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    matches!(
        &*lower,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"option"
            | b"optgroup"
            | b"tr"
            | b"td"
            | b"th"
            | b"tbody"
            | b"thead"
            | b"tfoot"
            | b"colgroup"
    )
}

/// Approximate open-element depth, and how many start tags beyond `MAX_DEPTH` were dropped.
#[derive(Default)]
struct Depth {
    open: usize,
    dropped: usize,
}

impl Depth {
    /// For the tag at `lt`: `Some(end)` when the tag must be dropped (it ends at `end`).
    fn skip(&mut self, html: &str, lt: usize) -> Option<usize> {
        let bytes = html.as_bytes();
        let closing = bytes.get(lt + 1) == Some(&b'/');
        let name_start = (lt + 1 + usize::from(closing)).min(bytes.len());
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            return None;
        }
        let name = &bytes[name_start..name_start + name_len];
        if uncounted(name) {
            return None;
        }
        let end = html[lt..].find('>').map_or(html.len(), |e| lt + e + 1);
        if closing {
            if self.dropped > 0 {
                self.dropped -= 1;
                return Some(end);
            }
            self.open = self.open.saturating_sub(1);
            return None;
        }
        if bytes[..end].ends_with(b"/>") {
            return None;
        }
        if self.open >= MAX_DEPTH {
            self.dropped += 1;
            return Some(end);
        }
        self.open += 1;
        None
    }
}

/// Elements dropped with their content, unless a kept script.
/// `<code>` too: it never names a person, except LinkedIn's embedded app data, which is kept.
const DROPPED: [&str; 6] = ["script", "style", "svg", "template", "iframe", "code"];

/// The bytes a dropped name can start with, in either case, derived from [`DROPPED`]: a tag that
/// starts with any other needs no comparison, and nearly every tag of the page is asked.
const DROPPED_FIRST: [bool; 256] = {
    let mut first = [false; 256];
    let mut i = 0;
    while i < DROPPED.len() {
        let b = DROPPED[i].as_bytes()[0];
        first[b.to_ascii_lowercase() as usize] = true;
        first[b.to_ascii_uppercase() as usize] = true;
        i += 1;
    }
    first
};

/// Returns `html` without the elements that cannot matter. See the module header.
pub fn prune_html(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() / 2);
    let mut copied = 0; // start of the not-yet-copied input
    let mut at = 0;
    let mut depth = Depth::default();
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
        let Some(tag) = bytes
            .get(lt + 1)
            .is_some_and(|&b| DROPPED_FIRST[usize::from(b)])
            .then(|| {
                DROPPED
                    .iter()
                    .find(|t| starts_tag(&bytes[lt + 1..], t.as_bytes()))
            })
            .flatten()
        else {
            if let Some(end) = depth.skip(html, lt) {
                out.push_str(&html[copied..lt]);
                copied = end;
                at = end;
            }
            continue;
        };
        let open_end = html[lt..].find('>').map_or(html.len(), |e| lt + e + 1);
        if *tag == "script" && is_json_ld(&html[lt..open_end]) {
            at = open_end;
            continue;
        }
        let close = find_close(html, open_end, tag.as_bytes());
        if *tag == "code" && html[open_end..close].contains("publicIdentifier") {
            at = close;
            continue;
        }
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
    fn every_dropped_name_is_dropped_in_either_case() {
        for name in DROPPED {
            for name in [name.to_string(), name.to_ascii_uppercase()] {
                let html = format!("<p>a</p><{name} id=x>b</{name}><p>c</p>");
                assert_eq!(prune_html(&html), "<p>a</p><p>c</p>", "{html}");
            }
        }
    }

    #[test]
    fn unclosed_elements_drop_to_the_end() {
        assert_eq!(prune_html("<p>a</p><script>never closed"), "<p>a</p>");
        assert_eq!(prune_html("<p>a<!-- open"), "<p>a");
        assert_eq!(prune_html("a < b <"), "a < b <");
        let code = r#"<code id="a">{"x":1}</code><code id="b">{"publicIdentifier":"j"}</code>"#;
        assert_eq!(
            prune_html(code),
            r#"<code id="b">{"publicIdentifier":"j"}</code>"#
        );
    }

    #[test]
    fn nesting_beyond_the_limit_is_flattened_keeping_text() {
        let n = MAX_DEPTH + 10;
        let pruned = prune_html(&format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n)));
        assert_eq!(
            pruned,
            format!("{}x{}", "<div>".repeat(MAX_DEPTH), "</div>".repeat(MAX_DEPTH))
        );
        let list = "<ul>".to_string() + &"<li>item".repeat(2000) + "</ul><b>end</b>";
        assert_eq!(prune_html(&list), list);
    }
}
