//! RDFa Lite 1.1 (`vocab`, `typeof`, `property`, `resource`, `prefix`) and the few RDFa Core
//! attributes Lite pages mix in (`about`, `rel` with a CURIE): schema.org, FOAF and vCard people,
//! the way Drupal, WordPress themes and university pages mark them up.
//!
//! Only typed items matter here (a person is always a `typeof` item), so the layer starts from the
//! `[typeof]` elements instead of walking the whole document, and resolves each one's `vocab` and
//! `prefix` context from its ancestors.

use scraper::ElementRef;
use url::Url;

use crate::extract::dom::{self, Page, selector};
use crate::extract::{Basis, Found, Partial, Source, urls};
use crate::url_parse;

/// Typed items read per page; a page listing more is a directory.
const MAX_ITEMS: usize = 200;
/// Elements visited inside one item.
const MAX_ELEMENTS: usize = 5_000;

const SCHEMA: &str = "http://schema.org/";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";
const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
const DATA_VOCABULARY: &str = "http://rdf.data-vocabulary.org/#";

/// The RDFa 1.1 initial context's prefixes that name people, plus the ones pages use for them.
const INITIAL_PREFIXES: &[(&str, &str)] = &[
    ("schema", SCHEMA),
    ("foaf", FOAF),
    ("vcard", VCARD),
    ("v", DATA_VOCABULARY),
    ("dc", "http://purl.org/dc/terms/"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("og", "http://ogp.me/ns#"),
    ("rdfa", RDFA),
];

const RDFA: &str = "http://www.w3.org/ns/rdfa#";

/// What a typed item is, as far as a person extractor cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    Organisation,
    /// A page, article or post: its author is who the recruiter wants.
    Work,
    Other,
}

/// An RDFa property value: text, an IRI, or another item (by index).
#[derive(Debug, Clone)]
enum Value {
    Text(String),
    Iri(String),
    Item(usize),
}

#[derive(Debug)]
struct Item<'a> {
    el: ElementRef<'a>,
    kind: Kind,
    id: Option<String>,
    /// (expanded property IRI, value)
    props: Vec<(String, Value)>,
    /// Set when this item is another item's property value.
    owner: Option<(usize, String)>,
    /// An `rdfa:Pattern`: properties for other items to copy, no item of its own.
    pattern: bool,
}

/// `vocab` and `prefix` in force at `el`: the nearest `vocab`, and every `prefix` on the way up.
fn context(el: ElementRef<'_>) -> (Option<String>, Vec<(String, String)>) {
    let mut vocab = None;
    let mut prefixes = Vec::new();
    for a in std::iter::once(el).chain(el.ancestors().filter_map(ElementRef::wrap)) {
        if vocab.is_none()
            && let Some(v) = a.attr("vocab")
        {
            vocab = Some(v.trim().to_string()).filter(|v| !v.is_empty());
        }
        if let Some(p) = a.attr("prefix") {
            let words: Vec<&str> = p.split_whitespace().collect();
            for pair in words.chunks(2) {
                if let [name, iri] = pair
                    && let Some(name) = name.strip_suffix(':')
                {
                    // Nearer declarations come first and win.
                    prefixes.push((name.to_ascii_lowercase(), iri.to_string()));
                }
            }
        }
    }
    (vocab, prefixes)
}

struct Ctx {
    vocab: Option<String>,
    prefixes: Vec<(String, String)>,
}

impl Ctx {
    /// A term, CURIE or absolute IRI as an absolute IRI; `None` for what names nothing.
    fn expand(&self, word: &str) -> Option<String> {
        if let Some((prefix, rest)) = word.split_once(':') {
            if rest.starts_with("//") {
                return Some(word.to_string());
            }
            let lower = prefix.to_ascii_lowercase();
            let ns = self
                .prefixes
                .iter()
                .find(|(p, _)| *p == lower)
                .map(|(_, iri)| iri.as_str())
                .or_else(|| {
                    INITIAL_PREFIXES
                        .iter()
                        .find(|(p, _)| *p == lower)
                        .map(|(_, iri)| *iri)
                })?;
            return Some(format!("{ns}{rest}"));
        }
        self.vocab.as_ref().map(|v| format!("{v}{word}"))
    }
}

/// The local name of an IRI in one of the vocabularies that describe people (`http` or `https`,
/// with or without `www.`); `None` for other vocabularies.
fn local(iri: &str) -> Option<&str> {
    let bare = |s: &'static str| s.trim_start_matches("http://");
    let rest = iri
        .strip_prefix("https://")
        .or_else(|| iri.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    [SCHEMA, FOAF, VCARD, DATA_VOCABULARY]
        .into_iter()
        .find_map(|ns| rest.strip_prefix(bare(ns)))
}

fn kind_of(types: &[String]) -> Kind {
    let mut kind = Kind::Other;
    for t in types {
        match local(t) {
            Some("Person" | "Individual" | "VCard") => return Kind::Person,
            Some(
                "Organization"
                | "Corporation"
                | "MusicGroup"
                | "PerformingGroup"
                | "LocalBusiness"
                | "NGO"
                | "EducationalOrganization"
                | "GovernmentOrganization"
                | "SportsTeam"
                | "NewsMediaOrganization"
                | "Group"
                | "Organisation"
                | "Organization_",
            ) => kind = Kind::Organisation,
            Some(
                "Article" | "BlogPosting" | "NewsArticle" | "TechArticle" | "ScholarlyArticle"
                | "SocialMediaPosting" | "Blog" | "CreativeWork" | "Review" | "Book" | "Document",
            ) if kind == Kind::Other => kind = Kind::Work,
            _ => {}
        }
    }
    kind
}

/// A property's value under RDFa Lite rules: `content`, then `resource`/`href`/`src` (an IRI),
/// then `datetime`, then the text.
fn value(el: ElementRef<'_>, page: &Page) -> Value {
    if let Some(c) = el.attr("content") {
        return Value::Text(c.to_string());
    }
    for attr in ["resource", "href", "src"] {
        if let Some(h) = el.attr(attr) {
            let lower = h.trim().to_ascii_lowercase();
            if lower.starts_with("mailto:") || lower.starts_with("tel:") {
                return Value::Iri(h.trim().to_string());
            }
            if let Some(u) = page.resolve(h) {
                return Value::Iri(u.to_string());
            }
        }
    }
    if let Some(d) = el.attr("datetime") {
        return Value::Text(d.to_string());
    }
    Value::Text(dom::raw_text(el, 4096))
}

/// All typed items of the page with their properties; nested items are values of their owners.
fn items<'a>(page: &Page<'a>) -> Vec<Item<'a>> {
    let roots: Vec<ElementRef<'a>> = page.doc.select(selector!("[typeof]")).take(MAX_ITEMS).collect();
    let mut items: Vec<Item<'a>> = Vec::with_capacity(roots.len());
    for el in &roots {
        let (vocab, prefixes) = context(*el);
        let ctx = Ctx { vocab, prefixes };
        let types: Vec<String> = el
            .attr("typeof")
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|t| ctx.expand(t))
            .collect();
        let id = el
            .attr("resource")
            .or_else(|| el.attr("about"))
            .and_then(|r| page.resolve(r))
            .map(|u| u.to_string());
        let pattern = types.iter().any(|t| *t == format!("{RDFA}Pattern"));
        items.push(Item {
            el: *el,
            kind: if pattern { Kind::Other } else { kind_of(&types) },
            id,
            props: Vec::new(),
            owner: None,
            pattern,
        });
    }
    for i in 0..items.len() {
        let el = items[i].el;
        let (vocab, prefixes) = context(el);
        let ctx = Ctx { vocab, prefixes };
        // With `about`, the element's own `property` is the new subject's (RDFa Core); without,
        // it makes the new item the value of the enclosing item (RDFa Lite).
        if el.attr("about").is_some()
            && let Some(prop) = el.attr("property")
        {
            let v = el
                .attr("content")
                .map(str::to_string)
                .unwrap_or_else(|| dom::raw_text(el, 4096));
            for p in prop.split_whitespace().filter_map(|p| ctx.expand(p)) {
                items[i].props.push((p, Value::Text(v.clone())));
            }
        } else if let Some(prop) = el.attr("property").or_else(|| el.attr("rel"))
            && let Some(owner) = el
                .ancestors()
                .filter_map(ElementRef::wrap)
                .find(|a| a.attr("typeof").is_some())
                .and_then(|a| items.iter().position(|it| it.el == a))
        {
            for p in prop.split_whitespace().filter_map(|p| ctx.expand(p)) {
                items[owner].props.push((p.clone(), Value::Item(i)));
                items[i].owner.get_or_insert((owner, p));
            }
        }
        let mut stack: Vec<ElementRef<'_>> = el.child_elements().collect();
        stack.reverse();
        let mut visited = 0;
        while let Some(child) = stack.pop() {
            visited += 1;
            if visited > MAX_ELEMENTS {
                break;
            }
            if child.attr("typeof").is_some() {
                // A nested item: its properties are its own (it links itself to us above).
                continue;
            }
            let (vocab, prefixes) = context(child);
            let cctx = Ctx { vocab, prefixes };
            let props = child.attr("property").map(|p| (p, false)).or_else(|| {
                // `rel` only when it holds a CURIE: plain HTML rel values are not RDFa here.
                child
                    .attr("rel")
                    .filter(|r| r.split_whitespace().any(|w| w.contains(':')))
                    .map(|r| (r, true))
            });
            if let Some((names, is_rel)) = props {
                let v = value(child, page);
                for p in names
                    .split_whitespace()
                    .filter(|w| !is_rel || w.contains(':'))
                    .filter_map(|p| cctx.expand(p))
                {
                    items[i].props.push((p, v.clone()));
                }
            }
            let mut kids: Vec<ElementRef<'_>> = child.child_elements().collect();
            kids.reverse();
            stack.extend(kids);
        }
    }
    copy_patterns(&mut items);
    items
}

/// HTML+RDFa property copying: an item's `rdfa:copy` of an `rdfa:Pattern` takes the pattern's
/// properties (how Drupal repeats one author block across a page).
fn copy_patterns(items: &mut [Item<'_>]) {
    let copy = format!("{RDFA}copy");
    for i in 0..items.len() {
        let targets: Vec<String> = items[i]
            .props
            .iter()
            .filter(|(p, _)| *p == copy)
            .filter_map(|(_, v)| match v {
                Value::Iri(id) => Some(id.clone()),
                _ => None,
            })
            .collect();
        for t in targets {
            if let Some(j) = items
                .iter()
                .position(|it| it.id.as_deref() == Some(t.as_str()) && it.pattern)
            {
                let props = items[j].props.clone();
                items[i].props.extend(props);
            }
        }
    }
}

fn text_of(items: &[Item<'_>], v: &Value) -> Option<String> {
    match v {
        Value::Text(t) => Some(t.clone()),
        Value::Iri(i) => Some(i.clone()),
        Value::Item(i) => name_of(items, *i),
    }
}

fn name_of(items: &[Item<'_>], i: usize) -> Option<String> {
    items[i]
        .props
        .iter()
        .find(|(p, _)| matches!(local(p), Some("name" | "fn" | "legalName" | "organization-name")))
        .and_then(|(_, v)| text_of(items, v))
        .or_else(|| dom::clean_text(items[i].el))
}

/// The person item `i` as a partial.
fn person(items: &[Item<'_>], i: usize, page: &Page, confidence: f64) -> Partial {
    let mut p = Partial::new(Source::Rdfa, confidence);
    for (prop, v) in &items[i].props {
        let Some(name) = local(prop) else { continue };
        let text = || text_of(items, v);
        let url = || match v {
            Value::Iri(u) => page.resolve(u),
            Value::Text(t) => urls::resolve(page.base.as_ref(), t),
            Value::Item(j) => items[*j].id.as_deref().and_then(|u| page.resolve(u)),
        };
        match name {
            "name" | "fn" => p.name = p.name.take().or_else(text),
            "givenName" | "givenname" | "firstName" | "given-name" => p.given = p.given.take().or_else(text),
            "familyName" | "family_name" | "surname" | "lastName" | "family-name" => {
                p.family = p.family.take().or_else(text)
            }
            // foaf:title is an honorific ("Dr"), vCard's and schema.org's are the job.
            "jobTitle" | "role" => p.title = p.title.take().or_else(text),
            "title" if !prop.starts_with(FOAF) => p.title = p.title.take().or_else(text),
            "worksFor" | "affiliation" | "org" | "organization-name" => {
                p.company = p.company.take().or_else(text)
            }
            "address" | "homeLocation" | "adr" | "locality" | "based_near" => {
                let loc = match v {
                    Value::Item(j) => items[*j]
                        .props
                        .iter()
                        .find(|(p, _)| matches!(local(p), Some("addressLocality" | "locality")))
                        .and_then(|(_, v)| text_of(items, v))
                        .or_else(|| dom::clean_text(items[*j].el)),
                    other => text_of(items, other),
                };
                p.location = p.location.take().or(loc);
            }
            "email" | "mbox" | "hasEmail" => p.emails.extend(text().map(|e| (e, None))),
            "telephone" | "tel" | "phone" | "hasTelephone" => p.phones.extend(text().map(|t| (t, None))),
            "sameAs" => {
                let u = url();
                p.identity.extend(u.clone());
                p.links.extend(u);
            }
            "url" | "homepage" | "weblog" | "workplaceHomepage" | "account" | "hasURL"
            | "mainEntityOfPage" => p.links.extend(url()),
            _ => {}
        }
    }
    p
}

fn is_page(id: Option<&str>, page_url: Option<&Url>) -> bool {
    let (Some(id), Some(page_url)) = (id, page_url) else {
        return false;
    };
    let Ok(id) = url_parse::parse(id) else {
        return false;
    };
    urls::canonical_profile_url(&id) == urls::canonical_profile_url(page_url)
}

pub(crate) fn extract(page: &Page) -> Found {
    let mut found = Found::default();
    if !page.may_have_rdfa {
        return found;
    }
    let items = items(page);
    if items.is_empty() {
        return found;
    }
    let owner_local = |i: usize| {
        items[i]
            .owner
            .as_ref()
            .and_then(|(o, p)| local(p).map(|l| (*o, l.to_string())))
    };
    let mut subject = None;
    let mut top = Vec::new();
    for (i, it) in items.iter().enumerate() {
        if it.kind != Kind::Person {
            continue;
        }
        match owner_local(i) {
            Some((o, l)) if matches!(l.as_str(), "mainEntity" | "about") && items[o].kind != Kind::Work => {
                subject = subject.or(Some((i, 0.9)))
            }
            Some((o, l))
                if matches!(l.as_str(), "author" | "creator" | "maker") && items[o].kind != Kind::Person =>
            {
                let mut p = person(&items, i, page, 0.8);
                p.basis = Basis::AuthorOfPage;
                found.authors.push(p);
            }
            Some(_) => {
                let mut p = person(&items, i, page, 0.4);
                p.basis = Basis::Mentioned;
                found.others.push(p);
            }
            None if dom::in_other_people_region(it.el) => {
                let mut p = person(&items, i, page, 0.3);
                p.basis = Basis::Mentioned;
                found.others.push(p);
            }
            None => top.push(i),
        }
    }
    let page_url = page.url.as_ref();
    if subject.is_none() {
        subject = top
            .iter()
            .find(|i| {
                let id = items[**i].id.as_deref().map(|s| s.split('#').next().unwrap_or(s));
                is_page(id, page_url)
            })
            .map(|i| (*i, 0.9))
            .or(match top.as_slice() {
                [only] => Some((*only, 0.85)),
                _ => None,
            });
    }
    match subject {
        Some((i, confidence)) => {
            found.push(person(&items, i, page, confidence));
            for j in top.iter().filter(|j| **j != i) {
                let mut p = person(&items, *j, page, 0.4);
                p.basis = Basis::Mentioned;
                found.others.push(p);
            }
        }
        None if top.len() > 1 => {
            found.ambiguous = true;
            found.warnings.push(format!(
                "{} people marked up with RDFa and none is this page's subject",
                top.len()
            ));
            for j in &top {
                let mut p = person(&items, *j, page, 0.5);
                p.basis = Basis::Mentioned;
                found.others.push(p);
            }
        }
        None => {}
    }
    // An organisation described as the page's own subject, and no person: nobody to capture.
    if found.partials.is_empty()
        && items
            .iter()
            .any(|it| it.kind == Kind::Organisation && it.owner.is_none())
    {
        found.organisation = true;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn run(html: &str) -> Found {
        let doc = Html::parse_document(html);
        let page = Page::new(&doc, url_parse::parse("https://example.com/people/jane").ok());
        extract(&page)
    }

    #[test]
    fn schema_org_person_with_vocab_and_nested_address() {
        let f = run(r#"<div vocab="https://schema.org/" typeof="Person">
            <span property="name">Jane Doe</span>
            <span property="jobTitle">Professor</span>
            <div property="address" typeof="PostalAddress"><span property="addressLocality">Seattle</span></div>
            <a property="email" href="mailto:jane@example.org">jane@example.org</a>
            <a property="sameAs" href="https://www.linkedin.com/in/jane-doe">LinkedIn</a>
            <div property="worksFor" typeof="Organization"><span property="name">Acme</span></div>
        </div>"#);
        let p = &f.partials[0];
        assert_eq!(p.name.as_deref(), Some("Jane Doe"));
        assert_eq!(p.title.as_deref(), Some("Professor"));
        assert_eq!(p.location.as_deref(), Some("Seattle"));
        assert_eq!(p.company.as_deref(), Some("Acme"));
        assert_eq!(p.emails[0].0, "mailto:jane@example.org");
        assert_eq!(p.identity.len(), 1);
        assert!(!f.organisation);
    }

    #[test]
    fn foaf_with_prefix_and_content() {
        let f = run(
            r##"<div prefix="f: http://xmlns.com/foaf/0.1/" typeof="f:Person" about="#me">
            <span property="f:givenName">Ana</span> <span property="f:familyName" content="Lima">LIMA</span>
            <span property="f:title">Dr</span>
            <a rel="f:homepage" href="https://ana.example.net/">home</a></div>"##,
        );
        let p = &f.partials[0];
        assert_eq!(
            (p.given.as_deref(), p.family.as_deref()),
            (Some("Ana"), Some("Lima"))
        );
        assert_eq!(p.title, None);
        assert_eq!(p.links[0].as_str(), "https://ana.example.net/");
    }

    #[test]
    fn article_author_and_organisation_pages() {
        let f = run(r#"<article vocab="http://schema.org/" typeof="BlogPosting">
            <h1 property="headline">Hi</h1>
            <span property="author" typeof="Person"><span property="name">Wes Writer</span></span></article>"#);
        assert!(f.partials.is_empty());
        assert_eq!(f.authors[0].name.as_deref(), Some("Wes Writer"));
        let f = run(
            r#"<body vocab="http://schema.org/" typeof="Organization"><h1 property="name">Acme</h1></body>"#,
        );
        assert!(f.partials.is_empty() && f.organisation);
    }
}
