//! What kind of address a person's link is: a profile on a social or professional network, or a
//! web site of their own (and which kind), because Greenhouse files the two in different lists.

use crate::url_parse;

/// Greenhouse's `websites[].type` values that a link's address can tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebsiteKind {
    Personal,
    Portfolio,
    Blog,
}

impl WebsiteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WebsiteKind::Personal => "personal",
            WebsiteKind::Portfolio => "portfolio",
            WebsiteKind::Blog => "blog",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// A profile on a network where people have accounts (LinkedIn, GitHub, X, Mastodon, ...).
    Social,
    Website(WebsiteKind),
}

/// Networks where an address names a person's account. Suffix-matched on the host, so
/// `de.linkedin.com` and `gist.github.com` count too.
const NETWORKS: &[&str] = &[
    "linkedin.com",
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "twitter.com",
    "x.com",
    "facebook.com",
    "instagram.com",
    "threads.net",
    "bsky.app",
    "mastodon.social",
    "fosstodon.org",
    "hachyderm.io",
    "stackoverflow.com",
    "stackexchange.com",
    "dribbble.com",
    "behance.net",
    "xing.com",
    "wellfound.com",
    "angel.co",
    "youtube.com",
    "tiktok.com",
    "twitch.tv",
    "reddit.com",
    "keybase.io",
    "kaggle.com",
    "researchgate.net",
    "orcid.org",
    "scholar.google.com",
    "medium.com",
    "dev.to",
    "hashnode.com",
    "producthunt.com",
    "pinterest.com",
    "vimeo.com",
    "soundcloud.com",
];

/// Blog hosts where the address is the person's own blog rather than a network profile.
const BLOG_HOSTS: &[&str] = &[
    "substack.com",
    "wordpress.com",
    "blogspot.com",
    "ghost.io",
    "tumblr.com",
];

/// Classifies a link by its address alone; anything unreadable counts as a personal site, the
/// type Greenhouse's docs use for a site of one's own.
pub fn classify(link: &str) -> LinkKind {
    let Ok(url) = url_parse::parse(link.trim()) else {
        return LinkKind::Website(WebsiteKind::Personal);
    };
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let under = |site: &&str| host == *site || host.ends_with(&format!(".{site}"));
    if BLOG_HOSTS.iter().any(under) {
        return LinkKind::Website(WebsiteKind::Blog);
    }
    // A fediverse profile on any instance is an account: `/@name` is how they are addressed.
    if NETWORKS.iter().any(under) || url.path().starts_with("/@") {
        return LinkKind::Social;
    }
    let path = url.path().to_ascii_lowercase();
    let first = host.split('.').next().unwrap_or("");
    let says = |word: &str| first == word || path.split('/').any(|segment| segment == word);
    if says("blog") || says("posts") || first == "writing" {
        LinkKind::Website(WebsiteKind::Blog)
    } else if says("portfolio") || says("work") || says("projects") {
        LinkKind::Website(WebsiteKind::Portfolio)
    } else {
        LinkKind::Website(WebsiteKind::Personal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_profiles_are_social_and_own_sites_are_typed() {
        for social in [
            "https://www.linkedin.com/in/ada",
            "https://de.linkedin.com/in/ada",
            "https://github.com/ada",
            "https://x.com/ada",
            "https://mastodon.example/@ada",
            "https://dribbble.com/ada",
        ] {
            assert_eq!(classify(social), LinkKind::Social, "{social}");
        }
        let site = |kind| LinkKind::Website(kind);
        assert_eq!(classify("https://ada.dev/"), site(WebsiteKind::Personal));
        assert_eq!(classify("https://ada.dev/blog/"), site(WebsiteKind::Blog));
        assert_eq!(classify("https://blog.ada.dev/"), site(WebsiteKind::Blog));
        assert_eq!(classify("https://ada.substack.com/"), site(WebsiteKind::Blog));
        assert_eq!(
            classify("https://ada.dev/portfolio"),
            site(WebsiteKind::Portfolio)
        );
        assert_eq!(classify("not a url"), site(WebsiteKind::Personal));
        // A look-alike host is not the network.
        assert_eq!(classify("https://notgithub.com/ada"), site(WebsiteKind::Personal));
    }
}
