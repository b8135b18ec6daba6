//! When the jobs and pools of a connection are fetched again: the popup is answered at once from
//! the cache, and a fetch starts when the cache is stale or missing or the recruiter asks, one per
//! connection at a time, and not again right after a failure.

use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::reason::Reason;

/// After a failed fetch, a plain look (no `refresh`) does not start another one this soon, so a
/// popup asking again while offline does not hammer Greenhouse.
const QUIET_AFTER_FAILURE_MS: u64 = 30_000;

/// The fetches of one worker's life: which run, and the last failure of each connection.
#[derive(Debug, Default)]
pub struct CatalogFetches {
    running: Vec<String>,
    /// The last failure per connection, and when it happened.
    failed: HashMap<String, (Reason, u64)>,
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

impl CatalogFetches {
    /// A look at `cached` for a connection at `now_ms`; `refresh` when the recruiter asked.
    pub fn look(
        &mut self,
        connection_id: &str,
        cached: Option<&Catalog>,
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

    /// A fetch ended, with why if it failed.
    pub fn finished(&mut self, connection_id: &str, failure: Option<Reason>, now_ms: u64) {
        self.running.retain(|id| id != connection_id);
        match failure {
            Some(why) => self.failed.insert(connection_id.to_owned(), (why, now_ms)),
            None => self.failed.remove(connection_id),
        };
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

    fn fetched_at(ms: u64) -> Catalog {
        Catalog {
            fetched_at_ms: ms,
            ..Catalog::default()
        }
    }

    #[test]
    fn a_fresh_cache_stands_and_a_stale_or_missing_one_is_fetched_once_at_a_time() {
        let mut f = CatalogFetches::default();
        let fresh = fetched_at(1_000);
        assert_eq!(f.look("a", Some(&fresh), false, 2_000), Fetch::No);
        assert_eq!(f.look("a", Some(&fresh), true, 2_000), Fetch::Start, "asked for");
        assert_eq!(f.look("a", None, true, 2_000), Fetch::Running);
        assert_eq!(
            f.look("b", None, false, 2_000),
            Fetch::Start,
            "one per connection"
        );
        f.finished("a", None, 3_000);
        let stale = fetched_at(1_000);
        assert_eq!(
            f.look("a", Some(&stale), false, 1_000 + FRESH_FOR_MS),
            Fetch::Start
        );
    }

    #[test]
    fn after_a_failure_only_an_explicit_refresh_or_a_new_sign_in_fetches_soon() {
        let mut f = CatalogFetches::default();
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
}
