//! Small helpers over the parsed document shared by the layers: compiled selectors, readable text,
//! ancestry checks for "is this inside a sidebar or a comment".

use std::cell::OnceCell;

use scraper::{ElementRef, Html, Selector};
use url::Url;

use crate::extract::{text, urls};

/// A CSS selector compiled once per process. Panics only on a typo in a literal, which tests catch.
macro_rules! selector {
    ($css:expr) => {{
        static SEL: std::sync::LazyLock<scraper::Selector> =
            std::sync::LazyLock::new(|| scraper::Selector::parse($css).expect($css));
        &*SEL
    }};
}
pub(crate) use selector;

/// The parsed page and what every layer needs to know about it.
pub struct Page<'a> {
    pub doc: &'a Html,
    /// The page's own URL, when it was a usable http(s) URL.
    pub url: Option<Url>,
    /// What relative URLs resolve against: `<base href>` or the page URL.
    pub base: Option<Url>,
    /// False when the page's source holds no `typeof` at all, so the RDFa layer need not walk it.
    pub may_have_rdfa: bool,
    /// Every `<meta content>` as (property or name, element), in document order: the layers ask
    /// for a dozen keys, most of them absent, and each miss would otherwise walk the whole page.
    metas: OnceCell<Vec<(&'a str, ElementRef<'a>)>>,
    /// The first `<title>`'s text, asked for by several layers.
    title: OnceCell<Option<String>>,
}

impl<'a> Page<'a> {
    pub fn new(doc: &'a Html, url: Option<Url>) -> Self {
        let base = doc
            .select(selector!("base[href]"))
            .next()
            .and_then(|b| b.attr("href"))
            .and_then(|href| urls::resolve(url.as_ref(), href))
            .or_else(|| url.clone());
        Page {
            doc,
            url,
            base,
            may_have_rdfa: true,
            metas: OnceCell::new(),
            title: OnceCell::new(),
        }
    }

    pub fn resolve(&self, href: &str) -> Option<Url> {
        urls::resolve(self.base.as_ref(), href)
    }

    pub fn host(&self) -> &str {
        self.url.as_ref().and_then(|u| u.host_str()).unwrap_or("")
    }

    /// Content of the first `<meta property|name=key>`.
    pub fn meta(&self, key: &str) -> Option<String> {
        let doc: &'a Html = self.doc;
        self.metas
            .get_or_init(|| {
                doc.select(selector!("meta[content]"))
                    .filter_map(|m| Some((m.attr("property").or_else(|| m.attr("name"))?, m)))
                    .collect()
            })
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .and_then(|(_, m)| m.attr("content"))
            .and_then(text::clean)
    }

    pub fn title(&self) -> Option<String> {
        self.title
            .get_or_init(|| {
                self.doc
                    .select(selector!("title"))
                    .next()
                    .and_then(|t| text::clean(&raw_text(t, 4096)))
            })
            .clone()
    }

    pub fn first_text(&self, sel: &Selector) -> Option<String> {
        self.doc.select(sel).find_map(|e| text::clean(&raw_text(e, 4096)))
    }
}

/// The element's text, with `<br>`/block boundaries as spaces, `<img alt>` as its alt, scripts
/// and styles skipped, stopping after `max` bytes. Iterative, so deep nesting cannot overflow.
pub fn raw_text(el: ElementRef<'_>, max: usize) -> String {
    use ego_tree::iter::Edge;
    let mut out = String::new();
    let mut skip_depth = 0usize;
    for edge in el.traverse() {
        if out.len() >= max {
            break;
        }
        match edge {
            Edge::Open(node) => {
                if let Some(e) = node.value().as_element() {
                    let name = e.name();
                    if skip_depth > 0 || matches!(name, "script" | "style" | "template") {
                        skip_depth += 1;
                    } else if name == "img" {
                        out.push_str(e.attr("alt").unwrap_or(""));
                    } else if name == "br" {
                        out.push(' ');
                    }
                } else if let Some(t) = node.value().as_text()
                    && skip_depth == 0
                {
                    out.push_str(t);
                }
            }
            Edge::Close(node) => {
                if let Some(e) = node.value().as_element() {
                    if skip_depth > 0 {
                        skip_depth -= 1;
                    } else if matches!(
                        e.name(),
                        "p" | "div" | "li" | "br" | "h1" | "h2" | "h3" | "td" | "dd" | "dt"
                    ) {
                        out.push(' ');
                    }
                }
            }
        }
    }
    out
}

pub fn clean_text(el: ElementRef<'_>) -> Option<String> {
    text::clean(&raw_text(el, 4096))
}

/// Words in class or id names of regions that hold other people: sidebars, recommendations,
/// comments, the signed-in viewer's own navigation.
const OTHER_PEOPLE_MARKERS: &[&str] = &[
    "comment",
    "related",
    "also-viewed",
    "browsemap",
    "browse-map",
    "recommend",
    "people-also",
    "similar",
    "global-nav",
    "viewer",
    "pymk",
    "suggest",
    "reply",
    "replies",
    "byline",
    "author",
    "tweet",
    "usercell",
];

/// True when a lower-case class, id or test id holds one of `OTHER_PEOPLE_MARKERS`.
pub(crate) fn marks_other_people(lower: &str) -> bool {
    OTHER_PEOPLE_MARKERS.iter().any(|m| lower.contains(m))
}

/// True when `el` sits inside a region that is about somebody else (see `OTHER_PEOPLE_MARKERS`),
/// or inside `aside`/`nav`. ("sidebar" is no marker: GitHub's profile itself is `Layout-sidebar`.) Looks at most 64 ancestors up.
pub fn in_other_people_region(el: ElementRef<'_>) -> bool {
    el.ancestors().take(64).filter_map(ElementRef::wrap).any(|a| {
        let v = a.value();
        matches!(v.name(), "aside" | "nav")
            || [v.attr("class"), v.id(), v.attr("data-testid")]
                .into_iter()
                .flatten()
                .any(|s| marks_other_people(&s.to_ascii_lowercase()))
    })
}
