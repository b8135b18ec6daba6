//! Pages without markup: a person found from the shape of a block of text. A block is a person's
//! when it leads with a name (a heading, a bold line, or a "Contact name:" label) and also holds a
//! role line or labelled contact lines ("Phone:", "E-mail:", "Title:" and their German, French and
//! Spanish equivalents), `mailto:`/`tel:` links or an obfuscated address ("jane [at] example
//! [dot] org"). What this layer finds is a guess: low confidence, and every value flagged unsure.

use scraper::ElementRef;

use crate::extract::dom::{Page, selector};
use crate::extract::{Basis, Found, Partial, Source, text};

const CONFIDENCE: f64 = 0.35;
/// A block with more text than this is a page section, not one person's block.
const MAX_BLOCK_CHARS: usize = 1500;
/// Elements looked at for a leading name or a name label.
const MAX_CANDIDATES: usize = 4000;
/// People found by shape on one page; more is a directory.
const MAX_PEOPLE: usize = 30;

/// What a labelled line holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Label {
    Name,
    Title,
    Phone,
    Email,
    /// Fax, address, hours, ...: a label, but nothing this layer keeps.
    Other,
}

/// Labels, lower case, without the colon; longest first where one is a prefix of another.
const LABELS: &[(&str, Label)] = &[
    ("contact name", Label::Name),
    ("contact person", Label::Name),
    ("ansprechpartnerin", Label::Name),
    ("ansprechpartner", Label::Name),
    ("kontaktperson", Label::Name),
    ("personne de contact", Label::Name),
    ("interlocuteur", Label::Name),
    ("persona de contacto", Label::Name),
    ("nombre", Label::Name),
    ("name", Label::Name),
    ("nom", Label::Name),
    ("job title", Label::Title),
    ("title", Label::Title),
    ("position", Label::Title),
    ("role", Label::Title),
    ("funktion", Label::Title),
    ("titel", Label::Title),
    ("fonction", Label::Title),
    ("titre", Label::Title),
    ("poste", Label::Title),
    ("cargo", Label::Title),
    ("puesto", Label::Title),
    ("telephone", Label::Phone),
    ("phone", Label::Phone),
    ("mobile", Label::Phone),
    ("cell", Label::Phone),
    ("tel.", Label::Phone),
    ("tel", Label::Phone),
    ("telefon", Label::Phone),
    ("handy", Label::Phone),
    ("mobil", Label::Phone),
    ("téléphone", Label::Phone),
    ("tél.", Label::Phone),
    ("tél", Label::Phone),
    ("portable", Label::Phone),
    ("teléfono", Label::Phone),
    ("móvil", Label::Phone),
    ("celular", Label::Phone),
    ("e-mail", Label::Email),
    ("email", Label::Email),
    ("mail", Label::Email),
    ("courriel", Label::Email),
    ("correo electrónico", Label::Email),
    ("correo", Label::Email),
    ("fax", Label::Other),
    ("address", Label::Other),
    ("adresse", Label::Other),
    ("dirección", Label::Other),
];

/// Words that make a short line a role line, in English, German, French and Spanish.
const ROLE_WORDS: &[&str] = &[
    "engineer",
    "developer",
    "manager",
    "director",
    "head",
    "lead",
    "officer",
    "ceo",
    "cto",
    "cfo",
    "coo",
    "founder",
    "co-founder",
    "partner",
    "designer",
    "professor",
    "lecturer",
    "researcher",
    "scientist",
    "consultant",
    "analyst",
    "architect",
    "editor",
    "writer",
    "coordinator",
    "specialist",
    "assistant",
    "president",
    "chair",
    "associate",
    "student",
    "fellow",
    "advisor",
    "counsel",
    "attorney",
    "lawyer",
    "recruiter",
    "owner",
    "administrator",
    "accountant",
    "producer",
    "photographer",
    "journalist",
    "nurse",
    "physician",
    "teacher",
    "secretary",
    "librarian",
    "leiter",
    "leiterin",
    "geschäftsführer",
    "geschäftsführerin",
    "entwickler",
    "entwicklerin",
    "ingenieur",
    "ingenieurin",
    "berater",
    "beraterin",
    "referent",
    "referentin",
    "inhaber",
    "inhaberin",
    "vorstand",
    "directeur",
    "directrice",
    "responsable",
    "ingénieur",
    "ingénieure",
    "chef",
    "cheffe",
    "chargé",
    "chargée",
    "fondateur",
    "fondatrice",
    "développeur",
    "développeuse",
    "gerente",
    "ingeniero",
    "ingeniera",
    "jefe",
    "jefa",
    "coordinador",
    "coordinadora",
    "directora",
    "fundador",
    "fundadora",
    "desarrollador",
    "desarrolladora",
    "abogado",
    "abogada",
];

/// Words that never appear in a person's name but often in headings.
const NOT_NAME_WORDS: &[&str] = &[
    "about",
    "contact",
    "team",
    "our",
    "us",
    "the",
    "welcome",
    "home",
    "page",
    "not",
    "found",
    "services",
    "products",
    "news",
    "blog",
    "login",
    "sign",
    "join",
    "menu",
    "search",
    "privacy",
    "terms",
    "imprint",
    "impressum",
    "kontakt",
    "über",
    "uns",
    "equipe",
    "équipe",
    "nous",
    "equipo",
    "nosotros",
    "and",
    "und",
    "et",
    "y",
    "for",
    "of",
    "with",
    "in",
    "to",
    "faq",
    "help",
    "careers",
    "jobs",
    "office",
    "offices",
    "support",
    "sales",
    "press",
    "media",
    "events",
    "company",
    "gmbh",
    "inc",
    "ltd",
    "llc",
    "ag",
    "sa",
    "corp",
    "group",
    "studio",
    "solutions",
    "university",
    "department",
    "school",
    "hello",
    "hi",
    "thank",
    "thanks",
    "error",
    "profile",
    "people",
    "staff",
    "leadership",
    "board",
    "management",
    "directors",
    "founders",
    "meet",
];

const HONORIFICS: &[&str] = &[
    "dr", "prof", "mr", "mrs", "ms", "herr", "frau", "mme", "m", "sr", "sra",
];

/// True when `s` reads like a person's name: two to four capitalised words (particles and
/// honorifics allowed), no digits, no heading words.
pub(crate) fn looks_like_name(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 60 || s.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    if s.contains(['@', ':', '|', '/', '?', '!', '©', '&']) || crate::extract::nobody::is_organisation_name(s)
    {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    let core: Vec<&&str> = words
        .iter()
        .filter(|w| !HONORIFICS.contains(&w.trim_end_matches('.').to_lowercase().as_str()))
        .collect();
    if !(2..=4).contains(&core.len()) {
        return false;
    }
    let particles = [
        "van", "von", "der", "den", "de", "del", "la", "le", "da", "di", "du", "bin", "al",
    ];
    core.iter().all(|w| {
        let lower = w.to_lowercase();
        let bare = lower.trim_matches(|c: char| !c.is_alphabetic());
        if NOT_NAME_WORDS.contains(&bare) {
            return false;
        }
        if particles.contains(&bare) {
            return true;
        }
        let first = w.chars().next().unwrap_or(' ');
        first.is_uppercase()
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
    })
}

/// The element's text as lines: block elements and `<br>` break lines. Stops after `max_bytes`
/// of text (the caller rejects such a block anyway), so a name heading whose block is the whole
/// page costs no more than a small block.
fn lines(el: ElementRef<'_>, max_bytes: usize) -> Vec<String> {
    use ego_tree::iter::Edge;
    let mut out = vec![String::new()];
    let mut skip = 0usize;
    let mut total = 0usize;
    for edge in el.traverse() {
        if total > max_bytes {
            break;
        }
        match edge {
            Edge::Open(node) => {
                if let Some(e) = node.value().as_element() {
                    if skip > 0 || matches!(e.name(), "script" | "style" | "template") {
                        skip += 1;
                    } else if is_line_break(e.name()) {
                        out.push(String::new());
                    }
                } else if let Some(t) = node.value().as_text()
                    && skip == 0
                {
                    total += t.len();
                    out.last_mut().expect("never empty").push_str(t);
                }
            }
            Edge::Close(node) => {
                if let Some(e) = node.value().as_element() {
                    if skip > 0 {
                        skip -= 1;
                    } else if is_line_break(e.name()) {
                        out.push(String::new());
                    }
                }
            }
        }
    }
    out.into_iter().filter_map(|l| text::clean(&l)).collect()
}

fn is_line_break(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "br"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "td"
            | "th"
            | "tr"
            | "dd"
            | "dt"
            | "address"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "ul"
            | "ol"
            | "dl"
            | "figcaption"
            | "blockquote"
    )
}

/// A labelled line: its label and value ("Tel.: +49 30 1234" -> (Phone, "+49 30 1234")).
fn labelled(line: &str) -> Option<(Label, String)> {
    let lower = line.to_lowercase();
    for (label, kind) in LABELS {
        if let Some(rest) = lower.strip_prefix(label) {
            let rest_trim = rest.trim_start();
            if let Some(value) = rest_trim.strip_prefix(':').or_else(|| {
                // "Tel. 030 1234" and "Tel +49": a dotted label or a number needs no colon.
                (label.ends_with('.')
                    || (*kind == Label::Phone
                        && rest_trim.starts_with(|c: char| c == '+' || c == '(' || c.is_ascii_digit())))
                .then_some(rest_trim)
            }) {
                // Byte offsets of `lower` and `line` agree when lower-casing kept the lengths.
                let start = line.len() - value.len();
                let original = if lower.len() == line.len() {
                    &line[start..]
                } else {
                    value
                };
                return text::clean(original).map(|v| (*kind, v));
            }
        }
    }
    None
}

fn is_role_line(line: &str) -> bool {
    // A role line is a label, not a sentence: "Head of Research", not "I am a researcher at ...".
    let words = line.split_whitespace().count();
    if line.chars().count() > 80 || words > 10 || labelled(line).is_some() || line.ends_with('.') {
        return false;
    }
    let lower = line.to_lowercase();
    let first = lower.split_whitespace().next().unwrap_or("");
    if matches!(
        first,
        "i" | "i'm" | "i’m" | "we" | "my" | "ich" | "je" | "soy" | "yo" | "hi" | "hello"
    ) {
        return false;
    }
    lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        // German compounds end in their role: "Lehrstuhlinhaberin", "Abteilungsleiter".
        .any(|w| {
            ROLE_WORDS
                .iter()
                .any(|r| w == *r || (r.chars().count() >= 6 && w.ends_with(r)))
        })
}

/// "jane [at] example [dot] org", "jane (at) example (dot) org", "jane{at}example{dot}org".
pub(crate) fn deobfuscate_email(s: &str) -> Option<String> {
    let lower = s.to_lowercase();
    let mut out = lower.clone();
    let mut changed = false;
    for (from, to) in [
        ("[at]", "@"),
        ("(at)", "@"),
        ("{at}", "@"),
        (" at ", "@"),
        ("[dot]", "."),
        ("(dot)", "."),
        ("{dot}", "."),
        (" dot ", "."),
        ("[punkt]", "."),
        ("(punkt)", "."),
        ("[point]", "."),
        ("(point)", "."),
        ("[arroba]", "@"),
        ("(arroba)", "@"),
    ] {
        if out.contains(from) {
            // Bracketed forms only count together with a bracketed "at": " at " alone is prose.
            if (from == " at " || from == " dot ") && !changed {
                continue;
            }
            out = out.replace(from, to);
            changed = true;
        }
    }
    if !changed {
        return None;
    }
    let compact: String = out.split_whitespace().collect();
    // The address is the token around the '@'.
    let at = compact.find('@')?;
    let start = compact[..at]
        .rfind(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+')))
        .map_or(0, |i| i + 1);
    let end = compact[at + 1..]
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-')))
        .map_or(compact.len(), |i| at + 1 + i);
    text::email(compact[start..end].trim_end_matches('.'))
}

/// A block's person, when the block has the shape of one.
/// The block's person and whether it holds labelled lines, when the block has a person's shape.
fn read_block(block: ElementRef<'_>, heading: Option<&str>) -> Option<(Partial, bool)> {
    let lines = lines(block, MAX_BLOCK_CHARS * 4);
    let chars: usize = lines.iter().map(|l| l.chars().count()).sum();
    if chars > MAX_BLOCK_CHARS {
        return None;
    }
    let mut p = Partial::new(Source::Heuristic, CONFIDENCE);
    p.basis = Basis::PageShape;
    p.unsure = true;
    let mut evidence = 0;
    let mut labels = 0;
    let name_at = heading.and_then(|h| lines.iter().position(|l| l == h));
    // A block that names its contact person by label is that person's, whatever its heading says.
    if heading.is_some()
        && lines
            .iter()
            .any(|l| labelled(l).is_some_and(|(k, v)| k == Label::Name && Some(v.as_str()) != heading))
    {
        return None;
    }
    if let Some(h) = heading {
        p.name = Some(h.to_string());
    }
    for (i, line) in lines.iter().enumerate() {
        match labelled(line) {
            Some((Label::Name, v)) if looks_like_name(&v) => {
                labels += 1;
                if p.name.is_none() {
                    p.name = Some(v);
                }
                evidence += 1;
            }
            Some((Label::Title, v)) => {
                labels += 1;
                p.title = p.title.take().or(Some(v));
                evidence += 1;
            }
            Some((Label::Phone, v)) => {
                labels += 1;
                if text::phone(&v).is_some() {
                    p.phones.push((v, None));
                    evidence += 1;
                }
            }
            Some((Label::Email, v)) => {
                labels += 1;
                if let Some(e) = text::email(&v).or_else(|| deobfuscate_email(&v)) {
                    p.emails.push((e, None));
                    evidence += 1;
                }
            }
            _ => {
                if name_at.is_some_and(|n| i == n + 1) && p.title.is_none() && is_role_line(line) {
                    p.title = Some(line.clone());
                    evidence += 1;
                } else if let Some(e) = deobfuscate_email(line) {
                    p.emails.push((e, None));
                    evidence += 1;
                }
            }
        }
    }
    for a in block.select(selector!("a[href]")).take(20) {
        let href = a.attr("href").unwrap_or("").trim();
        if text::strip_prefix_ci(href, "mailto:").is_some() {
            p.emails.push((href.to_string(), None));
            evidence += 1;
        } else if text::strip_prefix_ci(href, "tel:").is_some() {
            p.phones.push((href.to_string(), None));
            evidence += 1;
        }
    }
    (p.name.is_some() && evidence > 0).then_some((p, labels > 0))
}

/// A person block: its element, what it says, whether the page is named after its person, and
/// whether it holds labelled lines.
type Block<'a> = (ElementRef<'a>, Partial, bool, bool);

/// True when the page's title or address names `name` ("Jane Doe – About", "/people/jane-doe").
fn names_page(page: &Page, name: &str) -> bool {
    use crate::extract::contacts::fold;
    let key = fold(name);
    if key.len() < 5 {
        return false;
    }
    let in_title = page.title().is_some_and(|t| fold(&t).contains(&key));
    let in_path = page
        .url
        .as_ref()
        .and_then(|u| u.path_segments().and_then(|mut s| s.next_back().map(fold)))
        .is_some_and(|seg| seg.contains(&key));
    in_title || in_path
}

/// The block a name element leads: the nearest ancestor holding more than the name.
fn block_of<'a>(name_el: ElementRef<'a>, name: &str) -> Option<ElementRef<'a>> {
    let name_len = name.chars().count();
    name_el
        .ancestors()
        .filter_map(ElementRef::wrap)
        .take(4)
        .find(|a| {
            !matches!(a.value().name(), "a" | "span" | "b" | "strong" | "em")
                && crate::extract::dom::raw_text(*a, 64).trim().chars().count() > name_len + 3
        })
}

pub(crate) fn extract(page: &Page) -> Found {
    let mut found = Found::default();
    let mut blocks: Vec<Block<'_>> = Vec::new();
    for el in page
        .doc
        .select(selector!(
            "h1, h2, h3, h4, h5, strong, b, dt, th, p, li, td, dd, div, address"
        ))
        .take(MAX_CANDIDATES)
    {
        if blocks.len() >= MAX_PEOPLE {
            break;
        }
        let is_heading = matches!(
            el.value().name(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "strong" | "b" | "dt" | "th"
        );
        let (block, heading) = if is_heading {
            let Some(name) = crate::extract::dom::clean_text(el) else {
                continue;
            };
            if !looks_like_name(&name) {
                continue;
            }
            let Some(block) = block_of(el, &name) else {
                continue;
            };
            (block, Some(name))
        } else {
            // A "Contact name:" line without a heading: its block is the line's container.
            let own: String = el
                .children()
                .filter_map(|n| n.value().as_text())
                .map(|t| &**t)
                .collect();
            let own = own.trim_start().to_lowercase();
            let starts_with_name_label = LABELS
                .iter()
                .filter(|(_, k)| *k == Label::Name)
                .any(|(l, _)| own.starts_with(l))
                || el
                    .child_elements()
                    .next()
                    .and_then(crate::extract::dom::clean_text)
                    .and_then(|t| labelled(&format!("{t} x")))
                    .is_some_and(|(k, _)| k == Label::Name);
            if !starts_with_name_label {
                continue;
            }
            let Some(block) = el.parent().and_then(ElementRef::wrap) else {
                continue;
            };
            (block, None)
        };
        if blocks.iter().any(|(b, ..)| *b == block) {
            continue;
        }
        if let Some((p, labels)) = read_block(block, heading.as_deref()) {
            let prominent =
                el.value().name() == "h1" || p.name.as_deref().is_some_and(|n| names_page(page, n));
            blocks.push((block, p, prominent, labels));
        }
    }
    // One person found in a block and in its container is one person: keep the inner block.
    let name_key = |p: &Partial| p.name.as_deref().map(crate::extract::contacts::fold);
    let mut kept: Vec<Block<'_>> = Vec::new();
    for (b, p, prominent, labels) in blocks {
        match kept.iter().position(|(_, q, ..)| name_key(q) == name_key(&p)) {
            Some(i) if b.ancestors().any(|a| a.id() == kept[i].0.id()) => {
                kept[i] = (b, p, prominent || kept[i].2, labels || kept[i].3)
            }
            Some(_) => {}
            None => kept.push((b, p, prominent, labels)),
        }
    }
    let blocks = kept;
    let frag = page
        .url
        .as_ref()
        .and_then(|u| u.fragment())
        .filter(|f| !f.is_empty());
    let targeted = frag.and_then(|f| {
        blocks.iter().position(|(b, ..)| {
            b.value().id() == Some(f)
                || b.descendants()
                    .filter_map(ElementRef::wrap)
                    .any(|d| d.value().id() == Some(f))
        })
    });
    // A block is the page's subject when the address picks it, when the page is named after its
    // person (h1, title, address), or when it is the page's only block and a labelled contact
    // block; a lone name and role elsewhere (a testimonial, a quote) is only offered.
    let prominent: Vec<usize> = (0..blocks.len()).filter(|i| blocks[*i].2).collect();
    let subject = targeted.or(match (blocks.as_slice(), prominent.as_slice()) {
        (_, [one]) => Some(*one),
        ([(.., true)], []) => Some(0),
        _ => None,
    });
    for (i, (_, p, ..)) in blocks.into_iter().enumerate() {
        if Some(i) == subject {
            found.push(p);
        } else {
            let mut p = p;
            p.confidence = 0.3;
            p.basis = Basis::Mentioned;
            found.others.push(p);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_parse;
    use scraper::Html;

    fn run(html: &str) -> Found {
        let doc = Html::parse_document(html);
        let page = Page::new(&doc, url_parse::parse("https://example.com/about").ok());
        extract(&page)
    }

    #[test]
    fn names_are_told_from_headings() {
        assert!(looks_like_name("Jane Doe"));
        assert!(looks_like_name("Dr. Anna van der Berg"));
        assert!(looks_like_name("José Álvarez"));
        assert!(!looks_like_name("About Us"));
        assert!(!looks_like_name("Our Team"));
        assert!(!looks_like_name("Page not found"));
        assert!(!looks_like_name("Madonna"));
        assert!(!looks_like_name("Contact 2024"));
        assert!(is_role_line("Head of Research"));
        assert!(is_role_line("Lehrstuhlinhaberin"));
        assert!(!is_role_line("I'm an engineer at Acme and I write about caches."));
    }

    #[test]
    fn obfuscated_addresses() {
        assert_eq!(
            deobfuscate_email("jane [at] example [dot] org").as_deref(),
            Some("jane@example.org")
        );
        assert_eq!(
            deobfuscate_email("Mail: j.doe(at)uni-example(dot)de").as_deref(),
            Some("j.doe@uni-example.de")
        );
        assert_eq!(deobfuscate_email("we meet at noon"), None);
    }

    #[test]
    fn a_block_with_a_role_line_and_labelled_lines() {
        let f = run("<main><div><h2>Jane Doe</h2><p>Head of Research</p>\
            <p>Tel.: +49 30 1234567</p><p>E-Mail: jane [at] example [dot] org</p></div></main>");
        let p = &f.partials[0];
        assert_eq!(p.name.as_deref(), Some("Jane Doe"));
        assert_eq!(p.title.as_deref(), Some("Head of Research"));
        assert_eq!(p.phones[0].0, "+49 30 1234567");
        assert_eq!(p.emails[0].0, "jane@example.org");
        assert!(p.unsure);
    }

    #[test]
    fn a_lone_quote_is_offered_not_taken() {
        let f = run(
            "<main><h1>Robots that share the aisle</h1><section class=\"quote\"><blockquote>It works.</blockquote>\
            <p><strong>Hannah Birkeland</strong><br>Head of Operations, Nordlager</p></section></main>",
        );
        assert!(f.partials.is_empty());
        assert_eq!(f.others[0].name.as_deref(), Some("Hannah Birkeland"));
    }

    #[test]
    fn a_contact_name_label_and_headings_without_evidence() {
        let f = run("<div><p><b>Contact name:</b> Pierre Martin</p><p>Téléphone : 01 23 45 67 89</p></div>");
        assert_eq!(f.partials[0].name.as_deref(), Some("Pierre Martin"));
        let f = run("<div><h2>Grace Hopper</h2><p>Some words about computing history.</p></div>");
        assert!(f.partials.is_empty());
    }
}
