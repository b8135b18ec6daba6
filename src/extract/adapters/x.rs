//! X (Twitter) profiles: the header's display name, location and website (whose visible text is
//! the real address; the link itself is a t.co redirect), and the "Name (@handle) / X" title.

use crate::extract::dom::{self, Page, selector};
use crate::extract::meta::strip_handle;
use crate::extract::{Adapter, Found, Partial, Source};

use super::title_parts;

pub(super) fn extract(page: &Page) -> Found {
    let mut found = Found::default();
    let mut p = Partial::new(Source::SiteAdapter(Adapter::X), 0.8);
    // The first span in the UserName block that is not the @handle.
    p.name = page
        .doc
        .select(selector!(
            "[data-testid=primaryColumn] [data-testid=UserName] span, [data-testid=UserName] span"
        ))
        .filter_map(dom::clean_text)
        .find(|t| !t.starts_with('@'));
    p.location = page.first_text(selector!(
        "[data-testid=UserProfileHeader_Items] [data-testid=UserLocation]"
    ));
    p.links = page
        .doc
        .select(selector!(
            "[data-testid=UserProfileHeader_Items] a[data-testid=UserUrl]"
        ))
        .filter_map(dom::clean_text)
        .filter_map(|shown| {
            let shown = shown.trim_end_matches('…');
            let with_scheme = if shown.contains("://") {
                shown.to_string()
            } else {
                format!("https://{shown}")
            };
            page.resolve(&with_scheme)
        })
        .collect();
    found.push(p);

    let mut t = Partial::new(Source::Title, 0.5);
    t.name = title_parts(page, &[" / X", " / Twitter", " on X", " on Twitter"])
        .map(|parts| strip_handle(&parts.join(" - ")).to_string());
    found.push(t);
    found
}
