//! The extraction result: every value says where it came from and how far to trust it, and maps to the contract.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::candidate::{PartnerCandidate, SocialMediaAddress, TypedValue};
use crate::extract::names;

/// Site adapters, named as they appear in `site_adapter:<name>` sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Adapter {
    Linkedin,
    Github,
    X,
    StackOverflow,
    Mastodon,
    Bluesky,
    Xing,
    Wellfound,
    Dribbble,
    Behance,
    Generic,
}

impl Adapter {
    const ALL: [Adapter; 11] = [
        Adapter::Linkedin,
        Adapter::Github,
        Adapter::X,
        Adapter::StackOverflow,
        Adapter::Mastodon,
        Adapter::Bluesky,
        Adapter::Xing,
        Adapter::Wellfound,
        Adapter::Dribbble,
        Adapter::Behance,
        Adapter::Generic,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Adapter::Linkedin => "linkedin",
            Adapter::Github => "github",
            Adapter::X => "x",
            Adapter::StackOverflow => "stack_overflow",
            Adapter::Mastodon => "mastodon",
            Adapter::Bluesky => "bluesky",
            Adapter::Xing => "xing",
            Adapter::Wellfound => "wellfound",
            Adapter::Dribbble => "dribbble",
            Adapter::Behance => "behance",
            Adapter::Generic => "generic",
        }
    }
}

/// Where a value was read. Serialized as snake_case strings; adapters as `site_adapter:<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    JsonLd,
    Microdata,
    HCard,
    RelMe,
    OpenGraph,
    Meta,
    Mailto,
    Tel,
    Title,
    PageUrl,
    Heuristic,
    Rdfa,
    /// The page's author (JSON-LD `author`, `rel=author`, `meta name=author`, `p-author`, byline).
    Author,
    SiteAdapter(Adapter),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Source::JsonLd => "json_ld",
            Source::Microdata => "microdata",
            Source::HCard => "h_card",
            Source::RelMe => "rel_me",
            Source::OpenGraph => "open_graph",
            Source::Meta => "meta",
            Source::Mailto => "mailto",
            Source::Tel => "tel",
            Source::Title => "title",
            Source::PageUrl => "page_url",
            Source::Heuristic => "heuristic",
            Source::Rdfa => "rdfa",
            Source::Author => "author_of_page",
            Source::SiteAdapter(a) => return write!(f, "site_adapter:{}", a.name()),
        };
        f.write_str(s)
    }
}

impl FromStr for Source {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "json_ld" => Source::JsonLd,
            "microdata" => Source::Microdata,
            "h_card" => Source::HCard,
            "rel_me" => Source::RelMe,
            "open_graph" => Source::OpenGraph,
            "meta" => Source::Meta,
            "mailto" => Source::Mailto,
            "tel" => Source::Tel,
            "title" => Source::Title,
            "page_url" => Source::PageUrl,
            "heuristic" => Source::Heuristic,
            "rdfa" => Source::Rdfa,
            "author_of_page" => Source::Author,
            other => {
                let name = other
                    .strip_prefix("site_adapter:")
                    .ok_or_else(|| format!("unknown source {other:?}"))?;
                let adapter = Adapter::ALL
                    .into_iter()
                    .find(|a| a.name() == name)
                    .ok_or_else(|| format!("unknown site adapter {name:?}"))?;
                Source::SiteAdapter(adapter)
            }
        })
    }
}

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// One value with its provenance. `kind` is the contract's type for emails and phones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub source: Source,
    /// 0.0 to 1.0: how likely the value is right for the page's subject.
    pub confidence: f64,
    /// The engine is not sure the value is the person's (found by shape, a page-wide contact
    /// link, a role inbox): offer it unticked rather than prefilled.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unsure: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Why the engine took a person: the subject's and each other person's evidence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The page is about this person: its structured data, its address, their own site.
    #[default]
    Profile,
    /// The author of the article or post the page is.
    AuthorOfPage,
    /// Found from the shape of a block of unmarked text: a guess.
    PageShape,
    /// Listed on the page: a team member, a co-author, someone the subject knows.
    Mentioned,
}

/// A reason the engine names nobody, or wants its choice checked. The words are the page's to
/// say (from its locale files); `Display` is English for the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The page is an organisation's: a company, band, channel, studio or team account.
    OrganisationPage,
    /// A "not found" or other error page.
    ErrorPage,
    /// A sign-up or sign-in wall instead of the profile.
    SignInWall,
    /// `og:type=profile` and nothing else that names a person.
    ProfileTypeOnly,
    /// Several people and none of them is the page's subject.
    SeveralPeople,
    /// The subject was found without markup, from the shape of the text.
    FoundByShape,
    /// The page is an article or post: its author was taken.
    AuthorOfPage,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::OrganisationPage => "the page is an organisation's, not a person's",
            Reason::ErrorPage => "the page is an error page",
            Reason::SignInWall => "the page is a sign-in or sign-up wall",
            Reason::ProfileTypeOnly => "the page calls itself a profile but names no person",
            Reason::SeveralPeople => "several people on the page and none is its subject",
            Reason::FoundByShape => "found without markup: check the values",
            Reason::AuthorOfPage => "the author of this page",
        })
    }
}

/// The person a page is about, as far as the page says.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Canonical profile URL (see `canonical_profile_url`); empty when the page URL was unusable.
    pub profile_url: String,
    /// Deterministic id derived from `profile_url` (see the module header of `extract`).
    pub external_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Field>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<Field>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<Field>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Field>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<Field>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Field>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<Field>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Field>,
    /// Profile, social and personal-site URLs, the profile page itself first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Field>,
    /// Why something was left out or cut short (input too large, several people, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The headline or summary line, when it says more than the title (LinkedIn's headline):
    /// a note the recruiter may send along.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Field>,
    /// Why this person was taken.
    #[serde(default, skip_serializing_if = "is_profile_basis")]
    pub basis: Basis,
    /// Reasons to name nobody or to check the choice, for the page to put into words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
    /// The other people found on the page, most likely first, each with its own `basis` and
    /// sources ("Not this person?"). Empty on the others themselves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub others: Vec<Profile>,
}

fn is_profile_basis(b: &Basis) -> bool {
    *b == Basis::Profile
}

impl Profile {
    /// True when the page named nobody and offered no way to reach anybody.
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.first_name.is_none()
            && self.last_name.is_none()
            && self.emails.is_empty()
            && self.phones.is_empty()
    }

    /// The contract's candidate. First/last come from the split fields, else from splitting `name`.
    pub fn to_candidate(&self) -> PartnerCandidate {
        let value = |f: &Option<Field>| f.as_ref().map(|f| f.value.clone());
        let (mut first, mut last) = (
            value(&self.first_name).unwrap_or_default(),
            value(&self.last_name).unwrap_or_default(),
        );
        if first.is_empty()
            && last.is_empty()
            && let Some(name) = &self.name
        {
            // The extractor cleaned the name (merge.rs); its entities are text now.
            let split = names::split_cleaned(&name.value);
            (first, last) = (split.first, split.last);
        }
        let typed = |fields: &[Field]| {
            fields
                .iter()
                .map(|f| TypedValue {
                    value: f.value.clone(),
                    kind: f.kind.clone(),
                })
                .collect()
        };
        PartnerCandidate {
            external_id: self.external_id.clone(),
            first_name: first,
            last_name: last,
            company: value(&self.company),
            title: value(&self.title),
            emails: typed(&self.emails),
            phone_numbers: typed(&self.phones),
            social_media_addresses: self
                .links
                .iter()
                .map(|f| SocialMediaAddress {
                    value: f.value.clone(),
                })
                .collect(),
            ..Default::default()
        }
    }

    /// Source and confidence per candidate field, for showing (and testing) where values came from.
    pub fn provenance(&self) -> serde_json::Value {
        use serde_json::{Map, Value, json};
        let one = |f: &Field| {
            let mut v = json!({"value": f.value, "source": f.source, "confidence": f.confidence});
            if f.unsure {
                v["unsure"] = json!(true);
            }
            v
        };
        let mut map = Map::new();
        for (key, field) in [
            ("name", &self.name),
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
            ("title", &self.title),
            ("company", &self.company),
            ("location", &self.location),
            ("note", &self.note),
        ] {
            if let Some(f) = field {
                map.insert(key.into(), one(f));
            }
        }
        for (key, fields) in [
            ("emails", &self.emails),
            ("phone_numbers", &self.phones),
            ("social_media_addresses", &self.links),
        ] {
            if !fields.is_empty() {
                map.insert(key.into(), Value::Array(fields.iter().map(one).collect()));
            }
        }
        if !self.warnings.is_empty() {
            map.insert("warnings".into(), json!(self.warnings));
        }
        if self.basis != Basis::Profile {
            map.insert("basis".into(), json!(self.basis));
        }
        if !self.reasons.is_empty() {
            map.insert("reasons".into(), json!(self.reasons));
        }
        if !self.others.is_empty() {
            let others = self
                .others
                .iter()
                .map(|o| {
                    let mut v = o.provenance();
                    v["profile_url"] = json!(o.profile_url);
                    v
                })
                .collect();
            map.insert("others".into(), Value::Array(others));
        }
        Value::Object(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_round_trip_as_snake_case_strings() {
        for s in [
            Source::JsonLd,
            Source::HCard,
            Source::OpenGraph,
            Source::SiteAdapter(Adapter::StackOverflow),
        ] {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(serde_json::from_str::<Source>(&json).unwrap(), s);
        }
        assert_eq!(
            serde_json::to_string(&Source::SiteAdapter(Adapter::Linkedin)).unwrap(),
            "\"site_adapter:linkedin\""
        );
        assert!("site_adapter:myspace".parse::<Source>().is_err());
    }

    #[test]
    fn profiles_from_before_the_new_fields_still_read_and_new_ones_round_trip() {
        let old = r#"{"profile_url":"https://x.com/jane","external_id":"sprout-1","name":{"value":"Jane Doe","source":"json_ld","confidence":0.9}}"#;
        let p: Profile = serde_json::from_str(old).unwrap();
        assert_eq!((p.basis, p.others.len(), p.reasons.len()), (Basis::Profile, 0, 0));
        assert!(!p.name.as_ref().unwrap().unsure);
        let mut other = p.clone();
        other.basis = Basis::AuthorOfPage;
        other.name.as_mut().unwrap().unsure = true;
        let mut new = p.clone();
        new.others.push(other);
        new.reasons.push(Reason::SeveralPeople);
        let json = serde_json::to_string(&new).unwrap();
        assert!(
            json.contains(r#""basis":"author_of_page""#) && json.contains(r#""reasons":["several_people"]"#)
        );
        assert_eq!(serde_json::from_str::<Profile>(&json).unwrap(), new);
        // Defaults stay off the wire, so older readers see what they always saw.
        assert!(!serde_json::to_string(&p).unwrap().contains("basis"));
    }

    /// A profile holding only a name, as the title layer finds one.
    fn named(value: &str) -> Profile {
        Profile {
            name: Some(Field {
                value: value.into(),
                kind: None,
                source: Source::Title,
                confidence: 0.5,
                unsure: false,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn candidate_falls_back_to_splitting_the_full_name() {
        let p = Profile {
            external_id: "sprout-x".into(),
            ..named("Ada King Lovelace")
        };
        let c = p.to_candidate();
        assert_eq!(
            (c.first_name.as_str(), c.last_name.as_str()),
            ("Ada King", "Lovelace")
        );
        assert_eq!(c.external_id, "sprout-x");
    }

    #[test]
    fn candidate_splits_the_name_as_the_extractor_cleaned_it() {
        // The page wrote "Tom &amp;amp; Jerry": extraction decoded it once, to literal text.
        let c = named("Tom &amp; Jerry").to_candidate();
        assert_eq!(
            (c.first_name.as_str(), c.last_name.as_str()),
            ("Tom &amp;", "Jerry")
        );
    }
}
