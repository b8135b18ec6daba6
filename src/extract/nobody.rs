//! Pages with nobody to capture: error pages, sign-in walls, and organisations' pages (a company,
//! band, channel or studio account). Capturing a "person" there sends Greenhouse a wrong record,
//! so the engine names nobody and says why.

use crate::extract::dom::{Page, selector};
use crate::extract::{Partial, Reason, Source, text};

/// Error-page phrases, lower case, matched at the start of the title or the first heading.
const ERROR_PHRASES: &[&str] = &[
    "page not found",
    "profile not found",
    "not found",
    "404",
    "403 forbidden",
    "410 gone",
    "500 internal server error",
    "502 bad gateway",
    "503 service unavailable",
    "error 404",
    "error 500",
    "an error occurred",
    "something went wrong",
    "this page isn't available",
    "this page is not available",
    "this account doesn't exist",
    "this account doesn’t exist",
    "account suspended",
    "page unavailable",
    "user not found",
    "seite nicht gefunden",
    "fehler 404",
    "page introuvable",
    "erreur 404",
    "página no encontrada",
];

/// Sign-up and sign-in walls, lower case, matched at the start of the title or the first heading.
const WALL_PHRASES: &[&str] = &[
    "join linkedin",
    "sign up",
    "sign in",
    "log in",
    "login",
    "signup",
    "create an account",
    "create your account",
    "jetzt anmelden",
    "anmelden",
    "registrieren",
    "s'inscrire",
    "se connecter",
    "inscríbete",
    "iniciar sesión",
];

/// Words that name an organisation, never a person; matched as whole words of a name.
const ORGANISATION_WORDS: &[&str] = &[
    "inc",
    "inc.",
    "ltd",
    "ltd.",
    "llc",
    "gmbh",
    "ag",
    "corp",
    "corp.",
    "corporation",
    "company",
    "co.",
    "plc",
    "s.a.",
    "sarl",
    "sas",
    "bv",
    "oy",
    "ab",
    "studio",
    "studios",
    "records",
    "band",
    "official",
    "channel",
    "tv",
    "media",
    "group",
    "labs",
    "agency",
    "collective",
    "orchestra",
    "ensemble",
    "quartet",
    "trio",
    "choir",
    "foundation",
    "association",
    "university",
    "institute",
    "school",
    "hq",
    "team",
    "games",
    "productions",
    "entertainment",
    "network",
    "news",
    "magazine",
    "podcast",
    "software",
    "technologies",
    "solutions",
    "systems",
    "consulting",
    "partners",
    "cooperative",
    "cooperativa",
    "coopérative",
    "genossenschaft",
    "verein",
    "e.v.",
    "gbr",
    "kg",
    "asociación",
    "fundación",
    "stiftung",
    "université",
    "universidad",
    "universität",
    "ministry",
    "council",
    "club",
    "society",
    "institut",
    "instituto",
    "hotel",
    "restaurant",
    "bakery",
    "clinic",
];

/// The leading part of a title or heading, lower case, without an unread-count prefix.
fn lead(s: &str) -> String {
    let s = s.trim().to_lowercase();
    match s.strip_prefix('(').and_then(|r| r.split_once(") ")) {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit() || c == '+') => rest.to_string(),
        _ => s,
    }
}

fn starts_with_phrase(s: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| {
        s.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| !c.is_alphanumeric()))
    })
}

/// Why the page as a whole holds nobody: an error page or a sign-in wall (by its title or first
/// heading), `None` for any other page.
pub(crate) fn page_reason(page: &Page) -> Option<Reason> {
    let title = page.title().map(|t| lead(&t));
    let h1 = page.first_text(selector!("h1")).map(|t| lead(&t));
    let texts: Vec<&String> = title.iter().chain(h1.iter()).collect();
    if texts.iter().any(|t| starts_with_phrase(t, ERROR_PHRASES)) {
        return Some(Reason::ErrorPage);
    }
    // A wall's title is the wall ("Sign Up | LinkedIn"); a heading "Sign in" on a profile is chrome.
    if title
        .as_deref()
        .is_some_and(|t| starts_with_phrase(t, WALL_PHRASES))
    {
        return Some(Reason::SignInWall);
    }
    None
}

/// True for a name that is an organisation's ("Northwind Records", "Acme GmbH", "ACME").
pub(crate) fn is_organisation_name(name: &str) -> bool {
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    if words
        .iter()
        .any(|w| ORGANISATION_WORDS.contains(&w.trim_matches(',').to_string().as_str()))
    {
        return true;
    }
    // A single all-capitals word ("ACME") is a brand, not a person's name.
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    words.len() == 1 && letters.len() > 1 && letters.iter().all(|c| c.is_uppercase())
}

/// Why the subject the layers found is nobody to capture: the organisation the page is about,
/// or a page calling itself a profile with nothing else naming a person.
pub(crate) fn subject_reason(page: &Page, subject: &[Partial], organisation: bool) -> Option<Reason> {
    let structured = |p: &Partial| {
        matches!(
            p.source,
            Source::JsonLd | Source::Microdata | Source::Rdfa | Source::HCard | Source::SiteAdapter(_)
        )
    };
    let naming: Vec<&Partial> = subject
        .iter()
        .filter(|p| p.name.is_some() || p.given.is_some() || p.family.is_some())
        .collect();
    if naming.is_empty() {
        return organisation.then_some(Reason::OrganisationPage);
    }
    // The best name the layers have: split names (given/family) always mean a person.
    let best = naming
        .iter()
        .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
        .expect("not empty");
    let split = best.given.is_some() || best.family.is_some();
    if !split
        && let Some(name) = best.name.as_deref().and_then(text::clean)
        && is_organisation_name(&name)
    {
        return Some(Reason::OrganisationPage);
    }
    if !naming.iter().any(|p| structured(p) || p.source == Source::Title) {
        let og_profile = page
            .meta("og:type")
            .is_some_and(|t| t.eq_ignore_ascii_case("profile"));
        let only_og = naming.iter().all(|p| p.source == Source::OpenGraph);
        if og_profile && only_og {
            return Some(Reason::ProfileTypeOnly);
        }
    }
    None
}

/// Reasons after which nobody is searched for by shape either.
pub(crate) fn is_final(r: Reason) -> bool {
    matches!(
        r,
        Reason::ErrorPage | Reason::SignInWall | Reason::OrganisationPage | Reason::ProfileTypeOnly
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_parse;
    use scraper::Html;

    fn reason(html: &str) -> Option<Reason> {
        let doc = Html::parse_document(html);
        let page = Page::new(&doc, url_parse::parse("https://example.com/x").ok());
        page_reason(&page)
    }

    #[test]
    fn error_pages_and_walls() {
        assert_eq!(
            reason("<title>Page not found – Example</title>"),
            Some(Reason::ErrorPage)
        );
        assert_eq!(reason("<title>404 Not Found</title>"), Some(Reason::ErrorPage));
        assert_eq!(
            reason("<title>Example</title><h1>Profile Not Found</h1>"),
            Some(Reason::ErrorPage)
        );
        assert_eq!(
            reason("<title>Sign Up | LinkedIn</title>"),
            Some(Reason::SignInWall)
        );
        assert_eq!(reason("<title>Join LinkedIn</title>"), Some(Reason::SignInWall));
        assert_eq!(
            reason("<title>Jane Doe | LinkedIn</title><h1>Jane Doe</h1>"),
            None
        );
        assert_eq!(reason("<title>Errol Flynn</title>"), None);
    }

    #[test]
    fn organisation_names() {
        assert!(is_organisation_name("Northwind Records"));
        assert!(is_organisation_name("Acme GmbH"));
        assert!(is_organisation_name("ACME"));
        assert!(!is_organisation_name("Jane Doe"));
        assert!(!is_organisation_name("DUPONT Jean"));
    }
}
