//! LinkedIn profiles. Signed-in pages embed the app's data as JSON in `<code>` elements (the
//! viewer's own profile is in there too, so the subject is the entity whose `publicIdentifier` is
//! the URL's slug); public pages carry JSON-LD (read by the JSON-LD layer) and a top card. The
//! embedded data is preferred: class names change often, the data model rarely.

use serde_json::Value;

use crate::extract::dom::{Page, selector};
use crate::extract::{Adapter, Found, Partial, Source};

use super::{apply_headline, from_selectors, name_title_company};

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
    // The current position: this profile's, without an end date.
    let current = entities.iter().find(|e| {
        str_of(e, "companyName").is_some()
            && urn.is_some()
            && str_of(e, "profileUrn") == urn
            && e.pointer("/dateRange/end").is_none_or(Value::is_null)
    });
    if let Some(pos) = current {
        p.title = str_of(pos, "title").map(str::to_string);
        p.company = str_of(pos, "companyName").map(str::to_string);
    } else {
        apply_headline(&mut p, str_of(profile, "headline"));
    }
    let geo_urn = profile.pointer("/geoLocation/*geo").and_then(Value::as_str);
    p.location = geo_urn
        .and_then(|g| entities.iter().find(|e| str_of(e, "entityUrn") == Some(g)))
        .and_then(|g| str_of(g, "defaultLocalizedName"))
        .or_else(|| str_of(profile, "locationName"))
        .map(str::to_string);
    Some(p)
}

pub(super) fn extract(page: &Page) -> Found {
    let mut found = Found::default();
    let Some(slug) = slug(page) else {
        return found;
    };
    found.partials.extend(from_embedded(page, &slug));

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
    apply_headline(
        &mut public,
        page.first_text(selector!(".top-card-layout__headline"))
            .as_deref(),
    );
    public.company = page
        .first_text(selector!("[data-section=currentPositionsDetails] .top-card-link__description, .top-card-link--link[data-tracking-control-name*=current-company] span"))
        .or(public.company);
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
