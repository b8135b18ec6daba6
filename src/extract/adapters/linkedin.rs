//! LinkedIn profiles. Signed-in pages embed the app's data as JSON in `<code>` elements (the
//! viewer's own profile is in there too, so the subject is the entity whose `publicIdentifier` is
//! the URL's slug); public pages carry JSON-LD (read by the JSON-LD layer), a top card and the
//! experience list; the 2016-era public page is hCard-classed (`vcard`, `fn`, `title` = the
//! headline) with a `#experience` list. The embedded data is preferred: class names change often,
//! the data model rarely. Title and company always come from the current position (the entry
//! without an end date, "Present"), never from the headline, which becomes the note.

use serde_json::Value;

use crate::extract::dom::{self, Page, selector};
use crate::extract::{Adapter, Found, Partial, Source};

use super::{apply_headline, from_selectors, name_title_company, split_headline};

const SOURCE: Source = Source::SiteAdapter(Adapter::Linkedin);
/// A `<code>` blob larger than this is not parsed.
const MAX_BLOB_BYTES: usize = 2 * 1024 * 1024;

fn slug(page: &Page) -> Option<String> {
    let url = page.url.as_ref()?;
    let mut segs = url.path_segments()?;
    match (segs.next(), segs.next()) {
        (Some("in" | "pub"), Some(s)) if !s.is_empty() => Some(s.to_lowercase()),
        _ => None,
    }
}

fn str_of<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// Every entity of every embedded data blob that mentions profiles.
fn embedded_entities(page: &Page) -> Vec<Value> {
    page.doc
        .select(selector!("code"))
        .take(500)
        .filter_map(|c| {
            let raw: String = c.text().take(16).collect();
            (raw.len() <= MAX_BLOB_BYTES && raw.contains("publicIdentifier")).then_some(raw)
        })
        .filter_map(|raw| serde_json::from_str::<Value>(raw.trim()).ok())
        .flat_map(|v| match v.get("included") {
            Some(Value::Array(items)) => items.clone(),
            _ => Vec::new(),
        })
        .collect()
}

fn from_embedded(page: &Page, slug: &str) -> Option<Partial> {
    let entities = embedded_entities(page);
    let profile = entities.iter().find(|e| {
        str_of(e, "publicIdentifier").is_some_and(|p| p.eq_ignore_ascii_case(slug))
            && e.get("firstName").is_some()
    })?;
    let mut p = Partial::new(SOURCE, 0.92);
    p.given = str_of(profile, "firstName").map(str::to_string);
    p.family = str_of(profile, "lastName").map(str::to_string);
    let urn = str_of(profile, "entityUrn");
    // The profile's id inside other entities' URNs: "urn:li:fsd_profilePosition:(ACoAA…,12)".
    let member = urn.and_then(|u| u.rsplit(':').next());
    let belongs = |e: &Value| {
        urn.is_some()
            && (str_of(e, "profileUrn") == urn
                || member
                    .is_some_and(|m| str_of(e, "entityUrn").is_some_and(|eu| eu.contains(&format!("({m},")))))
    };
    // The current position: this profile's, without an end date.
    let current = entities.iter().find(|e| {
        str_of(e, "companyName").is_some()
            && belongs(e)
            && e.pointer("/dateRange/end").is_none_or(Value::is_null)
    });
    let headline = str_of(profile, "headline");
    if let Some(pos) = current {
        p.title = str_of(pos, "title").map(str::to_string);
        p.company = str_of(pos, "companyName").map(str::to_string);
    } else {
        apply_headline(&mut p, headline);
    }
    p.note = note(headline, p.title.as_deref(), p.company.as_deref());
    let geo_urn = profile.pointer("/geoLocation/*geo").and_then(Value::as_str);
    p.location = geo_urn
        .and_then(|g| entities.iter().find(|e| str_of(e, "entityUrn") == Some(g)))
        .and_then(|g| str_of(g, "defaultLocalizedName"))
        .or_else(|| str_of(profile, "locationName"))
        .map(str::to_string);
    Some(p)
}

/// The headline as a note, when it says something the title and company do not.
fn note(headline: Option<&str>, title: Option<&str>, company: Option<&str>) -> Option<String> {
    let h = headline?.trim();
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let (ht, hc) = split_headline(h);
    let same =
        Some(norm(&ht)) == title.map(norm) && (hc.is_none() || hc.as_deref().map(norm) == company.map(norm));
    (!h.is_empty() && !same).then(|| h.to_string())
}

/// The current entry of a public page's experience list: the one whose dates run to "Present"
/// (in the page's language), else the one the page marks as current.
fn public_current_position(page: &Page) -> Option<(Option<String>, Option<String>)> {
    const PRESENT: &[&str] = &[
        "present",
        "heute",
        "aujourd’hui",
        "aujourd'hui",
        "actualidad",
        "presente",
        "oggi",
        "heden",
    ];
    let entries = page
        .doc
        .select(selector!(
            "section.experience li.experience-item, li.experience-item, #experience li.position, li.position[data-section=currentPositionsDetails]"
        ))
        .take(60);
    for e in entries {
        let dates = e
            .select(selector!(
                ".date-range, .experience-item__duration, .meta .date-range, time"
            ))
            .filter_map(dom::clean_text)
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let marked = e.attr("data-section") == Some("currentPositionsDetails");
        if !marked && !PRESENT.iter().any(|p| dates.contains(p)) {
            continue;
        }
        let title = e
            .select(selector!(
                ".experience-item__title, .item-title, .profile-section-card__title, h3, h4"
            ))
            .find_map(dom::clean_text);
        let company = e
            .select(selector!(
                ".experience-item__subtitle, .item-subtitle, .profile-section-card__subtitle, h4 + h5, h5"
            ))
            .find_map(dom::clean_text);
        if title.is_some() || company.is_some() {
            return Some((title, company));
        }
    }
    None
}

pub(super) fn extract(page: &Page) -> Found {
    let mut found = Found::default();
    let Some(slug) = slug(page) else {
        return found;
    };
    let embedded = from_embedded(page, &slug);
    let signed_in = embedded.is_some();
    found.partials.extend(embedded);

    // Public top card.
    let mut public = from_selectors(
        page,
        Adapter::Linkedin,
        0.75,
        selector!(".top-card-layout__title"),
        None,
        Some(selector!(
            ".top-card-layout__first-subline .top-card__subline-item, .top-card-layout__first-subline span"
        )),
    );
    let headline = page.first_text(selector!(
        ".top-card-layout__headline, #topcard .headline, .profile-overview .headline, p.headline.title"
    ));
    // The 2016 card's name (its hCard `fn`).
    public.name = public
        .name
        .or_else(|| page.first_text(selector!("#topcard #name, #topcard .full-name, h1#name")));
    let top_card_company = page.first_text(selector!(
        "[data-section=currentPositionsDetails] .top-card-link__description, .top-card-link--link[data-tracking-control-name*=current-company] span, #topcard tr[data-section=currentPositionsDetails] td"
    ));
    // A signed-in page's embedded data already names the current position; the public page's
    // experience list is looked for only without it.
    match (!signed_in).then(|| public_current_position(page)).flatten() {
        Some((title, company)) => {
            // The experience list is the page's own record of the current job: above JSON-LD.
            let mut current = Partial::new(SOURCE, 0.96);
            current.title = title;
            current.company = company.or(top_card_company);
            current.note = note(
                headline.as_deref(),
                current.title.as_deref(),
                current.company.as_deref(),
            );
            found.push(current);
        }
        None => {
            apply_headline(&mut public, headline.as_deref());
            public.company = top_card_company.or(public.company);
            public.note = note(
                headline.as_deref(),
                public.title.as_deref(),
                public.company.as_deref(),
            );
        }
    }
    found.push(public);

    // Signed-in top card: inside <main>, so the navigation's "Me" menu (the viewer) is never read.
    let mut signed_in = from_selectors(
        page,
        Adapter::Linkedin,
        0.7,
        selector!("main h1.text-heading-xlarge, main .pv-top-card h1"),
        None,
        Some(selector!(
            "main .pv-top-card span.text-body-small.inline.t-black--light.break-words, main span.text-body-small.inline.t-black--light.break-words"
        )),
    );
    apply_headline(
        &mut signed_in,
        page.first_text(selector!(
            "main .pv-top-card .text-body-medium.break-words, main div.text-body-medium.break-words"
        ))
        .as_deref(),
    );
    found.push(signed_in);
    found.push(name_title_company(page, &[" | LinkedIn", " – LinkedIn"]));
    found
}
