//! Merges the layers' observations into one Profile: per field the most confident value wins,
//! lists are united and de-duplicated, every value cleaned and validated on the way in.

use url::Url;

use crate::extract::profile::{Field, Profile, Source};
use crate::extract::{Partial, contacts, names, text, urls};

const MAX_EMAILS: usize = 10;
const MAX_PHONES: usize = 10;
const MAX_LINKS: usize = 20;

fn field(value: String, kind: Option<String>, p: &Partial) -> Field {
    Field {
        value,
        kind,
        source: p.source,
        confidence: p.confidence,
        unsure: p.unsure,
    }
}

/// The most confident partial's cleaned value for one field; earlier layers win ties.
fn best(partials: &[&Partial], get: impl Fn(&Partial) -> Option<&String>) -> Option<Field> {
    partials
        .iter()
        .filter_map(|p| get(p).and_then(|v| text::clean(v)).map(|v| field(v, None, p)))
        .reduce(|a, b| if b.confidence > a.confidence { b } else { a })
}

/// Name, first and last from the single most confident partial that names the person, so the
/// three always agree.
fn names_of(partials: &[&Partial]) -> (Option<Field>, Option<Field>, Option<Field>) {
    let mut best: Option<(&Partial, String, String, String)> = None;
    for p in partials {
        let given = p.given.as_deref().and_then(text::clean);
        let family = p.family.as_deref().and_then(text::clean);
        let full = p
            .name
            .as_deref()
            .and_then(text::clean)
            .and_then(|n| names::strip_decorations(&n))
            .or_else(|| {
                let joined = [given.clone(), family.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                (!joined.is_empty()).then_some(joined)
            });
        let Some(full) = full else { continue };
        let (first, last) = if given.is_some() || family.is_some() {
            (given.unwrap_or_default(), family.unwrap_or_default())
        } else {
            let s = names::split(&full);
            (s.first, s.last)
        };
        if best.as_ref().is_none_or(|(b, ..)| p.confidence > b.confidence) {
            best = Some((p, full, first, last));
        }
    }
    match best {
        None => (None, None, None),
        Some((p, full, first, last)) => {
            let opt = |s: String| (!s.is_empty()).then(|| field(s, None, p));
            (Some(field(full, None, p)), opt(first), opt(last))
        }
    }
}

/// Merges `partials`; `site_page` is the profile page on a known site, listed as the first link;
/// `own_site` says the page is the subject's own site (its page-wide contact links are theirs).
/// `profile_url` and `external_id` are left for the caller (they depend on the merged links).
pub(crate) fn merge(
    partials: Vec<Partial>,
    site_page: Option<&Url>,
    warnings: Vec<String>,
    own_site: bool,
) -> Profile {
    // Most confident first, so lists keep the better source for a duplicate value.
    let mut ordered: Vec<&Partial> = partials.iter().collect();
    ordered.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));

    let (name, first_name, last_name) = names_of(&ordered);
    let mut profile = Profile {
        name,
        first_name,
        last_name,
        title: best(&ordered, |p| p.title.as_ref()),
        // "@acme" is an organisation handle (GitHub, X); the company is "acme".
        company: best(&ordered, |p| p.company.as_ref()).map(|mut f| {
            f.value = f.value.trim_start_matches('@').trim().to_string();
            f
        }),
        location: best(&ordered, |p| p.location.as_ref()),
        note: best(&ordered, |p| p.note.as_ref()),
        warnings,
        ..Default::default()
    };

    // Page-wide mailto:/tel: links are a fallback: when the subject's own record lists contact
    // details, the other links on the page are more likely someone else's.
    let scoped = |p: &&Partial, pick: fn(&Partial) -> bool| {
        pick(p) && !matches!(p.source, Source::Mailto | Source::Tel)
    };
    let has_emails = ordered.iter().any(|p| scoped(p, |p| !p.emails.is_empty()));
    let has_phones = ordered.iter().any(|p| scoped(p, |p| !p.phones.is_empty()));
    let person: Vec<&str> = [&profile.name, &profile.first_name, &profile.last_name]
        .into_iter()
        .flatten()
        .map(|f| f.value.as_str())
        .collect();
    for p in &ordered {
        let fallback = matches!(p.source, Source::Mailto | Source::Tel);
        for (raw, kind) in p.emails.iter().filter(|_| !(fallback && has_emails)) {
            let Some(addr) = text::email(raw) else { continue };
            // Whose address: a shared inbox only when the domain is the person's own, a page-wide
            // link only when it names the person or the site is theirs.
            let names_them = contacts::local_names(&addr, &person);
            let their_domain = contacts::domain_names(&addr, &person);
            let role = contacts::is_role_inbox(&addr);
            // A shared inbox is the person's only on their own domain, or in their own record on
            // their own site.
            let own_record = !fallback && p.source != Source::Heuristic;
            let shared_inbox = role && !their_domain && !(own_site && own_record);
            // A link in the site's own footer or contact block (marked unsure by `meta`) is the
            // person's only on their own site.
            let someone_elses = fallback && !own_site && (!names_them || p.unsure);
            if shared_inbox || someone_elses {
                continue;
            }
            if profile.emails.len() < MAX_EMAILS
                && !profile.emails.iter().any(|e| e.value.eq_ignore_ascii_case(&addr))
            {
                let kind = kind
                    .clone()
                    .unwrap_or_else(|| text::email_kind(&addr).to_string());
                let mut f = field(addr, Some(kind), p);
                // A shared inbox kept on its owner's site, or a page-wide link that does not name
                // them: likely theirs, not certain.
                f.unsure |= (role && !their_domain) || (fallback && !names_them);
                if fallback && names_them && !role {
                    // A link on the person's own site that names them is theirs.
                    f.unsure = false;
                }
                profile.emails.push(f);
            }
        }
        for (raw, kind) in p
            .phones
            .iter()
            .filter(|_| !(fallback && (has_phones || !own_site)))
        {
            let Some(num) = text::phone(raw) else { continue };
            if profile.phones.len() < MAX_PHONES && !profile.phones.iter().any(|e| e.value == num) {
                let kind = kind.clone().unwrap_or_else(|| "other".to_string());
                let mut f = field(num, Some(kind), p);
                // A number linked somewhere on the person's own site: likely theirs, not certain.
                f.unsure |= fallback;
                profile.phones.push(f);
            }
        }
    }

    // The profile page itself is the first social address on a known profile site.
    let mut seen: Vec<String> = Vec::new();
    if let Some(u) = site_page {
        seen.push(urls::canonical_profile_url(u).to_string());
        profile.links.push(Field {
            value: urls::display(&urls::canonical_profile_url(u)),
            kind: None,
            source: Source::PageUrl,
            confidence: 1.0,
            unsure: false,
        });
    }
    for p in &ordered {
        for link in &p.links {
            let key = urls::canonical_profile_url(link).to_string();
            if profile.links.len() < MAX_LINKS && !seen.contains(&key) {
                seen.push(key);
                profile
                    .links
                    .push(field(urls::display(&urls::canonical_profile_url(link)), None, p));
            }
        }
    }
    profile
}
