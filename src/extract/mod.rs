//! Page HTML + URL -> Profile (value, source and confidence per field) -> PartnerCandidate.
//!
//! Layers, most trustworthy first, each producing [`Partial`] observations about the page's subject
//! and the other people it saw: JSON-LD, microdata and RDFa Lite (`jsonld`, `microdata`, `rdfa`),
//! microformats h-card and `rel="me"` (`hcard`), OpenGraph/profile meta and `mailto:`/`tel:` links
//! (`meta`), and site adapters (`adapters`). `merge` keeps, per field, the most confident value and
//! records its source; `contacts` decides whose an address is.
//!
//! Subject selection: each layer only reports the person the page is *about*: JSON-LD
//! `ProfilePage.mainEntity`, the representative h-card, a top-level Person whose URL is the page,
//! or the only one; people in sidebars ("people also viewed"), comments and the signed-in viewer's
//! navigation are skipped. Then, in order: an error page or a sign-in wall names nobody (`nobody`);
//! on an article or post that is not the page owner's own profile, its author is the subject and
//! the co-authors come first among the others (`authors`); an organisation's page (or a page that
//! only calls itself a profile) names nobody; with no name from any layer, a person block is looked
//! for in the unmarked text (`shape`), a guess whose values are all flagged unsure. Every person
//! not taken is offered in [`Profile::others`], ranked, each with its basis and sources; why nobody
//! was named, or what to check, is in [`Profile::reasons`].
//!
//! **external_id rule**: `sprout-` followed by the first 32 hex digits (128 bits) of SHA-256 over
//! the UTF-8 bytes of the canonical profile URL ([`canonical_profile_url`]). The canonical URL is:
//! https, lower-case host without `m.`/`mobile.`, no port, fragment or tracking parameters, no
//! trailing slash; on known sites the person's one URL (`https://www.linkedin.com/in/<slug>` for
//! any LinkedIn country host or sub-page, `https://github.com/<user>`, `https://x.com/<handle>` for
//! twitter.com too, `https://stackoverflow.com/users/<id>`, `https://bsky.app/profile/<handle>`,
//! `https://<server>/@<user>`, ...; a legacy `linkedin.com/pub/...` address stays as written). On
//! other pages (personal sites, team pages, articles) it is, in order: the subject's own LinkedIn
//! profile when the page declares it theirs (`rel=me`, `sameAs`; never a link merely found on the
//! page), so a person's homepage and their LinkedIn page give the same id; for an article's author,
//! the author page the article declares (`rel=author`, the author record's `url`, `sameAs`); the
//! page URL *with* its fragment when the fragment picked
//! the person out of a team page (`/team#jane`); the page's `<link rel="canonical">` when it is on
//! the same host; else the page URL. The id depends on nothing else (no device, time or
//! install), so every visit to the same person through any URL variant gives the same id. The
//! others offered get their declared address, else the page URL with their name as the fragment.
//!
//! Cost: one linear pre-pass ([`prune_html`]), one parse, selectors compiled once. Inputs beyond
//! [`MAX_INPUT_BYTES`] are cut, and what reaches the parser is capped at [`MAX_PARSE_BYTES`]; both
//! leave a warning in the profile.

pub(crate) mod adapters;
mod authors;
mod contacts;
mod dom;
mod hcard;
mod jsonld;
mod merge;
mod meta;
mod microdata;
pub mod names;
mod nobody;
mod profile;
mod prune;
mod rdfa;
mod shape;
mod strip;
pub mod text;
pub mod urls;

use std::fmt;

use scraper::Html;
use url::Url;

pub use profile::{Adapter, Basis, Field, Profile, Reason, Source};
pub use prune::prune_html;

/// Input beyond this many bytes is ignored (a profile never needs it; pruning it would cost time).
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;
/// Pruned HTML beyond this many bytes is not parsed (about 40 ms native, 300 ms in wasm).
pub const MAX_PARSE_BYTES: usize = 4 * 1024 * 1024;

/// One observation about the page's subject, from one layer, all values raw (merge cleans them).
#[derive(Debug, Clone)]
pub(crate) struct Partial {
    pub source: Source,
    pub confidence: f64,
    pub name: Option<String>,
    pub given: Option<String>,
    pub family: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    pub location: Option<String>,
    /// Address and contract type (`None`: decided from the address).
    pub emails: Vec<(String, Option<String>)>,
    /// Number and contract type.
    pub phones: Vec<(String, Option<String>)>,
    pub links: Vec<Url>,
    /// Links the page declares to be this person's own (`rel=me`, `sameAs`): the only links an
    /// identity (and the external id) may come from.
    pub identity: Vec<Url>,
    /// A headline that says more than the title.
    pub note: Option<String>,
    /// Why this is the person (see [`Basis`]).
    pub basis: Basis,
    /// Every value of this partial is a guess (see [`Field::unsure`]).
    pub unsure: bool,
}

impl Partial {
    pub fn new(source: Source, confidence: f64) -> Self {
        Partial {
            source,
            confidence,
            name: None,
            given: None,
            family: None,
            title: None,
            company: None,
            location: None,
            emails: Vec::new(),
            phones: Vec::new(),
            links: Vec::new(),
            identity: Vec::new(),
            note: None,
            basis: Basis::Profile,
            unsure: false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.given.is_none()
            && self.family.is_none()
            && self.title.is_none()
            && self.company.is_none()
            && self.location.is_none()
            && self.emails.is_empty()
            && self.phones.is_empty()
            && self.links.is_empty()
    }
}

/// What a layer found: observations about the subject, the other people it saw, and why it may
/// have held back.
#[derive(Default)]
pub(crate) struct Found {
    pub partials: Vec<Partial>,
    /// Other people on the page (team members, people the subject knows, sidebars' people).
    pub others: Vec<Partial>,
    /// The page's authors, when it is an article or post.
    pub authors: Vec<Partial>,
    pub warnings: Vec<String>,
    /// Several people and none singled out: page-wide contact links could be anyone's.
    pub ambiguous: bool,
    /// The page's own subject is an organisation.
    pub organisation: bool,
}

impl Found {
    fn push(&mut self, p: Partial) {
        if !p.is_empty() {
            self.partials.push(p);
        }
    }
}

/// Why `extract_bytes` refused its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    Empty,
    Binary,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputError::Empty => "the page is empty",
            InputError::Binary => "the input is binary data, not an HTML page",
        })
    }
}

impl std::error::Error for InputError {}

/// The canonical profile URL of `url` (see the module header), or `None` for non-http(s) input.
pub fn canonical_profile_url(url: &str) -> Option<String> {
    let u = urls::resolve(None, url)?;
    Some(urls::canonical_profile_url(&u).to_string())
}

/// The external id for any URL variant of a profile (see the module header); `None` for non-http(s).
pub fn external_id(url: &str) -> Option<String> {
    canonical_profile_url(url).map(|c| urls::external_id_for(&c))
}

/// Extracts the page's subject from raw bytes: invalid UTF-8 is replaced, binary data and empty
/// input are refused.
pub fn extract_bytes(bytes: &[u8], page_url: &str) -> Result<Profile, InputError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    // Text never holds NUL; a few in the first 8 KB means an image, archive or executable.
    let head = &bytes[..bytes.len().min(8192)];
    if head.iter().filter(|b| **b == 0).count() > 2 {
        return Err(InputError::Binary);
    }
    let cut = &bytes[..bytes.len().min(MAX_INPUT_BYTES)];
    let mut profile = extract(&String::from_utf8_lossy(cut), page_url);
    if cut.len() < bytes.len() {
        profile.warnings.insert(0, too_large(MAX_INPUT_BYTES));
    }
    Ok(profile)
}

/// Extracts the person `html` (served at `page_url`) is about. Never panics; an unusable page gives
/// an empty profile, with warnings saying why when there is a reason worth telling.
pub fn extract(html: &str, page_url: &str) -> Profile {
    extract_with(html, page_url, false)
}

/// [`extract`] for the reader's page view ([`crate::page_view`]): the same Profile as the page,
/// sooner, as the view is serialized HTML whose unread attributes and classes can be dropped
/// before the parse (`strip`), once it is cut where [`extract`] cuts the page.
pub fn extract_view(view: &str, page_url: &str) -> Profile {
    extract_with(view, page_url, true)
}

fn extract_with(html: &str, page_url: &str, view: bool) -> Profile {
    let mut warnings = Vec::new();
    let html = if html.len() > MAX_INPUT_BYTES {
        warnings.push(too_large(MAX_INPUT_BYTES));
        &html[..floor_char_boundary(html, MAX_INPUT_BYTES)]
    } else {
        html
    };
    let mut pruned = prune_html(html);
    if pruned.len() > MAX_PARSE_BYTES {
        warnings.push(only_the_start_was_parsed());
        let cut = floor_char_boundary(&pruned, MAX_PARSE_BYTES);
        // Cut before a tag so the parser does not see half an attribute.
        let cut = pruned[..cut].rfind('<').unwrap_or(cut);
        pruned.truncate(cut);
    }
    if view {
        pruned = strip::strip(&pruned);
    }
    let doc = Html::parse_document(&pruned);
    let mut page = dom::Page::new(&doc, urls::resolve(None, page_url));
    page.may_have_rdfa = pruned.contains("typeof");
    let adapter = adapters::detect(&page);
    let mut reasons = Vec::new();

    let mut found = Found::default();
    for layer in [
        jsonld::extract,
        microdata::extract,
        rdfa::extract,
        hcard::extract,
        meta::extract,
        adapters::extract,
    ] {
        let f = layer(&page);
        found.partials.extend(f.partials);
        found.others.extend(f.others);
        found.authors.extend(f.authors);
        found.warnings.extend(f.warnings);
        found.ambiguous |= f.ambiguous;
        found.organisation |= f.organisation;
    }
    if found.ambiguous {
        found
            .partials
            .retain(|p| !matches!(p.source, Source::Mailto | Source::Tel));
    }
    warnings.extend(found.warnings);

    let mut subject = found.partials;
    let mut basis = Basis::Profile;
    let names_someone = |ps: &[Partial]| {
        ps.iter()
            .any(|p| p.name.is_some() || p.given.is_some() || p.family.is_some())
    };
    if let Some(reason) = nobody::page_reason(&page) {
        // An error page or a sign-in wall describes nobody, whatever its chrome says.
        reasons.push(reason);
        subject.clear();
    } else if !owns_page(&subject) && authors::is_article(&page) {
        let mut authors = authors::extract(&page, found.authors);
        if !authors.is_empty() {
            // The recruiter on a post wants its author; the page's own contact links are the site's.
            let first = authors.remove(0);
            subject = vec![first];
            basis = Basis::AuthorOfPage;
            reasons.push(Reason::AuthorOfPage);
            found.others.splice(0..0, authors);
        } else {
            subject.retain(|p| !matches!(p.source, Source::Heuristic | Source::Mailto | Source::Tel));
        }
    }
    if basis == Basis::Profile
        && !subject.is_empty()
        && let Some(reason) = nobody::subject_reason(&page, &subject, found.organisation)
    {
        reasons.push(reason);
        subject.clear();
    } else if found.organisation {
        // The page describes itself as an organisation's: only a person's own record counts, not
        // its meta author, title or contact links.
        subject.retain(|p| {
            matches!(
                p.source,
                Source::JsonLd | Source::Microdata | Source::Rdfa | Source::HCard | Source::SiteAdapter(_)
            )
        });
        if !names_someone(&subject) {
            reasons.push(Reason::OrganisationPage);
            subject.clear();
        }
    }
    if !names_someone(&subject) && !reasons.iter().any(|r| nobody::is_final(*r)) {
        let shaped = shape::extract(&page);
        if !shaped.partials.is_empty() {
            subject.retain(|p| !matches!(p.source, Source::Mailto | Source::Tel));
            subject.extend(shaped.partials);
            basis = Basis::PageShape;
            reasons.push(Reason::FoundByShape);
        }
        found.others.extend(shaped.others);
    }

    let identity: Vec<Url> = subject.iter().flat_map(|p| p.identity.clone()).collect();
    let site_page = page.url.as_ref().filter(|_| {
        adapter.is_some_and(|a| a != Adapter::Generic) && basis == Basis::Profile && names_someone(&subject)
    });
    let own_site = contacts::own_site(&page, adapter, &subject);
    let mut profile = merge::merge(subject, site_page, warnings, own_site);
    profile.basis = basis;
    if let Some(url) = meta::profile_url(&page, adapter, &identity, basis) {
        profile.external_id = urls::external_id_for(url.as_str());
        profile.profile_url = url.to_string();
    }
    profile.others = others(found.others, &profile, &page);
    if profile.is_empty()
        && (found.ambiguous || profile.others.len() > 1)
        && !reasons.iter().any(|r| nobody::is_final(*r))
    {
        reasons.push(Reason::SeveralPeople);
    }
    profile.reasons = reasons;
    profile
}

/// True when a layer found the person the page itself is about (a profile page's main entity,
/// the representative h-card, a person whose URL is the page): then the page is theirs even when
/// it also holds a post.
fn owns_page(subject: &[Partial]) -> bool {
    subject.iter().any(|p| {
        p.confidence >= 0.9
            && matches!(
                p.source,
                Source::JsonLd | Source::Microdata | Source::Rdfa | Source::HCard | Source::SiteAdapter(_)
            )
    })
}

/// The other people as profiles of their own, most likely first, one per name, never the subject.
fn others(partials: Vec<Partial>, subject: &Profile, page: &dom::Page) -> Vec<Profile> {
    const MAX_OTHERS: usize = 20;
    let key = |p: &Profile| {
        p.name
            .as_ref()
            .map(|n| n.value.to_lowercase())
            .unwrap_or_default()
    };
    let mut partials = partials;
    partials.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    let mut out: Vec<Profile> = Vec::new();
    let subject_key = key(subject);
    for p in partials {
        let basis = p.basis;
        let identity = p.identity.clone();
        let mut o = merge::merge(vec![p], None, Vec::new(), false);
        let k = key(&o);
        if k.is_empty() || k == subject_key || out.iter().any(|x| key(x) == k) {
            continue;
        }
        o.basis = basis;
        // Their own address when the page declares one (sameAs, rel=author), else this page
        // with their name as the fragment: never a link merely found near them.
        let url = identity.first().map(urls::canonical_profile_url).or_else(|| {
            let mut u = urls::canonical(page.url.as_ref()?);
            u.set_fragment(Some(&slug(&k)));
            Some(u)
        });
        if let Some(url) = url {
            o.profile_url = url.to_string();
            o.external_id = urls::external_id_for(&o.profile_url);
        }
        out.push(o);
        if out.len() >= MAX_OTHERS {
            break;
        }
    }
    out
}

/// "Jane Doe" -> "jane-doe".
fn slug(name: &str) -> String {
    name.split_whitespace()
        .map(contacts::fold)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The warning of a page whose pruned content is beyond [`MAX_PARSE_BYTES`].
pub(crate) fn only_the_start_was_parsed() -> String {
    format!("page content larger than {MAX_PARSE_BYTES} bytes: only the start was read")
}

fn too_large(limit: usize) -> String {
    format!("page larger than {limit} bytes: only the start was read")
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i.min(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://ada.example/about";

    fn page(person_links: &str, body_links: &str) -> String {
        format!(
            r#"<html><head><title>Ada Lovelace</title>
            <script type="application/ld+json">{{"@type": "Person", "name": "Ada Lovelace",
              "jobTitle": "Analyst", "url": "{PAGE}"{person_links}}}</script></head>
            <body><h1>Ada Lovelace</h1><p>Analyst.</p>{body_links}</body></html>"#
        )
    }

    #[test]
    fn a_linked_profile_of_someone_else_never_becomes_the_persons_identity() {
        // A page (hostile, or just a colleague's shout-out) links another person's LinkedIn
        // profile: the id stays the page's own, so nothing sent from it claims to be Grace.
        let html = page(
            "",
            r#"<a href="https://www.linkedin.com/in/grace-hopper">Grace on LinkedIn</a>
               <a href="https://www.linkedin.com/in/grace-hopper" rel="nofollow">Grace</a>"#,
        );
        let profile = extract(&html, PAGE);
        assert_eq!(profile.first_name.as_ref().map(|f| f.value.as_str()), Some("Ada"));
        assert_eq!(profile.external_id, external_id(PAGE).unwrap());
        assert_ne!(
            profile.external_id,
            external_id("https://www.linkedin.com/in/grace-hopper").unwrap()
        );
    }

    #[test]
    fn a_profile_the_page_declares_its_persons_own_is_their_identity() {
        let ada = external_id("https://www.linkedin.com/in/ada-lovelace").unwrap();
        let same_as = page(r#", "sameAs": ["https://www.linkedin.com/in/ada-lovelace"]"#, "");
        assert_eq!(extract(&same_as, PAGE).external_id, ada, "sameAs");
        let rel_me = page(
            "",
            r#"<a rel="me" href="https://www.linkedin.com/in/ada-lovelace">LinkedIn</a>"#,
        );
        assert_eq!(extract(&rel_me, PAGE).external_id, ada, "rel=me");
    }
}
