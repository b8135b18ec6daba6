//! GitHub user pages: the profile sidebar's vcard (full name, username, org, location, website,
//! social links). Markup is also microdata/h-card; this adds the username fallback and the links.

use crate::extract::dom::{Page, selector};
use crate::extract::{Adapter, Found, Partial, Source};

use super::{from_selectors, links_in, title_parts};

pub(super) fn extract(page: &Page) -> Found {
    let mut found = Found::default();
    let mut p = from_selectors(
        page,
        Adapter::Github,
        0.8,
        selector!(".vcard-names .vcard-fullname, .vcard-fullname"),
        None,
        Some(selector!(
            ".vcard-details [itemprop=homeLocation] .p-label, .vcard-details [itemprop=homeLocation]"
        )),
    );
    p.company = page
        .first_text(selector!(
            ".vcard-details [itemprop=worksFor] .p-org, .vcard-details [itemprop=worksFor]"
        ))
        .map(|c| c.trim_start_matches('@').to_string());
    p.links = links_in(
        page,
        selector!(
            ".vcard-details [data-test-selector=profile-website-url] a, .vcard-details [itemprop=social] a, .vcard-details [itemprop=url] a"
        ),
    );
    p.emails = page
        .doc
        .select(selector!(
            ".vcard-details a.u-email, .vcard-details [itemprop=email] a"
        ))
        .filter_map(|a| a.attr("href").map(|h| (h.to_string(), None)))
        .collect();
    // A user without a display name is known by their username.
    if p.name.is_none() {
        p.name = page.first_text(selector!(".vcard-names .vcard-username, .vcard-username"));
        p.confidence = 0.5;
    }
    found.push(p);

    // "janedoe (Jane Doe) · GitHub"
    let mut t = Partial::new(Source::Title, 0.5);
    if let Some(parts) = title_parts(page, &[" · GitHub"]) {
        let title = parts.join(" - ");
        if let (Some(open), true) = (title.find(" ("), title.ends_with(')')) {
            t.name = Some(title[open + 2..title.len() - 1].to_string());
        }
    }
    found.push(t);
    found
}
