//! The generated organisation: jobs and prospect pools drawn from a seeded generator, so every
//! run with the same flags sees the same names and ids.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};
use sprout::candidate::{Job, ProspectPool, ProspectStage};

const SENIORITY: &[&str] = &["", "Senior ", "Staff ", "Lead ", "Principal ", "Junior "];
const ROLES: &[(&str, &str)] = &[
    ("Software Engineer", "Engineering"),
    ("Backend Engineer", "Engineering"),
    ("Frontend Engineer", "Engineering"),
    ("Site Reliability Engineer", "Engineering"),
    ("Data Scientist", "Data"),
    ("Data Engineer", "Data"),
    ("Product Manager", "Product"),
    ("Product Designer", "Design"),
    ("UX Researcher", "Design"),
    ("Account Executive", "Sales"),
    ("Sales Development Representative", "Sales"),
    ("Customer Success Manager", "Customer Success"),
    ("Recruiter", "People"),
    ("People Partner", "People"),
    ("Financial Analyst", "Finance"),
    ("Legal Counsel", "Legal"),
    ("Marketing Manager", "Marketing"),
    ("Content Strategist", "Marketing"),
];
const OFFICES: &[&str] = &[
    "New York",
    "San Francisco",
    "London",
    "Dublin",
    "Berlin",
    "Toronto",
    "Remote (US)",
    "Remote (EU)",
    "Sydney",
    "Singapore",
];
const POOLS: &[&str] = &[
    "Engineering Talent",
    "Sales Pipeline",
    "Design Community",
    "Leadership Bench",
    "University Graduates",
    "Silver Medalists",
    "Data Experts",
    "Boomerangs",
];
const STAGES: &[&str] = &[
    "Sourced",
    "Contacted",
    "Replied",
    "Interested",
    "Screen Scheduled",
    "Nurture",
    "Not Now",
    "Ready to Apply",
];

/// Jobs with realistic names, one department and one or two offices each.
pub fn jobs(seed: u64, count: u32) -> Vec<Job> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let department_id = |name: &str| 50_000 + ROLES.iter().position(|(_, d)| *d == name).unwrap_or(0) as u64;
    (0..count)
        .map(|i| {
            let (role, department) = ROLES[rng.gen_range(0..ROLES.len())];
            let seniority = SENIORITY[rng.gen_range(0..SENIORITY.len())];
            let office_count = rng.gen_range(1..=2);
            let offices: Vec<Map<String, Value>> = OFFICES
                .choose_multiple(&mut rng, office_count)
                .map(|name| object(json!({"id": office_id(name), "name": name, "location": {"name": name}})))
                .collect();
            Job {
                id: 4_000_000 + u64::from(i),
                name: format!("{seniority}{role}"),
                requisition_id: rng.gen_bool(0.8).then(|| format!("REQ-{:05}", i + 1)),
                departments: vec![object(
                    json!({"id": department_id(department), "name": department}),
                )],
                offices,
                public: None,
            }
        })
        .collect()
}

/// Pools, each with 3 to 8 stages whose `priority` gives their order.
pub fn pools(seed: u64, count: u32) -> Vec<ProspectPool> {
    // A different stream from the jobs', so changing --jobs leaves the pools alone.
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x005E_ED0F_9001);
    let mut next_stage = 7_000_000;
    (0..count)
        .map(|i| {
            let name = match POOLS.get(i as usize) {
                Some(name) => (*name).to_owned(),
                None => format!(
                    "{} {}",
                    POOLS[i as usize % POOLS.len()],
                    i / POOLS.len() as u32 + 1
                ),
            };
            let stage_count = rng.gen_range(3..=8);
            let stages = STAGES[..stage_count]
                .iter()
                .enumerate()
                .map(|(priority, stage)| {
                    next_stage += 1;
                    ProspectStage {
                        id: next_stage,
                        name: (*stage).to_owned(),
                        priority: Some(priority as i64),
                    }
                })
                .collect();
            ProspectPool {
                id: 6_000_000 + u64::from(i),
                name,
                stages,
            }
        })
        .collect()
}

fn office_id(name: &str) -> u64 {
    60_000 + OFFICES.iter().position(|o| *o == name).unwrap_or(0) as u64
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("json! object literal"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_org_and_sizes_hold() {
        assert_eq!(jobs(7, 50), jobs(7, 50));
        assert_ne!(jobs(7, 50), jobs(8, 50));
        assert_eq!(jobs(1, 20_000).len(), 20_000);
        let p = pools(7, 12);
        assert_eq!(p, pools(7, 12));
        assert!(p.iter().all(|p| (3..=8).contains(&p.stages.len())));
        let names: std::collections::HashSet<_> = p.iter().map(|p| &p.name).collect();
        assert_eq!(names.len(), 12, "pool names are distinct");
    }
}
