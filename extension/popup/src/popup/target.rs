//! Where the person goes: a job (with optional source and referrer) or a prospect pool and stage
//! (optionally owned by the recruiter), preselected from the last capture with this connection.

use super::form::TextField;
use super::picker::{Kind, Picker};
use super::section::{JOB_MORE, Section};
use super::tracking_link::TrackingLinkButton;
use super::{App, CatalogState, Lists};
use crate::i18n::{t, t_args};
use leptos::prelude::*;
use sprout::capture::Target;

/// The target as chosen so far.
#[derive(Clone, Copy)]
pub(crate) struct TargetChoice {
    pub is_job: RwSignal<bool>,
    pub job: RwSignal<Option<u64>>,
    pub source_id: RwSignal<String>,
    pub referrer: RwSignal<String>,
    pub referrer_name: RwSignal<String>,
    pub pool: RwSignal<Option<u64>>,
    pub stage: RwSignal<Option<u64>>,
    pub owner_me: RwSignal<bool>,
}

impl TargetChoice {
    pub fn new() -> TargetChoice {
        TargetChoice {
            is_job: RwSignal::new(true),
            job: RwSignal::new(None),
            source_id: RwSignal::new(String::new()),
            referrer: RwSignal::new(String::new()),
            referrer_name: RwSignal::new(String::new()),
            pool: RwSignal::new(None),
            stage: RwSignal::new(None),
            owner_me: RwSignal::new(false),
        }
    }

    /// Last time's target, unless the recruiter has already picked something.
    pub fn preselect(&self, target: &Target) {
        if self.job.get_untracked().is_none() && self.pool.get_untracked().is_none() {
            self.load(target, None);
        }
    }

    /// Shows a target (preselected, or from an outbox item being edited).
    pub fn load(&self, target: &Target, user_id: Option<u64>) {
        match target {
            Target::Job {
                job_id,
                source_id,
                referrer_email,
                referrer_name,
            } => {
                self.is_job.set(true);
                self.job.set(Some(*job_id));
                self.source_id
                    .set(source_id.map(|s| s.to_string()).unwrap_or_default());
                self.referrer.set(referrer_email.clone().unwrap_or_default());
                self.referrer_name.set(referrer_name.clone().unwrap_or_default());
            }
            Target::Prospect {
                pool_id,
                stage_id,
                owner_id,
                ..
            } => {
                self.is_job.set(false);
                self.pool.set(Some(*pool_id));
                self.stage.set(*stage_id);
                self.owner_me.set(owner_id.is_some() && *owner_id == user_id);
            }
        }
    }

    /// The target and its label (by the lists, else as last time), or the test id of the field to
    /// fix and why.
    pub fn build(&self, lists: &Lists, known: &CatalogState) -> Result<(Target, String), (String, String)> {
        let (user_id, user_email) = (known.user_id, known.user_email.clone());
        if self.is_job.get_untracked() {
            let job_id = self
                .job
                .get_untracked()
                .ok_or_else(|| ("job-search".to_owned(), t("errorChooseJob")))?;
            let source = self.source_id.get_untracked();
            let source_id = match source.trim() {
                "" => None,
                s => Some(
                    s.parse::<u64>()
                        .map_err(|_| ("source-id".to_owned(), t("errorSourceId")))?,
                ),
            };
            let label = lists
                .job(job_id)
                .map(|j| j.label())
                .or_else(|| remembered(job_id, known.remembered_job.clone()))
                .unwrap_or_else(|| t_args("jobNumber", &[&job_id.to_string()]));
            let referrer = self.referrer.get_untracked();
            let referrer_name = self.referrer_name.get_untracked();
            Ok((
                Target::Job {
                    job_id,
                    source_id,
                    referrer_email: Some(referrer).filter(|r| !r.trim().is_empty()),
                    referrer_name: Some(referrer_name).filter(|r| !r.trim().is_empty()),
                },
                label,
            ))
        } else {
            let pool_id = self
                .pool
                .get_untracked()
                .ok_or_else(|| ("pool-search".to_owned(), t("errorChoosePool")))?;
            let stage_id = self.stage.get_untracked();
            let pool = lists.pool(pool_id);
            let stage_name = pool
                .and_then(|p| p.stages.iter().find(|s| Some(s.id) == stage_id))
                .map(|s| s.name.clone());
            let label = match (pool, stage_name) {
                (Some(pool), Some(stage)) => format!("{}: {stage}", pool.name),
                (Some(pool), None) => pool.name.clone(),
                // Last time's name already says its stage.
                (None, _) => remembered(pool_id, known.remembered_pool.clone())
                    .unwrap_or_else(|| t_args("poolNumber", &[&pool_id.to_string()])),
            };
            Ok((
                Target::Prospect {
                    pool_id,
                    stage_id,
                    owner_id: user_id.filter(|_| self.owner_me.get_untracked()),
                    owner_email: user_email.filter(|_| self.owner_me.get_untracked()),
                },
                label,
            ))
        }
    }
}

/// The name last time's target had, if `id` is it.
fn remembered(id: u64, named: Option<(u64, String)>) -> Option<String> {
    named.filter(|(n, _)| *n == id).map(|(_, name)| name)
}

/// The target fieldset.
#[component]
pub(crate) fn TargetFields() -> impl IntoView {
    let app = expect_context::<App>();
    let target = app.target;
    // Named by the lists; until they come, by the name last time's target had, else by its id.
    let job_label = Signal::derive(move || {
        app.lists_changed.track();
        let id = target.job.get()?;
        Some(
            app.lists
                .with_value(|l| l.job(id).map(|j| j.label()))
                .or_else(|| app.catalog.with(|c| remembered(id, c.remembered_job.clone())))
                .unwrap_or_else(|| t_args("jobNumber", &[&id.to_string()])),
        )
    });
    let pool_label = Signal::derive(move || {
        app.lists_changed.track();
        let id = target.pool.get()?;
        Some(
            app.lists
                .with_value(|l| l.pool(id).map(|p| p.name.clone()))
                .or_else(|| app.catalog.with(|c| remembered(id, c.remembered_pool.clone())))
                .unwrap_or_else(|| t_args("poolNumber", &[&id.to_string()])),
        )
    });
    let stages = move || {
        app.lists_changed.track();
        let pool = target.pool.get();
        app.lists.with_value(|l| {
            pool.and_then(|id| l.pool(id))
                .map(|p| p.stages.clone())
                .unwrap_or_default()
        })
    };
    // A newly picked pool starts at its first stage.
    let on_pool = move |id: u64| {
        let first = app
            .lists
            .with_value(|l| l.pool(id).and_then(|p| p.stages.first().map(|s| s.id)));
        target.stage.set(first);
    };
    let user_id = move || app.catalog.with(|c| c.user_id);
    view! {
        <fieldset class="target" data-testid="target">
            <legend>{t("targetLegend")}</legend>
            <div class="radios">
                <label>
                    <input
                        type="radio"
                        name="target"
                        data-testid="target-job"
                        prop:checked=move || target.is_job.get()
                        on:change=move |_| target.is_job.set(true)
                    />
                    {t("targetJob")}
                </label>
                <label>
                    <input
                        type="radio"
                        name="target"
                        data-testid="target-prospect"
                        prop:checked=move || !target.is_job.get()
                        on:change=move |_| target.is_job.set(false)
                    />
                    {t("targetProspect")}
                </label>
            </div>
            <Show
                when=move || target.is_job.get()
                fallback=move || {
                    view! {
                        <Picker
                            kind=Kind::Pool
                            label=t("pool")
                            chosen=target.pool
                            chosen_label=pool_label
                            on_pick=on_pool
                        />
                        <div class="field">
                            <label for="stage">{t("stage")}</label>
                            <select
                                id="stage"
                                data-testid="stage"
                                disabled=move || target.pool.get().is_none()
                                on:change=move |ev| target.stage.set(event_target_value(&ev).parse().ok())
                            >
                                {move || {
                                    stages()
                                        .into_iter()
                                        .map(|s| {
                                            let selected = move || target.stage.get() == Some(s.id);
                                            view! {
                                                <option value=s.id.to_string() selected=selected>
                                                    {s.name}
                                                </option>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </select>
                        </div>
                        <label class="check">
                            <input
                                type="checkbox"
                                data-testid="owner-me"
                                disabled=move || user_id().is_none()
                                prop:checked=move || target.owner_me.get()
                                on:change=move |ev| target.owner_me.set(event_target_checked(&ev))
                            />
                            {t("ownerMe")}
                        </label>
                    }
                }
            >
                <Picker
                    kind=Kind::Job
                    label=t("job")
                    chosen=target.job
                    chosen_label=job_label
                    on_pick=|_| ()
                />
                <Section testid="job-more-section" holds=JOB_MORE summary=t("sectionJobMore")>
                    <div class="pair">
                        <Show when=move || app.can().source_id>
                            <TextField
                                testid="source-id".to_owned()
                                label=t("sourceId")
                                value=target.source_id
                                input_type="number"
                                autocomplete="off"
                            />
                        </Show>
                        <TextField
                            testid="referrer-email".to_owned()
                            label=t("referrerEmail")
                            value=target.referrer
                            input_type="email"
                            autocomplete="off"
                        />
                        <Show when=move || app.can().referrer_by_name>
                            <TextField
                                testid="referrer-name".to_owned()
                                label=t("referrerName")
                                value=target.referrer_name
                                input_type="text"
                                autocomplete="off"
                            />
                        </Show>
                    </div>
                    <TrackingLinkButton />
                </Section>
            </Show>
            <p class="muted" role="status" data-testid="catalog-status">
                {move || {
                    app.catalog
                        .with(|c| {
                            if c.refreshing {
                                t("catalogUpdating")
                            } else {
                                c.error.clone().unwrap_or_default()
                            }
                        })
                }}
            </p>
        </fieldset>
    }
}
