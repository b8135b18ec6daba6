//! Whose an address or number is. An organisation's inbox or switchboard on a person is the
//! engine's most damaging mistake, because it looks plausible: role inboxes (hello@, info@,
//! jobs@, ...) and the site's footer or "contact us" block never go on a person, and a page-wide
//! link counts only when it names the person or the page is their own site.

use scraper::ElementRef;

use crate::extract::dom::Page;
use crate::extract::{Adapter, Partial, Source};

/// Local parts of shared inboxes: a team's, a department's or a site's, never one person's.
const ROLE_INBOXES: &[&str] = &[
    "hello",
    "hi",
    "info",
    "information",
    "jobs",
    "job",
    "careers",
    "career",
    "sales",
    "press",
    "media",
    "contact",
    "contacts",
    "office",
    "support",
    "team",
    "admin",
    "enquiries",
    "inquiries",
    "enquiry",
    "inquiry",
    "kontakt",
    "bewerbung",
    "recruiting",
    "recruitment",
    "hr",
    "marketing",
    "noreply",
    "no-reply",
    "webmaster",
    "service",
    "mail",
    "post",
    "help",
    "billing",
    "partners",
    "hiring",
    "talent",
    "events",
    "booking",
    "bookings",
    "management",
    "general",
    "reception",
    "empfang",
    "accueil",
    "contacto",
    "ventas",
    "presse",
    "prensa",
    "studio",
    "band",
    "shop",
    "orders",
    "legal",
    "privacy",
    "security",
    "abuse",
    "feedback",
    "newsletter",
    "news",
];

/// Words in class or id names of a site's own contact blocks.
const SITE_CONTACT_MARKERS: &[&str] = &[
    "footer",
    "contact-us",
    "contactus",
    "contact_us",
    "site-info",
    "siteinfo",
    "colophon",
    "imprint",
    "impressum",
    "company-info",
    "legal",
];

/// True for a shared inbox (`info@`, `jobs@`, `hello+x@`).
pub(crate) fn is_role_inbox(addr: &str) -> bool {
    let local = addr.split('@').next().unwrap_or("").to_ascii_lowercase();
    let local = local.split('+').next().unwrap_or("");
    ROLE_INBOXES.contains(&local)
}

/// Letters of `s`, lower case, accents folded to ASCII where simple, everything else dropped.
pub(crate) fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            Some(match c {
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
                'ç' => 'c',
                'è' | 'é' | 'ê' | 'ë' => 'e',
                'ì' | 'í' | 'î' | 'ï' => 'i',
                'ñ' => 'n',
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
                'ù' | 'ú' | 'û' | 'ü' => 'u',
                'ý' | 'ÿ' => 'y',
                'ß' => 's',
                c if c.is_ascii_alphanumeric() => c,
                _ => return None,
            })
        })
        .collect()
}

/// The name parts worth matching (three letters or more), folded.
fn name_parts(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .flat_map(|n| n.split([' ', '-']))
        .map(fold)
        .filter(|p| p.len() >= 3)
        .collect()
}

/// True when the address's local part names the person ("jane.doe@", "jdoe@", "doe@").
pub(crate) fn local_names(addr: &str, names: &[&str]) -> bool {
    let local = fold(addr.split('@').next().unwrap_or(""));
    name_parts(names).iter().any(|p| local.contains(p.as_str()))
}

/// True when the address's domain names the person ("hello@janedoe.com").
pub(crate) fn domain_names(addr: &str, names: &[&str]) -> bool {
    let domain = addr.split('@').nth(1).unwrap_or("");
    let first_label = fold(domain.split('.').next().unwrap_or(""));
    let parts = name_parts(names);
    let joined: String = parts.concat();
    parts.iter().any(|p| first_label.contains(p.as_str())) || (!joined.is_empty() && first_label == joined)
}

/// True when the page is the subject's own site: a generic site that says who owns it with
/// `rel=me`, or whose host name is the person's name.
pub(crate) fn own_site(page: &Page, adapter: Option<Adapter>, subject: &[Partial]) -> bool {
    if adapter != Some(Adapter::Generic) {
        return false;
    }
    let declares_owner = subject
        .iter()
        .any(|p| p.source == Source::RelMe && !p.links.is_empty());
    let names: Vec<&str> = subject
        .iter()
        .filter(|p| !matches!(p.source, Source::Mailto | Source::Tel))
        .flat_map(|p| [p.name.as_deref(), p.given.as_deref(), p.family.as_deref()])
        .flatten()
        .collect();
    let host = page.host().trim_start_matches("www.");
    let label = fold(host.split('.').next().unwrap_or(""));
    let parts = name_parts(&names);
    declares_owner || (!label.is_empty() && parts.iter().any(|p| label.contains(p.as_str())))
}

/// True when a lower-case class, id or role says the site's own contact block.
pub(crate) fn marks_site_contact(lower: &str) -> bool {
    lower == "contentinfo" || SITE_CONTACT_MARKERS.iter().any(|m| lower.contains(m))
}

/// True when `el` sits in the site's own contact block (footer, "contact us", imprint).
pub(crate) fn in_site_contact_block(el: ElementRef<'_>) -> bool {
    el.ancestors().take(64).filter_map(ElementRef::wrap).any(|a| {
        let v = a.value();
        v.name() == "footer"
            || [v.attr("class"), v.id(), v.attr("role")]
                .into_iter()
                .flatten()
                .any(|s| marks_site_contact(&s.to_ascii_lowercase()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_inboxes_and_names() {
        assert!(is_role_inbox("Info@acme.example"));
        assert!(is_role_inbox("jobs+eng@acme.example"));
        assert!(!is_role_inbox("jane.doe@acme.example"));
        assert!(local_names("j.doe@acme.example", &["Jane Doe"]));
        assert!(!local_names("press@acme.example", &["Jane Doe"]));
        assert!(domain_names("hello@noabendavid.example.com", &["Noa Ben-David"]));
        assert!(!domain_names("hello@acme.example", &["Noa Ben-David"]));
        assert_eq!(fold("José Müller-Lüdenscheidt"), "josemullerludenscheidt");
    }
}
