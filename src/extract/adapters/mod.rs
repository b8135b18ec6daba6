//! Site adapters: what a known site's pages say beyond standard markup (embedded app data, its
//! title pattern, its profile header), chosen by host. Each reads only the profile's own region.

mod fediverse;
mod generic;
mod github;
mod linkedin;
mod portfolio;
mod resumes;
mod x;

use crate::extract::dom::Page;
use crate::extract::meta::strip_handle;
use crate::extract::{Adapter, Found, Partial, Source};

/// The adapter for the page's site; `Generic` for everything else.
pub(crate) fn detect(page: &Page) -> Option<Adapter> {
    let host = page.host().to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let is = |site: &str| host == site || host.ends_with(&format!(".{site}"));
    page.url.as_ref()?;
    Some(if is("linkedin.com") {
        Adapter::Linkedin
    } else if is("github.com") {
        Adapter::Github
    } else if is("x.com") || is("twitter.com") {
        Adapter::X
    } else if is("stackoverflow.com") || is("stackexchange.com") {
        Adapter::StackOverflow
    } else if is("bsky.app") {
        Adapter::Bluesky
    } else if is("xing.com") {
        Adapter::Xing
    } else if is("wellfound.com") || is("angel.co") {
        Adapter::Wellfound
    } else if is("dribbble.com") {
        Adapter::Dribbble
    } else if is("behance.net") {
        Adapter::Behance
    } else if fediverse::is_mastodon(page) {
        Adapter::Mastodon
    } else {
        Adapter::Generic
    })
}

pub(crate) fn extract(page: &Page) -> Found {
    let Some(adapter) = detect(page) else {
        return Found::default();
    };
    match adapter {
        Adapter::Linkedin => linkedin::extract(page),
        Adapter::Github => github::extract(page),
        Adapter::X => x::extract(page),
        Adapter::StackOverflow => resumes::stack_overflow(page),
        Adapter::Xing => resumes::xing(page),
        Adapter::Wellfound => resumes::wellfound(page),
        Adapter::Mastodon => fediverse::mastodon(page),
        Adapter::Bluesky => fediverse::bluesky(page),
        Adapter::Dribbble => portfolio::dribbble(page),
        Adapter::Behance => portfolio::behance(page),
        Adapter::Generic => generic::extract(page),
    }
}

/// The `<title>` without the site's suffix and an unread-count prefix ("(3) "), split on " - ".
/// `None` when the title does not end with one of `suffixes` (then it is not a profile page).
fn title_parts(page: &Page, suffixes: &[&str]) -> Option<Vec<String>> {
    let title = page.title()?;
    let mut t = title.as_str();
    if t.starts_with('(')
        && let Some(end) = t.find(") ")
        && t[1..end].chars().all(|c| c.is_ascii_digit() || c == '+')
    {
        t = &t[end + 2..];
    }
    let lower = t.to_lowercase();
    let suffix = suffixes.iter().find(|s| lower.ends_with(&s.to_lowercase()))?;
    let t = t[..t.len() - suffix.len()].trim();
    let parts: Vec<String> = t
        .split(" - ")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then_some(parts)
}

/// A "Name - Title - Company" title (LinkedIn, Xing) as a partial.
fn name_title_company(page: &Page, suffixes: &[&str]) -> Partial {
    let mut p = Partial::new(Source::Title, 0.5);
    if let Some(parts) = title_parts(page, suffixes) {
        p.name = parts.first().map(|n| strip_handle(n).to_string());
        p.title = parts.get(1).cloned();
        p.company = parts.get(2).cloned();
    }
    p
}

/// Sets title and company from a profile headline, when the page has one.
fn apply_headline(p: &mut Partial, headline: Option<&str>) {
    if let Some(h) = headline {
        let (title, company) = split_headline(h);
        p.title = Some(title);
        p.company = company;
    }
}

/// "Senior Engineer at Acme" -> ("Senior Engineer", Some("Acme")); headlines without a
/// recognisable company stay whole as the title.
fn split_headline(headline: &str) -> (String, Option<String>) {
    for sep in [" at ", " @ ", " bei ", " chez "] {
        if let Some((title, company)) = headline.split_once(sep) {
            let company = company.split(['|', '·', ',']).next().unwrap_or("").trim();
            if !title.trim().is_empty() && !company.is_empty() {
                return (title.trim().to_string(), Some(company.to_string()));
            }
        }
    }
    (headline.trim().to_string(), None)
}

/// An adapter partial filled from the first match of a few selectors.
fn from_selectors(
    page: &Page,
    adapter: Adapter,
    confidence: f64,
    name: &scraper::Selector,
    title: Option<&scraper::Selector>,
    location: Option<&scraper::Selector>,
) -> Partial {
    let mut p = Partial::new(Source::SiteAdapter(adapter), confidence);
    p.name = page.first_text(name);
    p.title = title.and_then(|s| page.first_text(s));
    p.location = location.and_then(|s| page.first_text(s));
    p
}

/// Links in a profile's own link list, resolved.
fn links_in(page: &Page, sel: &scraper::Selector) -> Vec<url::Url> {
    page.doc
        .select(sel)
        .take(30)
        .filter_map(|a| page.resolve(a.attr("href")?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_split_on_company_markers() {
        assert_eq!(
            split_headline("Staff Engineer at Acme Corp | Rust"),
            ("Staff Engineer".into(), Some("Acme Corp".into()))
        );
        assert_eq!(split_headline("Designer"), ("Designer".into(), None));
    }
}
