//! The extractor's second pre-pass, for the reader's page view only: drops every attribute and
//! class no layer reads before the parse. On an app's page (styling classes, `aria-*`, `data-*`)
//! that is most of the markup, so html5ever tokenizes and builds a tree of a third of it.
//!
//! It runs on what the browser's serializer wrote (`outerHTML`, and the reader's own tags written
//! as it writes them: [`crate::page_view`]), after [`super::prune_html`] and after the cut to
//! [`super::MAX_PARSE_BYTES`], so the reader's cut ([`crate::page_view::ENOUGH_UNITS`]) still
//! counts what the cut counts. That serializer writes every attribute as `name="value"` with `"`
//! escaped and escapes `<` in text, so tags are found by a scan; raw-text content is copied as it
//! is, and anything unexpected (a piece cut inside a tag, an unquoted value) is copied as it is to
//! the end. The tests hold the layers to [`READ_ATTRIBUTES`] and [`reads_class`], and the fixture,
//! microformats and RDFa suites check that a page's view, stripped, gives the page's Profile.

use rustc_hash::FxHashMap;

/// The attributes some layer reads (by name in an `attr` call or in a selector), and the few that
/// change how the parser builds the tree (`type` of an `<input>` in a table, `color`, `face` and
/// `size` of a `<font>` and `encoding` of an `<annotation-xml>` in MathML). Every other attribute
/// (`style`, `aria-*`, most `data-*`, ...) is dropped. The test `every_attribute_a_layer_reads_is_kept`
/// holds the layers to this list.
const READ_ATTRIBUTES: [&str; 33] = [
    "about",
    "alt",
    "class",
    "color",
    "content",
    "data",
    "data-section",
    "data-test",
    "data-test-selector",
    "data-testid",
    "data-tracking-control-name",
    "data-xds",
    "datetime",
    "encoding",
    "face",
    "href",
    "id",
    "itemprop",
    "itemscope",
    "itemtype",
    "name",
    "prefix",
    "property",
    "rel",
    "resource",
    "role",
    "size",
    "src",
    "title",
    "type",
    "typeof",
    "value",
    "vocab",
];

fn keeps_attribute(name: &str) -> bool {
    // Lengths first: an app's page is mostly `aria-*`, `data-*` and `style`, which few names share
    // a length with (a binary search compares every probe's bytes).
    READ_ATTRIBUTES
        .iter()
        .any(|a| a.len() == name.len() && a.as_bytes() == name.as_bytes())
}

/// The classes the layers' selectors name (`.name`), and the fragments their `[class*=...]`
/// selectors look for: kept in step with the selectors by this module's tests.
const SELECTOR_CLASSES: [&str; 63] = [
    "account__header__fields",
    "account__header__tabs__name",
    "author",
    "break-words",
    "byline",
    "date-range",
    "entry-author",
    "experience",
    "experience-item",
    "experience-item__duration",
    "experience-item__subtitle",
    "experience-item__title",
    "fs-headline2",
    "fs-title",
    "full-name",
    "h-card",
    "h-entry",
    "headline",
    "hentry",
    "inline",
    "item-subtitle",
    "item-title",
    "job-title",
    "masthead-profile-locality",
    "masthead-profile-name",
    "masthead-profile-specializations",
    "meta",
    "name",
    "p-author",
    "p-label",
    "p-org",
    "position",
    "post-author",
    "profile-info-section",
    "profile-masthead",
    "profile-overview",
    "profile-section-card__subtitle",
    "profile-section-card__title",
    "pv-top-card",
    "role",
    "social-links-list",
    "t-black--light",
    "text-body-medium",
    "text-body-small",
    "text-heading-xlarge",
    "title",
    "top-card-layout__first-subline",
    "top-card-layout__headline",
    "top-card-layout__title",
    "top-card-link--link",
    "top-card-link__description",
    "top-card__subline-item",
    "truncate",
    "type",
    "u-email",
    "u-url",
    "value",
    "vcard",
    "vcard-details",
    "vcard-fullname",
    "vcard-names",
    "vcard-username",
    "wmx2",
];
const CLASS_FRAGMENTS: [&str; 11] = [
    "byline",
    "name",
    "profilecard-line",
    "profilecard-location",
    "profilecard-occupation",
    "profilecard-userfullname",
    "profilecard-userlocation",
    "profilesociallinks",
    "role",
    "title",
    "userinfo-sociallinks",
];

/// True when some layer may read the class name `token`: microformats' names, the words that mark
/// another person's region or the site's own contact block, a class a selector names or one that
/// holds a fragment a `[class*=...]` selector looks for (compared without case, as quirks-mode
/// pages compare classes). [`strip`] leaves every other class out.
pub(crate) fn reads_class(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    super::hcard::reads_class(token)
        || super::dom::marks_other_people(&lower)
        || super::contacts::marks_site_contact(&lower)
        || SELECTOR_CLASSES.iter().any(|c| c.eq_ignore_ascii_case(token))
        || CLASS_FRAGMENTS.iter().any(|f| lower.contains(f))
}

/// Which class names are kept, each decided once per view: an app's page repeats a few hundred
/// names thousands of times, and [`reads_class`] compares each with every name and fragment the
/// layers read.
#[derive(Default)]
struct ReadClasses(FxHashMap<Box<str>, bool>);

impl ReadClasses {
    fn reads(&mut self, class: &str) -> bool {
        if let Some(read) = self.0.get(class) {
            return *read;
        }
        let read = reads_class(class);
        self.0.insert(class.into(), read);
        read
    }
}

/// Writes ` class="..."` with only the class names some layer may read (on an app's page, almost
/// none), then `_` when any was dropped, so that no layer comparing the whole attribute can find
/// what the page does not have; nothing when it keeps none (no layer asks whether there is one).
fn write_classes(out: &mut String, value: &str, classes: &mut ReadClasses) {
    let mark = out.len();
    out.push_str(" class=\"");
    let (mut kept, mut dropped) = (false, false);
    for class in value.split_ascii_whitespace() {
        if classes.reads(class) {
            if kept {
                out.push(' ');
            }
            out.push_str(class);
            kept = true;
        } else {
            dropped = true;
        }
    }
    if !dropped {
        // All kept: as it was, spaces and all.
        out.truncate(mark);
        out.push_str(" class=\"");
        out.push_str(value);
    } else if !kept {
        out.truncate(mark);
        return;
    } else {
        out.push_str(" _");
    }
    out.push('"');
}

/// Elements whose content the serializer writes as it is (raw text): what looks like a tag or a
/// comment in there is text, and is copied untouched.
const RAW_TEXT: [&str; 8] = [
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "script",
    "style",
    "xmp",
];

/// `html` (serialized as the module header says) without the attributes and classes no layer
/// reads, and without comments.
pub(crate) fn strip(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut classes = ReadClasses::default();
    let mut at = 0;
    while let Some(rel) = html[at..].find('<') {
        let lt = at + rel;
        out.push_str(&html[at..lt]);
        let rest = &html[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            at = comment.find("-->").map_or(html.len(), |end| lt + 4 + end + 3);
            continue;
        }
        let name_len = rest.as_bytes()[1..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
            .unwrap_or(rest.len() - 1);
        let name = &rest[1..1 + name_len];
        if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
            // An end tag, a doctype, a lone `<`: copied as they are.
            let end = if name.is_empty() || name.starts_with('!') {
                rest.find('>').map_or(html.len(), |e| lt + e + 1)
            } else {
                lt + 1
            };
            out.push_str(&html[lt..end]);
            at = end;
            continue;
        }
        let mark = out.len();
        match start_tag(&mut out, rest, name_len, &mut classes) {
            Some(len) => at = lt + len,
            None => {
                out.truncate(mark);
                out.push_str(rest);
                return out;
            }
        }
        if RAW_TEXT.iter().any(|r| r.eq_ignore_ascii_case(name)) {
            let close = find_end_tag(&html[at..], name).map_or(html.len(), |e| at + e);
            out.push_str(&html[at..close]);
            at = close;
        }
    }
    out.push_str(&html[at..]);
    out
}

/// Writes the start tag at the start of `tag` (its name `name_len` bytes long) with only the kept
/// attributes, and returns its length; `None` (what it wrote is then dropped by the caller) when
/// it is not a whole serialized tag.
fn start_tag(out: &mut String, tag: &str, name_len: usize, classes: &mut ReadClasses) -> Option<usize> {
    out.push_str(&tag[..1 + name_len]);
    let mut at = 1 + name_len;
    loop {
        let b = *tag.as_bytes().get(at)?;
        if b == b'>' {
            out.push('>');
            return Some(at + 1);
        }
        if b == b'/' && tag.as_bytes().get(at + 1) == Some(&b'>') {
            out.push('/');
        }
        if b.is_ascii_whitespace() || b == b'/' {
            at += 1;
            continue;
        }
        let name_end = at
            + tag.as_bytes()[at..]
                .iter()
                .position(|b| *b == b'=' || *b == b'>' || b.is_ascii_whitespace() || *b == b'/')?;
        let attr_end = if tag[name_end..].starts_with("=\"") {
            name_end + 2 + tag[name_end + 2..].find('"')? + 1
        } else if tag[name_end..].starts_with('=') {
            return None;
        } else {
            name_end
        };
        let attr = &tag[at..name_end];
        if attr == "class" && attr_end > name_end {
            // The serializer's escaping leaves class names' spaces and letters as they are.
            write_classes(out, &tag[name_end + 2..attr_end - 1], classes);
        } else if keeps_attribute(attr) {
            out.push(' ');
            out.push_str(&tag[at..attr_end]);
        }
        at = attr_end;
    }
}

/// Where `</name` starts in `html`, case-insensitively.
fn find_end_tag(html: &str, name: &str) -> Option<usize> {
    let mut at = 0;
    while let Some(rel) = html[at..].find("</") {
        let lt = at + rel;
        let after = &html.as_bytes()[lt + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return Some(lt);
        }
        at = lt + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(value: &str) -> Option<String> {
        let mut out = String::new();
        write_classes(&mut out, value, &mut ReadClasses::default());
        let value = out.strip_prefix(" class=\"")?.strip_suffix('"')?;
        Some(value.to_owned())
    }

    #[test]
    fn the_attributes_a_layer_reads_are_kept_and_the_rest_dropped() {
        // Kept: what layers read (microformats classes, microdata, RDFa, links, ids, test ids).
        let read = r#"<div class="h-card" id="me" itemscope="" itemtype="https://schema.org/Person" vocab="https://schema.org/" typeof="Person"><a class="u-url" rel="me" href="/" title="t" data-testid="UserUrl"><img alt="Jane" src="j.png"></a><time datetime="2020">x</time><meta property="og:title" name="n" content="c"></div>"#;
        assert_eq!(strip(read), read);
        // Dropped: styling, accessibility and app state no layer reads.
        assert_eq!(
            strip(
                r#"<li class="vcard" style="width: 10px" aria-hidden="true" data-view-component="true" tabindex="0" data-date="2026-01-01"><span aria-label="x" hidden="">Post</span><br/></li>"#
            ),
            r#"<li class="vcard"><span>Post</span><br/></li>"#
        );
        // What the parser reads to build the tree stays: a hidden input in a table, a MathML break-out.
        let parser = r#"<table><input type="hidden" name="x" autocomplete="off"></table><math><font color="red" face="f" size="2" dir="rtl"></font><annotation-xml encoding="text/html" definitionURL="u"></annotation-xml></math>"#;
        assert_eq!(
            strip(parser),
            r#"<table><input type="hidden" name="x"></table><math><font color="red" face="f" size="2"></font><annotation-xml encoding="text/html"></annotation-xml></math>"#
        );
    }

    #[test]
    fn the_classes_a_layer_reads_are_kept_and_the_rest_dropped() {
        // Microformats, selectors' classes and fragments, other people's and the site's regions.
        for read in [
            "h-card",
            "p-name",
            "u-email",
            "dt-start",
            "e-content",
            "vcard",
            "fn",
            "given-name",
            "value",
            "text-heading-xlarge",
            "PV-TOP-CARD",
            "ProfileCard-userFullName-x1",
            "user-name",
            "comments-list",
            "site-footer",
            "contentinfo",
        ] {
            assert_eq!(kept(read).as_deref(), Some(read), "{read}");
        }
        // App classes no layer reads go; a `_` says some went.
        assert_eq!(
            kept("display-flex h-card  artdeco-card").as_deref(),
            Some("h-card _")
        );
        assert_eq!(kept("display-flex artdeco-card"), None);
        assert_eq!(kept(" contentinfo  ").as_deref(), Some(" contentinfo  "));
        // A whole-attribute comparison cannot newly hold: "contentinfo" alone is still not there.
        assert_eq!(kept("contentinfo pt-2").as_deref(), Some("contentinfo _"));
        assert_eq!(
            strip(
                r#"<li class="artdeco-list__item pvs-list__item"><div class="display-flex h-card"><span class="t-bold">Post</span></div></li>"#
            ),
            r#"<li><div class="h-card _"><span>Post</span></div></li>"#
        );
        // Decided once per name.
        let mut classes = ReadClasses::default();
        let mut out = String::new();
        write_classes(&mut out, "flex vcard", &mut classes);
        write_classes(&mut out, "vcard flex", &mut classes);
        assert_eq!(classes.0.len(), 2);
        assert_eq!(out, r#" class="vcard _" class="vcard _""#);
    }

    #[test]
    fn comments_go_and_raw_text_and_odd_tags_stay_as_they_are() {
        assert_eq!(
            strip("<!DOCTYPE html><p>a<!-- <b style=\"x\"> -->b</p><!---->"),
            "<!DOCTYPE html><p>ab</p>"
        );
        // Script and noscript content is text: a tag in a JSON-LD string is not a tag.
        let raw = r#"<script type="application/ld+json">{"description": "<b style=\"x\">hi</b> <!-- c -->"}</script><noscript><img style="x" src="y"></noscript><p style="x">t</p>"#;
        assert_eq!(
            strip(raw),
            r#"<script type="application/ld+json">{"description": "<b style=\"x\">hi</b> <!-- c -->"}</script><noscript><img style="x" src="y"></noscript><p>t</p>"#
        );
        // A piece cut inside a tag, or written otherwise than the serializer writes, stays as it is.
        assert_eq!(
            strip(r#"<p style="x">a</p><a href="/x" sty"#),
            r#"<p>a</p><a href="/x" sty"#
        );
        assert_eq!(
            strip(r#"<p style="x">a</p><a href=x style="y">"#),
            r#"<p>a</p><a href=x style="y">"#
        );
        assert_eq!(strip(r#"<a title="1 > 0" style="y">x"#), r#"<a title="1 > 0">x"#);
        assert_eq!(strip("a <3 b<?x?><i style=\"s\">é</i>"), "a <3 b<?x?><i>é</i>");
        assert_eq!(strip("<"), "<");
    }

    /// Every attribute named in `src/extract` (in an `attr` call, or as `[name` in a `selector!`),
    /// and every class a selector names or looks for a fragment of, so that a layer that starts
    /// reading one that is dropped fails here.
    #[test]
    fn every_attribute_and_class_a_layer_reads_is_kept() {
        fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        let mut files = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/extract"),
            &mut files,
        );
        let name = |s: &str| -> String {
            s.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect()
        };
        let mut named = std::collections::BTreeSet::new();
        for file in &files {
            for (i, _) in file.match_indices("attr(\"") {
                named.insert(name(&file[i + 6..]));
            }
            // Every selector is compiled by `selector!` (a call ends at the first `)`: selectors
            // have none).
            for (at, _) in file.match_indices("selector!(") {
                let call = &file[at..at + file[at..].find(')').unwrap()];
                for (i, _) in call.match_indices('[') {
                    named.insert(name(&call[i + 1..]).to_ascii_lowercase());
                }
                for (i, _) in call.match_indices('.') {
                    let class: String = name(&call[i + 1..]);
                    assert!(
                        class.is_empty() || reads_class(&class),
                        "the class {class} of {call} is dropped"
                    );
                }
                for (i, _) in call.match_indices("[class") {
                    let rest = &call[i + 6..];
                    if let Some(fragment) = rest.strip_prefix("*=") {
                        let fragment = &fragment[..fragment.find(']').unwrap()];
                        assert!(
                            reads_class(&format!("x-{fragment}-y")),
                            "classes holding {fragment} are dropped"
                        );
                    } else {
                        assert!(
                            rest.starts_with(']'),
                            "{call}: only [class] and [class*=...] keep working once stripped"
                        );
                    }
                }
            }
        }
        assert!(
            named.len() > 20 && named.contains("data-xds") && named.contains("itemprop"),
            "{named:?}"
        );
        let missing: Vec<_> = named.iter().filter(|a| !keeps_attribute(a)).collect();
        assert!(missing.is_empty(), "read by a layer but dropped: {missing:?}");
        let mut sorted = READ_ATTRIBUTES;
        sorted.sort_unstable();
        assert_eq!(
            sorted, READ_ATTRIBUTES,
            "kept sorted: keeps_attribute searches it"
        );
    }
}
