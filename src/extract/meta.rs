//! The page's own self-description: OpenGraph `profile` tags, `mailto:`/`tel:` links outside
//! other people's regions (on sites without an adapter), and the canonical profile URL the external id is derived from.

use url::Url;

use crate::extract::dom::{self, Page, selector};
use crate::extract::{Adapter, Basis, Found, Partial, Source, adapters, contacts, text, urls};

/// More distinct addresses than this on one page means a directory, not one person's page.
const MAX_CONTACTS: usize = 3;
/// Links looked at, so a page of ten thousand mailto links costs no more than a normal one.
const MAX_LINKS_SCANNED: usize = 200;

pub(crate) fn extract(page: &Page) -> Found {
    let mut found = Found::default();
    found.push(open_graph(page));
    // On a known profile site the person's contact details are in the profile (adapters read
    // them); links elsewhere on such pages belong to posts, comments and footers.
    if adapters::detect(page) == Some(Adapter::Generic) {
        contact_links(page, &mut found);
    }
    found
}

fn open_graph(page: &Page) -> Partial {
    let mut p = Partial::new(Source::OpenGraph, 0.6);
    let is_profile = page
        .meta("og:type")
        .is_some_and(|t| t.eq_ignore_ascii_case("profile"));
    if !is_profile {
        return p;
    }
    p.given = page.meta("profile:first_name");
    p.family = page.meta("profile:last_name");
    if p.given.is_none() && p.family.is_none() {
        // og:title of a profile page is the person's name, sometimes with the handle after it;
        // on its own it is no proof of a person (bands and companies are profiles too).
        p.name = page.meta("og:title").map(|t| strip_handle(&t).to_string());
        p.confidence = 0.4;
    }
    p.links.extend(page.meta("og:url").and_then(|u| page.resolve(&u)));
    p
}

/// "Jane Doe (@jane@example.social)" -> "Jane Doe".
pub(crate) fn strip_handle(title: &str) -> &str {
    match title.rfind(" (@") {
        Some(i) if title.ends_with(')') => title[..i].trim(),
        _ => title.trim(),
    }
}

fn contact_links(page: &Page, found: &mut Found) {
    // (address or number, found in the site's own footer or "contact us" block)
    let mut emails: Vec<(String, bool)> = Vec::new();
    let mut phones: Vec<(String, bool)> = Vec::new();
    let mut crowded = false;
    for a in page.doc.select(selector!("a[href]")).take(20_000) {
        let href = a.attr("href").unwrap_or("").trim();
        let is_mail = text::strip_prefix_ci(href, "mailto:").is_some();
        let is_tel = text::strip_prefix_ci(href, "tel:").is_some();
        if !is_mail && !is_tel {
            continue;
        }
        if emails.len() + phones.len() >= MAX_LINKS_SCANNED {
            crowded = true;
            break;
        }
        if dom::in_other_people_region(a) {
            continue;
        }
        let site_block = contacts::in_site_contact_block(a);
        if is_mail {
            if let Some(e) = text::email(href)
                && !emails.iter().any(|(x, _)| *x == e)
            {
                emails.push((e, site_block));
            }
        } else if let Some(t) = text::phone(href)
            && !phones.iter().any(|(x, _)| *x == t)
        {
            phones.push((t, site_block));
        }
    }
    let body = |v: &[(String, bool)]| v.iter().filter(|(_, b)| !*b).count();
    let site = |v: &[(String, bool)]| v.len() - body(v);
    if site(&emails) > MAX_CONTACTS || site(&phones) > MAX_CONTACTS {
        emails.retain(|(_, b)| !*b);
        phones.retain(|(_, b)| !*b);
    }
    if crowded || body(&emails) > MAX_CONTACTS || body(&phones) > MAX_CONTACTS {
        found
            .warnings
            .push("many contact links on the page: none taken as the subject's".to_string());
        return;
    }
    // The site's own contact block is a separate partial, marked unsure: merge keeps it only on
    // the person's own site (a company's or conference's footer is never the person's).
    for site_block in [false, true] {
        let mut m = Partial::new(Source::Mailto, 0.6);
        m.unsure = site_block;
        m.emails = emails
            .iter()
            .filter(|(_, b)| *b == site_block)
            .map(|(e, _)| (e.clone(), None))
            .collect();
        found.push(m);
        let mut t = Partial::new(Source::Tel, 0.6);
        t.unsure = site_block;
        t.phones = phones
            .iter()
            .filter(|(_, b)| *b == site_block)
            .map(|(p, _)| (p.clone(), None))
            .collect();
        found.push(t);
    }
}

/// The URL the external id comes from (rule in the `extract` module header); `identity` are the
/// links the page declares to be the subject's own (`rel=me`, `sameAs`, an author's page).
pub(crate) fn profile_url(
    page: &Page,
    adapter: Option<Adapter>,
    identity: &[Url],
    basis: Basis,
) -> Option<Url> {
    let url = page.url.as_ref()?;
    if adapter != Some(Adapter::Generic) && basis == Basis::Profile {
        return Some(urls::canonical_profile_url(url));
    }
    let canonical: Vec<Url> = identity.iter().map(urls::canonical_profile_url).collect();
    let linkedin = canonical.iter().find(|l| {
        l.host_str() == Some("www.linkedin.com")
            && (l.path().starts_with("/in/") || l.path().starts_with("/pub/"))
    });
    if let Some(li) = linkedin {
        return Some(li.clone());
    }
    // An article's author: their own page, as the article declares it.
    if basis == Basis::AuthorOfPage
        && let Some(own) = canonical.first()
    {
        return Some(own.clone());
    }
    if let Some(frag) = url.fragment().filter(|f| !f.is_empty())
        && page
            .doc
            .select(selector!("[id]"))
            .any(|e| e.value().id() == Some(frag))
    {
        let mut u = urls::canonical(url);
        u.set_fragment(Some(frag));
        return Some(u);
    }
    let canonical_link = page
        .doc
        .select(selector!("link[rel][href]"))
        .find(|l| {
            l.attr("rel")
                .is_some_and(|r| r.split_whitespace().any(|t| t.eq_ignore_ascii_case("canonical")))
        })
        .and_then(|l| page.resolve(l.attr("href")?))
        .filter(|c| c.host_str().map(str::to_ascii_lowercase) == url.host_str().map(str::to_ascii_lowercase));
    Some(urls::canonical_profile_url(
        canonical_link.as_ref().unwrap_or(url),
    ))
}
