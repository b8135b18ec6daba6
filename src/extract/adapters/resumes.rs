//! Career and Q&A sites: Stack Overflow user pages, Xing and Wellfound profiles. Their titles
//! name the person reliably; the header selectors add location and headline.

use crate::extract::dom::{Page, selector};
use crate::extract::{Adapter, Found};

use super::{apply_headline, from_selectors, name_title_company, title_parts};

pub(super) fn stack_overflow(page: &Page) -> Found {
    let mut found = Found::default();
    let mut p = from_selectors(
        page,
        Adapter::StackOverflow,
        0.8,
        selector!("#mainbar-full .fs-headline2, #user-card .fs-headline2"),
        Some(selector!("#mainbar-full .fs-headline2 ~ .fs-title")),
        Some(selector!(
            "#mainbar-full [data-testid=user-location], #mainbar-full .wmx2.truncate"
        )),
    );
    if p.name.is_none() {
        // "User Jane Doe - Stack Overflow"
        p.name = title_parts(page, &[" - Stack Overflow"])
            .and_then(|parts| parts.first().cloned())
            .map(|n| n.strip_prefix("User ").unwrap_or(&n).to_string());
        p.confidence = 0.6;
    }
    found.push(p);
    found
}

pub(super) fn xing(page: &Page) -> Found {
    let mut found = Found::default();
    let mut p = from_selectors(
        page,
        Adapter::Xing,
        0.8,
        selector!("main [data-testid=profile-header] h1, main h1[data-xds=Headline]"),
        None,
        Some(selector!(
            "main [data-testid=profile-header] [data-testid=location]"
        )),
    );
    apply_headline(
        &mut p,
        page.first_text(selector!(
            "main [data-testid=profile-header] [data-testid=occupation]"
        ))
        .as_deref(),
    );
    found.push(p);
    found.push(name_title_company(page, &[" | XING", " - XING"]));
    found
}

pub(super) fn wellfound(page: &Page) -> Found {
    let mut found = Found::default();
    let mut p = from_selectors(
        page,
        Adapter::Wellfound,
        0.8,
        selector!("main [data-test=ProfileHeader] h1, main h1"),
        None,
        Some(selector!("main [data-test=ProfileHeader] [data-test=Location]")),
    );
    apply_headline(
        &mut p,
        page.first_text(selector!("main [data-test=ProfileHeader] [data-test=Headline]"))
            .as_deref(),
    );
    found.push(p);
    found
}
