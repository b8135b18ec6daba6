//! What a recruiter picks from: jobs and prospect pools of one connection, slimmed to what the
//! pickers show, with stages in Greenhouse's `priority` order, and the type-ahead search over them
//! that has to stay instant with the thousands of jobs a large customer has (the lists are not
//! paginated).

use serde::{Deserialize, Serialize};

use crate::candidate::{Job, ProspectPool};

/// How long a cached catalog is shown without asking Greenhouse again in the background.
pub const FRESH_FOR_MS: u64 = 5 * 60 * 1000;

/// A job as the picker lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobChoice {
    pub id: u64,
    pub name: String,
    #[serde(default)]
    pub requisition_id: Option<String>,
    /// Departments and offices, e.g. "Engineering · Berlin, Remote".
    #[serde(default)]
    pub detail: String,
    /// Whether a job post is live on a job board, where the server says.
    #[serde(default)]
    pub public: Option<bool>,
}

/// A prospect pool with its stages, first stage first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolChoice {
    pub id: u64,
    pub name: String,
    pub stages: Vec<StageChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageChoice {
    pub id: u64,
    pub name: String,
}

/// Jobs and pools of one connection, and when Greenhouse gave them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub jobs: Vec<JobChoice>,
    pub pools: Vec<PoolChoice>,
    pub fetched_at_ms: u64,
}

/// When a connection's cached lists were fetched, stored beside them: how fresh they are is asked
/// on every popup opening, and reading 10,000 jobs to learn it would cost what the cache saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Freshness {
    pub fetched_at_ms: u64,
}

impl Freshness {
    pub fn is_fresh(&self, now_ms: u64) -> bool {
        now_ms.saturating_sub(self.fetched_at_ms) < FRESH_FOR_MS
    }
}

impl Catalog {
    pub fn from_api(jobs: Vec<Job>, pools: Vec<ProspectPool>, fetched_at_ms: u64) -> Catalog {
        let jobs = jobs
            .into_iter()
            .map(|job| {
                let names = |objects: &[serde_json::Map<String, serde_json::Value>]| {
                    objects
                        .iter()
                        .filter_map(|o| o.get("name")?.as_str())
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let detail = [names(&job.departments), names(&job.offices)]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ");
                JobChoice {
                    id: job.id,
                    name: job.name.trim().to_owned(),
                    requisition_id: job.requisition_id.filter(|r| !r.trim().is_empty()),
                    detail,
                    public: job.public,
                }
            })
            .collect();
        let pools = pools
            .into_iter()
            .map(|pool| {
                let mut stages = pool.stages;
                // Stable sort: stages without a priority keep Greenhouse's order, after the rest.
                stages.sort_by_key(|s| (s.priority.is_none(), s.priority));
                PoolChoice {
                    id: pool.id,
                    name: pool.name.trim().to_owned(),
                    stages: stages
                        .into_iter()
                        .map(|s| StageChoice {
                            id: s.id,
                            name: s.name,
                        })
                        .collect(),
                }
            })
            .collect();
        Catalog {
            jobs,
            pools,
            fetched_at_ms,
        }
    }

    /// The record kept beside the lists, saying when they were fetched.
    pub fn freshness(&self) -> Freshness {
        Freshness {
            fetched_at_ms: self.fetched_at_ms,
        }
    }
}

impl JobChoice {
    /// "Backend Engineer (REQ-12)".
    pub fn label(&self) -> String {
        // Greenhouse's own API gives no requisition id, and job names repeat across offices:
        // the job's id is then what tells two apart (and what one can type to find it).
        match &self.requisition_id {
            Some(req) => format!("{} ({req})", self.name),
            None => format!("{} (#{})", self.name, self.id),
        }
    }
}

/// Case-insensitive search over labels, built once per list so each keystroke only scans
/// prepared lowercase text.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    folded: Vec<String>,
}

/// The first `limit` matches, best first, and how many matched in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matches {
    pub indices: Vec<usize>,
    pub total: usize,
}

impl SearchIndex {
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> SearchIndex {
        SearchIndex {
            folded: texts.into_iter().map(fold).collect(),
        }
    }

    pub fn for_jobs(jobs: &[JobChoice]) -> SearchIndex {
        let texts: Vec<String> = jobs
            .iter()
            .map(|j| format!("{} {}", j.label(), j.detail))
            .collect();
        SearchIndex::new(texts.iter().map(String::as_str))
    }

    pub fn for_pools(pools: &[PoolChoice]) -> SearchIndex {
        SearchIndex::new(pools.iter().map(|p| p.name.as_str()))
    }

    /// Every word of the query must occur; a text that starts with the query ranks first, then
    /// one where a word starts with the first query word, then the rest, each in list order.
    /// An empty query lists everything in order.
    pub fn search(&self, query: &str, limit: usize) -> Matches {
        let query = fold(query);
        let words: Vec<&str> = query.split_whitespace().collect();
        let mut ranked: [Vec<usize>; 3] = Default::default();
        for (i, text) in self.folded.iter().enumerate() {
            if !words.iter().all(|w| text.contains(w)) {
                continue;
            }
            let rank = match words.first() {
                None => 0,
                Some(_) if text.starts_with(query.trim()) => 0,
                Some(first) if text.split_whitespace().any(|t| t.starts_with(first)) => 1,
                Some(_) => 2,
            };
            ranked[rank].push(i);
        }
        let total = ranked.iter().map(Vec::len).sum();
        let indices = ranked.into_iter().flatten().take(limit).collect();
        Matches { indices, total }
    }
}

fn fold(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidate::ProspectStage;
    use serde_json::json;

    #[test]
    fn jobs_are_slimmed_and_stages_ordered_by_priority() {
        let jobs: Vec<Job> = serde_json::from_value(json!([
            {"id": 1, "name": " Backend Engineer ", "requisition_id": "REQ-12",
             "departments": [{"name": "Engineering"}], "offices": [{"name": "Berlin"}, {"name": "Remote"}]},
            {"id": 2, "name": "Designer", "requisition_id": "", "departments": null}
        ]))
        .unwrap();
        let stage = |id, priority| ProspectStage {
            id,
            name: format!("s{id}"),
            priority,
        };
        let pools = vec![ProspectPool {
            id: 9,
            name: "Eng".into(),
            stages: vec![
                stage(1, Some(2)),
                stage(2, None),
                stage(3, Some(0)),
                stage(4, Some(1)),
            ],
        }];
        let c = Catalog::from_api(jobs, pools, 1000);
        assert_eq!(c.jobs[0].label(), "Backend Engineer (REQ-12)");
        assert_eq!(c.jobs[0].detail, "Engineering · Berlin, Remote");
        assert_eq!(
            (c.jobs[1].label(), c.jobs[1].detail.as_str()),
            ("Designer (#2)".into(), ""),
            "no requisition id: the id tells same-named jobs apart"
        );
        let order: Vec<u64> = c.pools[0].stages.iter().map(|s| s.id).collect();
        assert_eq!(order, [3, 4, 1, 2]);
        assert_eq!(c.freshness(), Freshness { fetched_at_ms: 1000 });
        assert!(c.freshness().is_fresh(1000 + FRESH_FOR_MS - 1));
        assert!(!c.freshness().is_fresh(1000 + FRESH_FOR_MS));
    }

    #[test]
    fn search_needs_every_word_and_ranks_prefixes_first() {
        let index = SearchIndex::new([
            "Senior Backend Engineer",
            "Backend Engineer",
            "Data Engineer, backend",
            "Designer",
            "ENGINEERING manager",
        ]);
        assert_eq!(index.search("backend", 10).indices, [1, 0, 2]);
        assert_eq!(index.search("  ENG back ", 10).indices, [0, 1, 2]);
        assert_eq!(index.search("engineer", 10).indices, [4, 0, 1, 2]);
        assert_eq!(
            index.search("", 2),
            Matches {
                indices: vec![0, 1],
                total: 5
            }
        );
        assert_eq!(
            index.search("nothing", 10),
            Matches {
                indices: vec![],
                total: 0
            }
        );
    }

    #[test]
    fn ten_thousand_jobs_are_searched_with_a_limit() {
        let jobs: Vec<JobChoice> = (0..10_000)
            .map(|i| JobChoice {
                id: i,
                name: format!("Job {i}"),
                requisition_id: Some(format!("REQ-{i}")),
                detail: if i % 2 == 0 {
                    "Berlin".into()
                } else {
                    "Paris".into()
                },
                public: None,
            })
            .collect();
        let index = SearchIndex::for_jobs(&jobs);
        let m = index.search("berlin 99", 50);
        assert_eq!(m.indices.len(), 50);
        assert!(
            m.indices
                .iter()
                .all(|&i| i % 2 == 0 && jobs[i].label().contains("99"))
        );
        assert_eq!(m.total, index.search("99 berlin", usize::MAX).indices.len());
    }
}
