//! Reading the recruiter's page without trusting it to cooperate: how much of it the content script
//! copies out ([`crate::page_view`]), how long the popup waits for it, what the popup has when it
//! stops waiting, and the identity of a person typed by hand when the page gave none.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use crate::api::Sleeper;
use crate::candidate::PartnerCandidate;
use crate::extract::text::MAX_TEXT_CHARS;
use crate::extract::urls::{self, MAX_URL_CHARS};
use crate::extract::{MAX_INPUT_BYTES, Profile, canonical_profile_url};
use crate::protocol::{ContentToPopup, ExtractedPage};

/// How long the popup waits for the page. The injected script runs on the page's main thread, so a
/// page that keeps that thread busy never answers; past this the recruiter types the person in.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// The most of the page's view ([`crate::page_view`]) the content script copies, in UTF-16 code
/// units, when one element copied whole takes it past [`crate::page_view::ENOUGH_UNITS`]. The
/// extractor reads at most [`MAX_INPUT_BYTES`] bytes and every unit is at least one byte, so one
/// unit more reads exactly as the whole page would (its "too large" warning included), while a
/// page of a gigabyte costs no more than one of 64 MB.
pub const MAX_HTML_UNITS: u32 = MAX_INPUT_BYTES as u32 + 1;

/// The most of the page's address copied. One unit more than the extractor keeps
/// ([`MAX_URL_CHARS`]), so an address too long to use stays too long, and is ignored as before,
/// instead of becoming a shorter, different address for the person's identity.
pub const MAX_URL_UNITS: u32 = MAX_URL_CHARS as u32 + 1;

/// The most of the page's title copied; it is only shown, and no longer than any text Sprout keeps.
pub const MAX_TITLE_UNITS: u32 = MAX_TEXT_CHARS as u32;

/// What the popup has from the page once it stops waiting.
#[derive(Debug, Clone, PartialEq)]
pub enum PageAnswer {
    /// The content script's view of the page, extracted; the form starts with its person.
    Read(Box<ExtractedPage>),
    /// The browser refused to run the script there, or the script failed: why, in words. The form
    /// starts empty.
    Unreadable(String),
    /// No answer within [`READ_TIMEOUT`]: the page is too busy to run the script. The form starts
    /// with [`address_only`], and whatever the script returns later is dropped, so it never
    /// overwrites typing.
    Busy,
}

/// What the form starts with when the page did not answer: nobody, but the identity the page's
/// address (which the browser knows without the page) gives on its own, so a person typed by hand
/// can be sent and found again. On a known site that is the id a full read gives; elsewhere a full
/// read may prefer what the page declares (`rel=me`, its canonical link), which is not to be had.
pub fn address_only(url: &str) -> Profile {
    match canonical_profile_url(url) {
        Some(profile_url) => Profile {
            external_id: urls::external_id_for(&profile_url),
            profile_url,
            ..Profile::default()
        },
        None => Profile::default(),
    }
}

/// The `external_id` of a person typed by hand when the page gave none (the browser let no
/// extension read it, or it has no http(s) address): from what was typed, so the same person typed
/// again gets the same id and the duplicate check finds them. In order: the first web address
/// among the links, as its canonical profile URL (a LinkedIn address typed by hand gives the id its
/// page gives); else the first email address, lower-cased (`mailto:` + it, hashed); else the name,
/// lower-cased with its spaces folded (`name:` + first + space + last, hashed: two people of one
/// name typed with nothing else share it, and the duplicate check then asks before sending).
/// Empty when nothing usable was typed.
pub fn typed_external_id(person: &PartnerCandidate) -> String {
    let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if let Some(url) = person
        .social_media_addresses
        .iter()
        .find_map(|link| canonical_profile_url(link.value.trim()))
    {
        return urls::external_id_for(&url);
    }
    if let Some(email) = person
        .emails
        .iter()
        .map(|e| fold(&e.value))
        .find(|e| e.contains('@'))
    {
        return urls::external_id_for(&format!("mailto:{email}"));
    }
    let name = fold(&format!("{} {}", person.first_name, person.last_name));
    if name.is_empty() {
        return String::new();
    }
    urls::external_id_for(&format!("name:{name}"))
}

/// The person in the content script's view, the extraction timed on `clock` (milliseconds) into
/// the view's timings. The extractor's wasm runs it as soon as both the view and that wasm are
/// there, before the popup's own wasm may have loaded.
///
/// A view the reader cut ([`crate::page_view::ENOUGH_UNITS`]) gives the whole view's Profile when
/// the extractor parsed only its start anyway (it warns so); one that was mostly comments, and so
/// parsed whole, gets that warning too: only the page's start was read.
pub fn extract_view(view: ContentToPopup, clock: impl Fn() -> f64) -> ExtractedPage {
    let ContentToPopup::PageView {
        url,
        title,
        html,
        html_len,
        cut,
        mut timings,
    } = view;
    let started = clock();
    let mut profile = crate::extract::extract_view(&html, &url);
    let warning = crate::extract::only_the_start_was_parsed();
    if cut && !profile.warnings.contains(&warning) {
        profile.warnings.insert(0, warning);
    }
    timings.extract_ms = clock() - started;
    ExtractedPage {
        url,
        title,
        html_len,
        timings,
        profile,
    }
}

/// Waits for `read` for at most [`READ_TIMEOUT`] (slept on `sleeper`).
pub async fn read_within(
    read: impl Future<Output = Result<ExtractedPage, String>>,
    sleeper: &impl Sleeper,
) -> PageAnswer {
    let mut read = pin!(read);
    let mut timer = pin!(sleeper.sleep(READ_TIMEOUT));
    poll_fn(|cx| {
        // The read first: a page that answered just as the time ran out has still been read.
        if let Poll::Ready(answer) = read.as_mut().poll(cx) {
            return Poll::Ready(match answer {
                Ok(read) => PageAnswer::Read(Box::new(read)),
                Err(why) => PageAnswer::Unreadable(why),
            });
        }
        timer.as_mut().poll(cx).map(|()| PageAnswer::Busy)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ReadTimings;
    use std::cell::RefCell;
    use std::future::{pending, ready};
    use std::task::{Context, Waker};

    /// A timer that has run out at once, or never does; it notes each wait asked of it.
    struct Timer {
        runs_out: bool,
        asked: RefCell<Vec<Duration>>,
    }

    impl Timer {
        fn new(runs_out: bool) -> Timer {
            Timer {
                runs_out,
                asked: RefCell::new(Vec::new()),
            }
        }
    }

    impl Sleeper for Timer {
        async fn sleep(&self, duration: Duration) {
            self.asked.borrow_mut().push(duration);
            if !self.runs_out {
                pending::<()>().await;
            }
        }
    }

    /// Polls once: `None` while it still waits.
    fn poll_once<F: Future>(f: F) -> Option<F::Output> {
        match pin!(f).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(v) => Some(v),
            Poll::Pending => None,
        }
    }

    fn view() -> ContentToPopup {
        ContentToPopup::PageView {
            url: "https://jane.example.com/".into(),
            title: "Jane Doe".into(),
            html: "<title>Jane Doe</title><div class=h-card><span class=p-name>Jane Doe</span></div>".into(),
            html_len: 80,
            cut: false,
            timings: ReadTimings {
                load_ms: 3.0,
                serialize_ms: 1.5,
                extract_ms: 0.0,
            },
        }
    }

    fn reading() -> ExtractedPage {
        extract_view(view(), || 0.0)
    }

    #[test]
    fn a_view_is_extracted_as_the_whole_page_would_be_and_timed() {
        let ticks = std::cell::Cell::new(10.0);
        let clock = || {
            ticks.set(ticks.get() + 2.5);
            ticks.get()
        };
        let ContentToPopup::PageView { html, url, .. } = view();
        let read = extract_view(view(), clock);
        assert_eq!(read.profile, crate::extract::extract(&html, &url));
        assert_eq!(read.profile.to_candidate().first_name, "Jane");
        assert_eq!(
            (read.url.as_str(), read.title.as_str()),
            (url.as_str(), "Jane Doe")
        );
        assert_eq!(read.html_len, 80);
        assert_eq!(
            read.timings,
            ReadTimings {
                load_ms: 3.0,
                serialize_ms: 1.5,
                extract_ms: 2.5,
            }
        );
    }

    #[test]
    fn a_view_cut_short_says_only_the_start_was_read() {
        let ContentToPopup::PageView { html, url, .. } = view();
        let cut = ContentToPopup::PageView {
            url: url.clone(),
            title: String::new(),
            html: html.clone(),
            html_len: 80,
            cut: true,
            timings: ReadTimings::default(),
        };
        let read = extract_view(cut, || 0.0);
        let mut whole = crate::extract::extract(&html, &url);
        whole
            .warnings
            .insert(0, crate::extract::only_the_start_was_parsed());
        assert_eq!(read.profile, whole);
    }

    #[test]
    fn a_page_that_never_answers_is_busy_after_the_timeout() {
        let timer = Timer::new(true);
        let answer = poll_once(read_within(pending(), &timer));
        assert_eq!(answer, Some(PageAnswer::Busy));
        assert_eq!(*timer.asked.borrow(), [READ_TIMEOUT]);
        assert!(READ_TIMEOUT >= Duration::from_secs(3) && READ_TIMEOUT <= Duration::from_secs(10));
    }

    #[test]
    fn a_busy_page_gives_no_one_but_the_id_its_address_gives() {
        let read = crate::extract::extract(
            "<title>Jane Doe | LinkedIn</title>",
            "https://www.linkedin.com/in/jane-doe",
        );
        assert!(!read.external_id.is_empty());
        let busy = address_only("https://de.linkedin.com/in/jane-doe/?trk=public_profile");
        assert_eq!(busy.external_id, read.external_id);
        assert_eq!(busy.profile_url, read.profile_url);
        assert!(busy.is_empty());
        let c = busy.to_candidate();
        assert_eq!((c.first_name.as_str(), c.last_name.as_str()), ("", ""));
        // No id from what is not a web page, nor from an address too long to have been kept whole.
        assert_eq!(address_only("about:blank").external_id, "");
        let long = format!("https://jane.example.com/{}", "x".repeat(MAX_URL_UNITS as usize));
        assert_eq!(address_only(&long[..MAX_URL_UNITS as usize]).external_id, "");
    }

    #[test]
    fn a_silent_page_is_waited_for_until_the_time_runs_out() {
        let timer = Timer::new(false);
        assert_eq!(poll_once(read_within(pending(), &timer)), None);
    }

    #[test]
    fn a_reading_is_taken_even_when_the_time_ran_out_with_it() {
        let answer = poll_once(read_within(ready(Ok(reading())), &Timer::new(true)));
        assert_eq!(answer, Some(PageAnswer::Read(Box::new(reading()))));
    }

    #[test]
    fn a_refusal_says_why() {
        let answer = poll_once(read_within(
            ready(Err("cannot be scripted".to_owned())),
            &Timer::new(false),
        ));
        assert_eq!(answer, Some(PageAnswer::Unreadable("cannot be scripted".into())));
    }

    fn typed(first: &str, last: &str, emails: &[&str], links: &[&str]) -> PartnerCandidate {
        use crate::candidate::{SocialMediaAddress, TypedValue};
        PartnerCandidate {
            first_name: first.into(),
            last_name: last.into(),
            emails: emails
                .iter()
                .map(|e| TypedValue {
                    value: (*e).into(),
                    kind: None,
                })
                .collect(),
            social_media_addresses: links
                .iter()
                .map(|l| SocialMediaAddress { value: (*l).into() })
                .collect(),
            ..PartnerCandidate::default()
        }
    }

    #[test]
    fn a_person_typed_by_hand_gets_an_id_from_what_was_typed() {
        // A profile address typed by hand: the id a visit to that profile gives.
        let linked = typed(
            "Jane",
            "Doe",
            &["jane@example.com"],
            &["not a link", "https://de.linkedin.com/in/jane-doe/?trk=x"],
        );
        assert_eq!(
            typed_external_id(&linked),
            crate::extract::external_id("https://www.linkedin.com/in/jane-doe").unwrap()
        );
        // Else the email, however it was cased or spaced; else the name, likewise.
        let mailed = typed_external_id(&typed("Jane", "Doe", &["  Jane@Example.com "], &[]));
        assert_eq!(
            mailed,
            typed_external_id(&typed("J", "D", &["jane@example.com"], &[]))
        );
        assert_ne!(
            mailed,
            typed_external_id(&typed("Jane", "Doe", &["joe@example.com"], &[]))
        );
        let named = typed_external_id(&typed(" Jane ", "van  Doe", &["no address"], &[]));
        assert_eq!(named, typed_external_id(&typed("jane", "Van Doe", &[], &[])));
        assert_ne!(named, typed_external_id(&typed("Jane", "Doe", &[], &[])));
        for id in [&mailed, &named] {
            assert!(
                id.starts_with("sprout-") && id.len() == "sprout-".len() + 32,
                "{id}"
            );
        }
        assert_eq!(typed_external_id(&typed(" ", "", &[], &[])), "");
    }
}
