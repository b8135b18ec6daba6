//! The one check, shared by the fixture, microformats and RDFa suites, that the reader's reduced view
//! of a page, stripped by the extractor (`extract_view`), gives exactly the Profile the whole page gives.

use sprout::extract;
use std::fs;
use std::path::PathBuf;

/// Asserts it on every `(page, url)`; `what` names the pages in the printed count.
pub fn assert_view_gives_the_page_profile(pages: impl IntoIterator<Item = (PathBuf, String)>, what: &str) {
    let (mut same, mut differ) = (0, Vec::new());
    for (page, url) in pages {
        let html = fs::read_to_string(&page).unwrap();
        let (view, _) = sprout::page_view::reduce(&html);
        if extract::extract_view(&view, &url) == extract::extract(&html, &url) {
            same += 1;
        } else {
            differ.push(page.display().to_string());
        }
    }
    println!(
        "reduced view = whole page on {same} of {} {what}",
        same + differ.len()
    );
    assert!(
        same > 0 && differ.is_empty(),
        "the view changes the Profile of: {differ:#?}"
    );
}
