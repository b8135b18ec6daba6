//! Design portfolios: Dribbble and Behance profile headers (name, location, personal links).

use crate::extract::dom::{Page, selector};
use crate::extract::{Adapter, Found};

use super::{apply_headline, from_selectors, links_in};

pub(super) fn dribbble(page: &Page) -> Found {
    let mut found = Found::default();
    let mut p = from_selectors(
        page,
        Adapter::Dribbble,
        0.8,
        selector!(".profile-masthead .masthead-profile-name, h1.masthead-profile-name"),
        None,
        Some(selector!(
            ".profile-masthead .masthead-profile-locality, .masthead-profile-locality"
        )),
    );
    p.title = page.first_text(selector!(".profile-masthead .masthead-profile-specializations"));
    p.links = links_in(
        page,
        selector!(".profile-info-section .social-links-list a[href]"),
    );
    found.push(p);
    found
}

pub(super) fn behance(page: &Page) -> Found {
    let mut found = Found::default();
    let mut p = from_selectors(
        page,
        Adapter::Behance,
        0.8,
        selector!("[class*=ProfileCard-userFullName]"),
        None,
        Some(selector!(
            "[class*=ProfileCard-userLocation], [class*=ProfileCard-location]"
        )),
    );
    apply_headline(
        &mut p,
        page.first_text(selector!(
            "[class*=ProfileCard-occupation], [class*=ProfileCard-line]"
        ))
        .as_deref(),
    );
    p.links = links_in(
        page,
        selector!("[class*=ProfileSocialLinks] a[href], [class*=UserInfo-socialLinks] a[href]"),
    );
    found.push(p);
    found
}
