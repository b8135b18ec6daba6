//! Mastodon (any server) and Bluesky profiles. Both render little HTML without JavaScript; the
//! OpenGraph title "Name (@handle)" and the verified `rel="me"` fields are what the page holds.

use crate::extract::dom::{Page, selector};
use crate::extract::meta::strip_handle;
use crate::extract::{Adapter, Found, Partial, Source};

use super::links_in;

/// A Mastodon-style profile: `/@user` path on a server that advertises an ActivityPub actor.
pub(super) fn is_mastodon(page: &Page) -> bool {
    let at_path = page.url.as_ref().is_some_and(|u| u.path().starts_with("/@"));
    at_path
        && (page.meta("profile:username").is_some()
            || page
                .doc
                .select(selector!("link[rel=alternate][type]"))
                .any(|l| l.attr("type").is_some_and(|t| t.contains("activity+json"))))
}

fn og_name(page: &Page, adapter: Adapter) -> Partial {
    let mut p = Partial::new(Source::SiteAdapter(adapter), 0.75);
    p.name = page
        .meta("og:title")
        .or_else(|| page.title())
        .map(|t| strip_handle(t.split(" - ").next().unwrap_or(&t)).to_string())
        .filter(|n| !n.starts_with('@'));
    p
}

pub(super) fn mastodon(page: &Page) -> Found {
    let mut found = Found::default();
    let mut p = og_name(page, Adapter::Mastodon);
    p.name = page
        .doc
        .select(selector!(".account__header__tabs__name h1"))
        .next()
        .and_then(|h| {
            h.children()
                .find_map(|c| c.value().as_text().map(|t| t.to_string()))
        })
        .filter(|n| !n.trim().is_empty())
        .or(p.name);
    p.links = links_in(
        page,
        selector!(".account__header__fields dd a[href], .account__header__fields a[rel~=me]"),
    );
    found.push(p);
    found
}

pub(super) fn bluesky(page: &Page) -> Found {
    let mut found = Found::default();
    found.push(og_name(page, Adapter::Bluesky));
    found
}
