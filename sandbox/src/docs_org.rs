//! The organisation Greenhouse's published Candidate Ingestion docs' examples refer to, added by
//! `--docs-examples` so that their example bodies can be sent to the sandbox unchanged.

use std::collections::HashSet;

use sprout::candidate::{Job, ProspectPool, ProspectStage};

use crate::config::UserSpec;

/// The user the create example names as prospect owner.
pub const PROSPECT_OWNER: &str = "prospect_owners_email@example.com";

/// Adds the docs' jobs, pools and prospect owner to the generated organisation.
pub fn add(
    users: &mut Vec<UserSpec>,
    jobs: &mut Vec<Job>,
    private_jobs: &mut HashSet<u64>,
    pools: &mut Vec<ProspectPool>,
) {
    users.push(PROSPECT_OWNER.parse().expect("a valid user spec"));
    // _candidates.md and _tracking_link.md send job 12345 and answer "Auror"; _jobs.md lists
    // Auror as 146859 instead, so only the id the bodies use is kept for it.
    for (id, name, public) in [
        (12345, "Auror", true),
        (150050, "Professor", true),
        (147886, "Caretaker", false),
    ] {
        jobs.push(Job {
            id,
            name: name.to_owned(),
            ..Default::default()
        });
        if !public {
            private_jobs.insert(id);
        }
    }
    let stage_names = [
        "Not Contacted",
        "Contacted",
        "1st. Follow Up Sent",
        "2nd Follow Up Sent",
        "In Discussion",
    ];
    for (pool_id, pool_name, first_stage) in [
        (123, "Cold Outreach: Referred", 1957),
        (456, "Cold Outreach: Sourced", 1962),
    ] {
        let mut stages: Vec<ProspectStage> = stage_names
            .iter()
            .zip(first_stage..)
            .map(|(name, id)| ProspectStage {
                id,
                name: (*name).to_owned(),
                priority: None,
            })
            .collect();
        // The create example puts its prospect in stage 456 of pool 123, a stage _prospect_pools.md
        // does not list; it is added last so that example is valid as published.
        if pool_id == 123 {
            stages.push(ProspectStage {
                id: 456,
                name: "Sourced".to_owned(),
                priority: None,
            });
        }
        for (priority, stage) in stages.iter_mut().enumerate() {
            stage.priority = Some(priority as i64);
        }
        pools.push(ProspectPool {
            id: pool_id,
            name: pool_name.to_owned(),
            stages,
        });
    }
}
