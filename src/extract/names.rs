//! Splits a display name into the contract's first and last name, across naming cultures.
//!
//! Rules, in order: honorifics ("Dr.", "Prof.") and suffixes ("Jr.", "PhD") are dropped;
//! nicknames in quotes or parentheses are dropped; "Last, First" is turned around; names written
//! only in CJK scripts are family-name first (space-separated, or by known surname lengths);
//! an all-capitals first word of a two-word name ("DUPONT Jean") is the family name; otherwise
//! the last word is the family name, together with any particles before it ("van der", "de la",
//! "bin"), and the rest is the first name (so middle names stay with the first name).

use crate::extract::text;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SplitName {
    pub first: String,
    pub last: String,
}

const PREFIXES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "rev",
    "herr",
    "frau",
    "mme",
    "mlle",
    "m",
    "sr",
    "sra",
    "srta",
    "dott",
    "ing",
    "mag",
];

const SUFFIXES: &[&str] = &[
    "jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "mba", "msc", "bsc", "ba", "ma", "esq", "cpa", "pe",
    "pmp", "dds", "rn", "obe", "mbe", "cbe", "frs", "jd", "llm", "dphil", "cfa",
];

/// Lower-case words that belong to the family name that follows them.
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "do", "du", "la", "le",
    "ter", "ten", "zu", "bin", "binti", "ibn", "al", "el", "y", "mac", "st", "st.",
];

/// Two-character family names in Chinese and Korean; everything else takes one character.
const COMPOUND_CJK_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯", "歐陽",
    "諸葛", "東方", "남궁", "황보", "선우", "제갈", "독고",
];

fn bare(word: &str) -> String {
    word.trim_matches(|c: char| c == '.' || c == ',').to_lowercase()
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' |
        '\u{f900}'..='\u{faff}' | '\u{ac00}'..='\u{d7af}' | '\u{1100}'..='\u{11ff}' | '\u{3005}')
}

/// Drops "(Bob)", "\"Bob\"", "“Bob”" and similar nickname insertions.
fn drop_nicknames(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut closing: Option<char> = None;
    for c in s.chars() {
        match closing {
            Some(end) if c == end => closing = None,
            Some(_) => {}
            None => match c {
                '(' => closing = Some(')'),
                '"' => closing = Some('"'),
                '“' => closing = Some('”'),
                '«' => closing = Some('»'),
                '[' => closing = Some(']'),
                _ => out.push(c),
            },
        }
    }
    out
}

/// Sites whose name follows a person's name in titles ("Jane Doe on X", "Jane Doe | LinkedIn").
const SITE_WORDS: &[&str] = &[
    "x",
    "twitter",
    "linkedin",
    "github",
    "instagram",
    "facebook",
    "mastodon",
    "bluesky",
    "threads",
    "tiktok",
    "youtube",
    "medium",
    "substack",
    "xing",
    "dribbble",
    "behance",
    "profile",
    "profil",
    "perfil",
    "home",
    "homepage",
    "website",
    "blog",
];

fn is_decoration(c: char) -> bool {
    matches!(c,
        '\u{1f000}'..='\u{1faff}' | '\u{2600}'..='\u{27bf}' | '\u{2b00}'..='\u{2bff}' |
        '\u{fe00}'..='\u{fe0f}' | '\u{200d}' | '\u{20e3}' | '\u{e0020}'..='\u{e007f}' |
        '\u{2190}'..='\u{21ff}' | '\u{2300}'..='\u{23ff}' | '\u{25a0}'..='\u{25ff}')
}

/// A display name without what sites and people decorate it with: emoji, "(@handle)",
/// "(she/her)", "on X", "| LinkedIn", "– Profile". `None` when nothing of a name is left.
pub fn strip_decorations(name: &str) -> Option<String> {
    let mut s: String = name.chars().filter(|c| !is_decoration(*c)).collect();
    // Parentheses holding a handle or pronouns.
    while let Some(open) = s.find('(') {
        let Some(close) = s[open..].find(')').map(|c| open + c) else {
            break;
        };
        let inner = &s[open + 1..close];
        if inner.contains('@') || inner.contains('/') {
            s.replace_range(open..=close, " ");
        } else {
            break;
        }
    }
    // A title's separators: the name is what comes before.
    for sep in [" | ", " – ", " — ", " - ", " · ", " • ", " :: ", " / "] {
        if let Some(i) = s.find(sep) {
            s.truncate(i);
        }
    }
    // "Jane Doe on X", "Jane Doe auf LinkedIn", "Jane Doe sur Instagram".
    for on in [" on ", " auf ", " sur ", " en "] {
        if let Some(i) = s.to_lowercase().rfind(on)
            && SITE_WORDS.contains(&s[i + on.len()..].trim().to_lowercase().as_str())
        {
            s.truncate(i);
        }
    }
    let s = s.trim().trim_start_matches('@').trim();
    let s = s.trim_end_matches([',', '|', '-', '–', ':']).trim();
    text::clean(s)
}

/// True for a handle rather than a name: "@jane", "jane_doe", "jdoe42", "jane.doe".
pub fn is_handle(s: &str) -> bool {
    let s = s.trim();
    s.starts_with('@')
        || (!s.contains(' ') && s.chars().any(|c| c.is_ascii_digit() || matches!(c, '_' | '.'))
            || (!s.contains(' ')
                && s.chars().all(|c| !c.is_uppercase())
                && s.chars().any(char::is_alphabetic)))
}

/// Splits `full` into first and last name. See the module header for the rules.
pub fn split(full: &str) -> SplitName {
    text::clean(full).map_or_else(SplitName::default, |cleaned| split_cleaned(&cleaned))
}

/// `split` for text that `text::clean` already cleaned, such as a `Profile`'s name: cleaning it
/// again would decode its entities a second time ("AT&amp;T" written as "AT&amp;amp;T"), and would
/// link the entity table into the popup, which splits names but never reads markup.
pub fn split_cleaned(cleaned: &str) -> SplitName {
    if cleaned.trim().is_empty() {
        return SplitName::default();
    }
    let without_nick = drop_nicknames(cleaned);
    let mut s = without_nick.trim().to_string();
    if s.is_empty() {
        s = cleaned.to_string();
    }

    // "Doe, Jane" (but not "Jane Doe, PhD").
    let mut parts: Vec<&str> = s.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    parts.retain(|p| {
        let words: Vec<&str> = p.split_whitespace().collect();
        !(words.iter().all(|w| SUFFIXES.contains(&bare(w).as_str())))
    });
    let reordered;
    let s = match parts.as_slice() {
        [last, first] => {
            reordered = format!("{first} {last}");
            reordered.as_str()
        }
        [single, ..] => single,
        [] => return SplitName::default(),
    };

    let all_cjk = s
        .chars()
        .all(|c| is_cjk(c) || c.is_whitespace() || c == '・' || c == '·');
    if all_cjk {
        return split_cjk(s);
    }

    let mut words: Vec<&str> = s.split_whitespace().collect();
    while words.len() > 1 && PREFIXES.contains(&bare(words[0]).as_str()) {
        words.remove(0);
    }
    while words.len() > 1 && SUFFIXES.contains(&bare(words[words.len() - 1]).as_str()) {
        words.pop();
    }
    match words.as_slice() {
        [] => SplitName::default(),
        [one] => SplitName {
            first: (*one).to_string(),
            last: String::new(),
        },
        // "DUPONT Jean": only a two-word name reads family-first from its capitals; in a longer
        // one ("MARIA José Silva") capitals are emphasis, not proof of a surname.
        [head, given] if is_shouted(head) && !is_shouted(given) => SplitName {
            first: (*given).to_string(),
            last: (*head).to_string(),
        },
        _ => {
            let mut start = words.len() - 1;
            while start > 1 && PARTICLES.contains(&words[start - 1].to_lowercase().as_str()) {
                start -= 1;
            }
            SplitName {
                first: words[..start].join(" "),
                last: words[start..].join(" "),
            }
        }
    }
}

/// "DUPONT": a capitalised family name, as written in French and some Asian Latin-script names.
fn is_shouted(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    // Three letters at least: "AJ Smith" is initials, not a family name.
    letters.len() > 2 && letters.iter().all(|c| c.is_uppercase())
}

fn split_cjk(s: &str) -> SplitName {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == '・' || c == '·')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() >= 2 {
        return SplitName {
            first: words[1..].join(""),
            last: words[0].to_string(),
        };
    }
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() < 2 {
        return SplitName {
            first: chars.iter().collect(),
            last: String::new(),
        };
    }
    let two: String = chars[..2].iter().collect();
    // Four-character Han names without a compound surname are usually Japanese 2+2.
    let family_len = if COMPOUND_CJK_SURNAMES.contains(&two.as_str()) || chars.len() == 4 {
        2
    } else {
        1
    };
    SplitName {
        first: chars[family_len..].iter().collect(),
        last: chars[..family_len].iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(full: &str, first: &str, last: &str) {
        let want = SplitName {
            first: first.into(),
            last: last.into(),
        };
        assert_eq!(split(full), want, "{full}");
        // Cleaned once, as a Profile's name is, it splits the same without cleaning again.
        let cleaned = text::clean(full).unwrap_or_default();
        assert_eq!(split_cleaned(&cleaned), want, "{full} cleaned");
    }

    #[test]
    fn western_names_with_middle_names_prefixes_and_suffixes() {
        check("Jane Doe", "Jane", "Doe");
        check("Jane Mary Doe", "Jane Mary", "Doe");
        check("Dr. Jane Doe, PhD", "Jane", "Doe");
        check("Prof. Dr. Erika Mustermann", "Erika", "Mustermann");
        check("John Q. Public Jr.", "John Q.", "Public");
        check("Martin Luther King III", "Martin Luther", "King");
        check("Madonna", "Madonna", "");
    }

    #[test]
    fn particles_stay_with_the_family_name() {
        check("Ludwig van Beethoven", "Ludwig", "van Beethoven");
        check("Anna van der Berg", "Anna", "van der Berg");
        check("María de la Cruz", "María", "de la Cruz");
        check("Ursula von der Leyen", "Ursula", "von der Leyen");
        check("Leonardo da Vinci", "Leonardo", "da Vinci");
        check("Ahmad bin Yusof", "Ahmad", "bin Yusof");
        check("Van Morrison", "Van", "Morrison");
    }

    #[test]
    fn nicknames_and_reversed_order() {
        check("Robert \"Bob\" Smith", "Robert", "Smith");
        check("Katherine (Kate) O'Neil", "Katherine", "O'Neil");
        check("Doe, Jane", "Jane", "Doe");
        check("Doe, Jane Marie", "Jane Marie", "Doe");
        check("DUPONT Jean-Pierre", "Jean-Pierre", "DUPONT");
        check("MARIA José Silva", "MARIA José", "Silva");
    }

    #[test]
    fn cjk_family_name_first() {
        check("王小明", "小明", "王");
        check("欧阳娜娜", "娜娜", "欧阳");
        check("山田 太郎", "太郎", "山田");
        check("山田太郎", "太郎", "山田");
        check("김민준", "민준", "김");
        check("남궁민수", "민수", "남궁");
    }

    #[test]
    fn decorations_and_handles() {
        let d = |s: &str| strip_decorations(s).unwrap_or_default();
        assert_eq!(d("Jane Doe 🚀✨"), "Jane Doe");
        assert_eq!(d("Jane Doe (@janedoe) on X"), "Jane Doe");
        assert_eq!(d("Jane Doe (she/her) | LinkedIn"), "Jane Doe");
        assert_eq!(d("Jane Doe – Profile"), "Jane Doe");
        assert_eq!(d("Jane Doe (@jane) / X"), "Jane Doe");
        assert_eq!(d("Jane Doe - Staff Engineer - Acme | LinkedIn"), "Jane Doe");
        assert_eq!(d("Jean-Pierre Dupont"), "Jean-Pierre Dupont");
        assert!(is_handle("@jane") && is_handle("jane_doe") && is_handle("jdoe"));
        assert!(!is_handle("Jane Doe") && !is_handle("Madonna"));
    }

    #[test]
    fn other_scripts_split_on_words() {
        check("Олена Коваленко", "Олена", "Коваленко");
        check("محمد الأحمد", "محمد", "الأحمد");
        check("Kwame Nkrumah", "Kwame", "Nkrumah");
        check("AJ Smith", "AJ", "Smith");
    }
}
