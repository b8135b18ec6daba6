//! When the jobs and pools of a connection are fetched again: the popup is answered at once from
//! the cache, and a fetch starts when the cache is stale or missing or the recruiter asks, one per
//! connection at a time, and not again right after a failure. A popup that waits for a fetch to end
//! is told when it does, rather than asking again and again.

use std::collections::HashMap;

use crate::catalog::Freshness;
use crate::reason::Reason;

/// After a failed fetch, a plain look (no `refresh`) does not start another one this soon, so a
/// popup asking again while offline does not hammer Greenhouse.
const QUIET_AFTER_FAILURE_MS: u64 = 30_000;

/// The fetches of one worker's life: which run, who waits for them (each a `W`, woken by the
/// caller), and the last failure of each connection.
#[derive(Debug)]
pub struct CatalogFetches<W> {
    running: Vec<String>,
    waiting: Vec<(String, W)>,
    /// The last failure per connection, and when it happened.
    failed: HashMap<String, (Reason, u64)>,
}

impl<W> Default for CatalogFetches<W> {
    fn default() -> Self {
        CatalogFetches {
            running: Vec::new(),
            waiting: Vec::new(),
            failed: HashMap::new(),
        }
    }
}

/// What a look at a connection's catalog does about fetching it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetch {
    /// One is already running.
    Running,
    /// The caller starts one now (it counts as running until [`CatalogFetches::finished`]).
    Start,
    /// The cache stands.
    No,
}

impl<W> CatalogFetches<W> {
    /// A look at the cached lists (`None`: none) for a connection at `now_ms`; `refresh` when the
    /// recruiter asked.
    pub fn look(
        &mut self,
        connection_id: &str,
        cached: Option<Freshness>,
        refresh: bool,
        now_ms: u64,
    ) -> Fetch {
        if self.running.iter().any(|id| id == connection_id) {
            return Fetch::Running;
        }
        let stale = cached.is_none_or(|c| !c.is_fresh(now_ms));
        let quiet = self
            .failed
            .get(connection_id)
            .is_some_and(|(_, at)| now_ms.saturating_sub(*at) < QUIET_AFTER_FAILURE_MS);
        if refresh || (stale && !quiet) {
            self.running.push(connection_id.to_owned());
            return Fetch::Start;
        }
        Fetch::No
    }

    /// Waits with `waiter` for the connection's fetch to end; handed back when none runs, to be
    /// answered at once.
    pub fn wait(&mut self, connection_id: &str, waiter: W) -> Option<W> {
        if self.running.iter().any(|id| id == connection_id) {
            self.waiting.push((connection_id.to_owned(), waiter));
            None
        } else {
            Some(waiter)
        }
    }

    /// A fetch ended, with why if it failed: those who waited for it, to wake.
    pub fn finished(&mut self, connection_id: &str, failure: Option<Reason>, now_ms: u64) -> Vec<W> {
        self.running.retain(|id| id != connection_id);
        match failure {
            Some(why) => self.failed.insert(connection_id.to_owned(), (why, now_ms)),
            None => self.failed.remove(connection_id),
        };
        let (done, still) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|(id, _)| id == connection_id);
        self.waiting = still;
        done.into_iter().map(|(_, waiter)| waiter).collect()
    }

    /// A new sign-in makes an earlier failure moot: the next look fetches at once.
    pub fn signed_in(&mut self, connection_id: &str) {
        self.failed.remove(connection_id);
    }

    /// The last failure of the connection's fetches, until one succeeds or it signs in again.
    pub fn failure(&self, connection_id: &str) -> Option<&Reason> {
        self.failed.get(connection_id).map(|(why, _)| why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::FRESH_FOR_MS;

    fn fetched_at(ms: u64) -> Freshness {
        Freshness { fetched_at_ms: ms }
    }

    #[test]
    fn a_fresh_cache_stands_and_a_stale_or_missing_one_is_fetched_once_at_a_time() {
        let mut f = CatalogFetches::<()>::default();
        let fresh = fetched_at(1_000);
        assert_eq!(f.look("a", Some(fresh), false, 2_000), Fetch::No);
        assert_eq!(f.look("a", Some(fresh), true, 2_000), Fetch::Start, "asked for");
        assert_eq!(f.look("a", None, true, 2_000), Fetch::Running);
        assert_eq!(
            f.look("b", None, false, 2_000),
            Fetch::Start,
            "one per connection"
        );
        f.finished("a", None, 3_000);
        let stale = fetched_at(1_000);
        assert_eq!(
            f.look("a", Some(stale), false, 1_000 + FRESH_FOR_MS),
            Fetch::Start
        );
    }

    #[test]
    fn after_a_failure_only_an_explicit_refresh_or_a_new_sign_in_fetches_soon() {
        let mut f = CatalogFetches::<()>::default();
        assert_eq!(f.look("a", None, false, 0), Fetch::Start);
        let offline = Reason::Api {
            problem: crate::reason::Problem::Network,
        };
        f.finished("a", Some(offline.clone()), 1_000);
        assert_eq!(f.failure("a"), Some(&offline));
        assert_eq!(f.look("a", None, false, 20_000), Fetch::No, "quiet for 30 s");
        assert_eq!(f.look("a", None, false, 31_000), Fetch::Start);
        f.finished("a", Some(offline.clone()), 31_000);
        assert_eq!(
            f.look("a", None, true, 32_000),
            Fetch::Start,
            "the recruiter asked"
        );
        f.finished("a", Some(offline.clone()), 32_000);
        f.signed_in("a");
        assert_eq!(f.failure("a"), None);
        assert_eq!(f.look("a", None, false, 33_000), Fetch::Start);
        f.finished("a", None, 34_000);
        assert_eq!(f.failure("a"), None, "a success clears the failure");
    }

    #[test]
    fn a_waiter_is_woken_when_its_connection_s_fetch_ends_and_answered_at_once_when_none_runs() {
        let mut f = CatalogFetches::default();
        assert_eq!(f.wait("a", "early"), Some("early"), "nothing runs: answer now");
        assert_eq!(f.look("a", None, false, 0), Fetch::Start);
        assert_eq!(f.look("b", None, false, 0), Fetch::Start);
        assert_eq!(f.wait("a", "popup 1"), None);
        assert_eq!(f.wait("b", "other"), None);
        assert_eq!(f.wait("a", "popup 2"), None);
        assert_eq!(f.finished("a", None, 1_000), ["popup 1", "popup 2"]);
        assert_eq!(f.finished("a", None, 1_000), Vec::<&str>::new(), "woken once");
        let offline = Reason::Api {
            problem: crate::reason::Problem::Network,
        };
        assert_eq!(
            f.finished("b", Some(offline.clone()), 2_000),
            ["other"],
            "a failed fetch ends the wait too"
        );
        assert_eq!(f.failure("b"), Some(&offline));
    }
}
