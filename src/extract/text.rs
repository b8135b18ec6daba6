//! Turns whatever a page holds into safe plain text: entities, tags, control characters, lengths,
//! and the validation of emails and phone numbers.

/// Longest text value kept (names, titles, companies); Greenhouse's own limit is 255.
pub const MAX_TEXT_CHARS: usize = 255;

/// Cleans a scraped value: decodes leftover entities, drops tags and control characters, collapses
/// whitespace, caps the length. Returns `None` when nothing readable is left.
pub fn clean(raw: &str) -> Option<String> {
    clean_capped(raw, MAX_TEXT_CHARS)
}

pub fn clean_capped(raw: &str, max_chars: usize) -> Option<String> {
    // Cheap guard: a value larger than this is not a name or a title, and decoding it is wasted work.
    let raw = prefix_chars(raw, max_chars * 8);
    // Tags first: markup in a value is markup, while an escaped "&lt;Nord&gt;" is literal text.
    let untagged = decode_entities(&strip_tags(raw));
    let mut out = String::with_capacity(untagged.len().min(max_chars * 4));
    let mut pending_space = false;
    let mut count = 0;
    for c in untagged.chars() {
        if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' {
            pending_space = !out.is_empty();
            continue;
        }
        if c.is_control() || is_bidi_control(c) {
            continue;
        }
        if pending_space {
            if count + 1 >= max_chars {
                break;
            }
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        if count >= max_chars {
            break;
        }
        out.push(c);
        count += 1;
    }
    let trimmed = out.trim_matches(|c: char| c.is_whitespace() || c == '|' || c == '·');
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

fn prefix_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// Removes `<tag ...>` runs; a lone `<` not followed by a tag name stays (e.g. "C++ <3").
fn strip_tags(s: &str) -> String {
    if !s.contains('<') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let tag_like = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match (tag_like, after.find('>')) {
            (true, Some(end)) => {
                out.push(' ');
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes entities that survive into values: JSON-LD text is raw script text, and some sites
/// escape twice ("&amp;eacute;"), so this runs up to twice.
pub fn decode_entities(s: &str) -> String {
    let mut cur = s.to_string();
    for _ in 0..2 {
        if !cur.contains('&') {
            break;
        }
        cur = decode_once(&cur);
    }
    cur
}

fn decode_once(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        // The longest named entity is 31 characters ("CounterClockwiseContourIntegral").
        let end = after.find(';').filter(|&e| e > 0 && e <= 32);
        match end.filter(|&e| push_entity(&after[..e], &mut out)) {
            Some(e) => rest = &after[e + 1..],
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Appends what `&name;` stands for and says whether it was an entity at all. Named entities come
/// from the WHATWG table html5ever already carries (markup5ever), not from a list of our own.
fn push_entity(name: &str, out: &mut String) -> bool {
    let code_points = match name.strip_prefix('#') {
        Some(num) => {
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            code.map(|c| (c, 0))
        }
        None => markup5ever::data::NAMED_ENTITIES
            .get(&*format!("{name};"))
            .copied(),
    };
    // The table maps every prefix of a name to (0, 0); NUL is never text either.
    let Some((first, second)) = code_points.filter(|&(c, _)| c != 0) else {
        return false;
    };
    let Some(first) = char::from_u32(first) else {
        return false;
    };
    out.push(first);
    out.extend(char::from_u32(second).filter(|&c| c != '\0'));
    true
}

/// A plausible address, lower-cased domain, or `None`. Accepts `mailto:` values with query strings.
pub fn email(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let raw = strip_prefix_ci(raw, "mailto:").unwrap_or(raw);
    let raw = raw.split(['?', '#']).next()?;
    let decoded = percent_decode(raw);
    let addr = decoded.trim().trim_matches(['<', '>', '"', '\'']);
    if addr.len() > 254 || addr.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (local, domain) = addr.rsplit_once('@')?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && !tld.chars().all(|c| c.is_ascii_digit()));
    (local_ok && domain_ok).then(|| format!("{local}@{}", domain.to_lowercase()))
}

/// Providers whose addresses are personal rather than an employer's.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "me.com",
    "proton.me",
    "protonmail.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "aol.com",
    "yandex.ru",
    "mail.ru",
    "qq.com",
    "163.com",
    "fastmail.com",
    "hey.com",
];

/// The contract's email type: `personal` for free-mail providers, otherwise `other` (a custom
/// domain may be an employer or the person's own site; we don't guess).
pub fn email_kind(addr: &str) -> &'static str {
    let domain = addr.rsplit('@').next().unwrap_or("");
    if FREE_MAIL.contains(&domain) {
        "personal"
    } else {
        "other"
    }
}

/// Normalises a phone number: `+` and digits only (E.164 shape when international), 7 to 15
/// digits, extensions dropped. `None` when it cannot be a phone number.
pub fn phone(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let raw = strip_prefix_ci(raw, "tel:").unwrap_or(raw);
    let decoded = percent_decode(raw);
    let main = decoded
        .split([';', ','])
        .next()?
        .split(" ext")
        .next()?
        .split(" x")
        .next()?;
    // "+49 (0)721 …": the trunk zero in parentheses is dialled only from inside the country.
    let main = if main.trim_start().starts_with('+') {
        main.replacen("(0)", "", 1)
    } else {
        main.to_string()
    };
    let mut digits = String::new();
    let mut plus = false;
    for (i, c) in main.trim().chars().enumerate() {
        match c {
            '+' if i == 0 => plus = true,
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' => {}
            _ => return None,
        }
    }
    // "00" is the international prefix in most of the world.
    if !plus && digits.starts_with("00") && digits.len() > 9 {
        digits.drain(..2);
        plus = true;
    }
    if !(7..=15).contains(&digits.len()) {
        return None;
    }
    Some(if plus { format!("+{digits}") } else { digits })
}

/// Maps vCard/schema phone labels to the contract's types.
pub fn phone_kind(label: Option<&str>) -> &'static str {
    let label = label.unwrap_or("").to_ascii_lowercase();
    if label.contains("cell") || label.contains("mobile") {
        "mobile"
    } else if label.contains("work") {
        "work"
    } else if label.contains("home") {
        "home"
    } else {
        "other"
    }
}

pub fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_html_entity_and_leaves_other_ampersands() {
        assert_eq!(
            decode_entities("Fran&ccedil;ois C&ocirc;t&eacute; &hellip;"),
            "François Côté …"
        );
        assert_eq!(
            decode_entities("&NotEqualTilde; &#x1F331; &#233;"),
            "\u{2242}\u{338} \u{1F331} é"
        );
        assert_eq!(
            decode_entities("AT&T &notanentity; &; &#0; R&D"),
            "AT&T &notanentity; &; &#0; R&D"
        );
        assert_eq!(decode_entities("&amp;eacute;"), "é");
    }

    #[test]
    fn cleans_entities_tags_controls_and_whitespace() {
        assert_eq!(
            clean("  Jos&amp;eacute;\n\t<b>Núñez</b>\u{0007} ").unwrap(),
            "José Núñez"
        );
        assert_eq!(clean("C++ <3 &amp; Rust").unwrap(), "C++ <3 & Rust");
        assert_eq!(clean("Atelier &lt;Nord&gt;").unwrap(), "Atelier <Nord>");
        assert_eq!(clean("\u{202e}evil\u{200b}").unwrap(), "evil");
        assert_eq!(clean(" | · "), None);
        assert_eq!(
            clean(&"a".repeat(10_000)).unwrap().chars().count(),
            MAX_TEXT_CHARS
        );
    }

    #[test]
    fn validates_emails() {
        assert_eq!(
            email("mailto:Jane.Doe@Example.COM?subject=hi").unwrap(),
            "Jane.Doe@example.com"
        );
        assert_eq!(email("mailto:jane%40example.org").unwrap(), "jane@example.org");
        for bad in [
            "jane",
            "jane@",
            "@example.com",
            "ja ne@example.com",
            "jane@example",
            "a..b@example.com",
            "jane@exa_mple.com",
        ] {
            assert_eq!(email(bad), None, "{bad}");
        }
        assert_eq!(email_kind("x@gmail.com"), "personal");
        assert_eq!(email_kind("x@example.com"), "other");
    }

    #[test]
    fn normalises_phones() {
        assert_eq!(phone("tel:+1 (415) 555-0100").unwrap(), "+14155550100");
        assert_eq!(phone("0049 30 1234567").unwrap(), "+49301234567");
        assert_eq!(phone("+44 20 7946 0958 ext. 12").unwrap(), "+442079460958");
        assert_eq!(phone("555"), None);
        assert_eq!(phone("call me"), None);
        assert_eq!(phone_kind(Some("Cell")), "mobile");
    }
}
