//! Files that go with the person: a resume/CV link found on the page or pasted (Greenhouse fetches
//! it), and, where the server takes files, files the recruiter picks or drops anywhere on the
//! popup (sent inline, 5 MB at most).

use super::App;
use crate::browser;
use crate::i18n::{t, t_args};
use leptos::ev::DragEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sprout::candidate::{Attachment, AttachmentType};
use sprout::capture::{MAX_ATTACHMENT_BYTES, attach_file, attach_url};
use sprout::extract::Profile;
use sprout::extract::urls::is_resume_link;
use wasm_bindgen::JsCast;

#[derive(Clone, Copy)]
pub(crate) struct Attachments {
    /// Picked or dropped files, and attachments of an outbox item being edited: its files come
    /// named by id without their bytes, which the background puts back on "Save and retry".
    pub files: RwSignal<Vec<Attachment>>,
    /// A resume/CV link on the page, offered as a checkbox.
    pub resume_url: RwSignal<Option<String>>,
    pub resume_checked: RwSignal<bool>,
    /// A resume link the recruiter pasted.
    pub resume_pasted: RwSignal<String>,
    pub error: RwSignal<Option<String>>,
    pub dragging: RwSignal<bool>,
}

impl Attachments {
    pub fn new() -> Attachments {
        Attachments {
            files: RwSignal::new(Vec::new()),
            resume_url: RwSignal::new(None),
            resume_checked: RwSignal::new(false),
            resume_pasted: RwSignal::new(String::new()),
            error: RwSignal::new(None),
            dragging: RwSignal::new(false),
        }
    }

    pub fn offer_resume_link(&self, profile: &Profile) {
        self.resume_url.set(
            profile
                .links
                .iter()
                .map(|l| l.value.as_str())
                .find(|u| is_resume_link(u))
                .map(str::to_owned),
        );
    }

    /// Everything to send: the files first (so `attachments[i]` is `attachment-i`), then the link.
    pub fn list(&self) -> Result<Vec<Attachment>, String> {
        let mut all = self.files.get_untracked();
        if self.resume_checked.get_untracked()
            && let Some(url) = self.resume_url.get_untracked()
        {
            all.push(attach_url(&url, AttachmentType::Resume)?);
        }
        let pasted = self.resume_pasted.get_untracked();
        if !pasted.trim().is_empty() {
            all.push(attach_url(&pasted, AttachmentType::Resume)?);
        }
        Ok(all)
    }

    /// Adds files, one by one, saying in `attachment-error` which ones were refused and why.
    fn add(self, files: Vec<web_sys::File>) {
        self.error.set(None);
        spawn_local(async move {
            for file in files {
                let name = file.name();
                let attached = if file.size() > MAX_ATTACHMENT_BYTES as f64 {
                    Err(t_args(
                        "attachmentTooLarge",
                        &[
                            &name,
                            &format!("{:.1}", file.size() / (1024.0 * 1024.0)),
                            &(MAX_ATTACHMENT_BYTES / (1024 * 1024)).to_string(),
                        ],
                    ))
                } else {
                    match browser::read_file(&file).await {
                        Ok(bytes) => attach_file(&name, &file.type_(), &bytes, AttachmentType::Resume),
                        Err(e) => Err(t_args("attachmentUnreadable", &[&name, &e])),
                    }
                };
                match attached {
                    Ok(attachment) => self.files.update(|f| f.push(attachment)),
                    Err(message) => self.error.set(Some(message)),
                }
            }
        });
    }
}

fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default()
}

/// Lets the popup accept a dragged file anywhere.
pub(crate) fn drag_over(app: App, ev: DragEvent) {
    let has_files = ev.data_transfer().is_some_and(|d| {
        d.types()
            .iter()
            .any(|t| t.as_string().as_deref() == Some("Files"))
    });
    if has_files {
        ev.prevent_default();
        app.attachments.dragging.set(true);
    }
}

pub(crate) fn drop_files(app: App, ev: DragEvent) {
    let files = files_of(ev.data_transfer().and_then(|d| d.files()));
    app.attachments.dragging.set(false);
    if !files.is_empty() {
        ev.prevent_default();
        if app.can().file_attachments {
            app.attachments.add(files);
        } else {
            app.attachments.error.set(Some(t("filesNotTaken")));
        }
    }
}

#[component]
pub(crate) fn AttachmentFields() -> impl IntoView {
    let app = expect_context::<App>();
    let a = app.attachments;
    let on_file = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            a.add(files_of(input.files()));
            // Lets the same file be picked again after it was removed.
            input.set_value("");
        }
    };
    view! {
        <fieldset class="attachments">
            <legend>{t("attachments")}</legend>
            {move || {
                a.resume_url
                    .get()
                    .map(|url| {
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    data-testid="resume-link"
                                    aria-invalid=move || app.error_for("resume-link").map(|_| "true")
                                    prop:checked=move || a.resume_checked.get()
                                    on:change=move |ev| a.resume_checked.set(event_target_checked(&ev))
                                />
                                <span>{t("attachResumeLink")}" "<span class="url">{url}</span></span>
                            </label>
                        }
                    })
            }}
            {move || {
                app.error_for("resume-link")
                    .map(|m| {
                        view! {
                            <span class="error" data-testid="error-resume-link">
                                {m}
                            </span>
                        }
                    })
            }}
            <ul class="files">
                {move || {
                    a.files
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, file)| {
                            let name = file
                                .filename
                                .clone()
                                .or(file.url.clone())
                                .unwrap_or_else(|| t("attachmentUnnamed"));
                            let remove_label = t_args("removeAttachment", &[&name]);
                            let testid = format!("attachment-{i}");
                            view! {
                                <li data-testid=testid.clone()>
                                    <span>{name}</span>
                                    <button
                                        type="button"
                                        class="icon"
                                        data-testid=format!("remove-attachment-{i}")
                                        aria-label=remove_label.clone()
                                        title=remove_label
                                        on:click=move |_| {
                                            a.files
                                                .update(|f| {
                                                    f.remove(i);
                                                })
                                        }
                                    >
                                        "×"
                                    </button>
                                    {app
                                        .error_for(&testid)
                                        .map(|m| {
                                            view! {
                                                <span class="error" data-testid=format!("error-{testid}")>
                                                    {m}
                                                </span>
                                            }
                                        })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <div class="field">
                <label for="resume-url">{t("resumeUrl")}</label>
                <input
                    type="url"
                    id="resume-url"
                    data-testid="resume-url"
                    autocomplete="off"
                    prop:value=move || a.resume_pasted.get()
                    on:input=move |ev| a.resume_pasted.set(event_target_value(&ev))
                />
            </div>
            <Show
                when=move || app.can().file_attachments
                fallback=|| {
                    view! {
                        <p class="muted" data-testid="files-not-taken">
                            {t("filesNotTaken")}
                        </p>
                    }
                }
            >
                <div class="drop" data-testid="attachment-drop">
                    <label for="attachment-file">{t("attachFile")}</label>
                    <input type="file" id="attachment-file" data-testid="attachment-file" on:change=on_file />
                    <span class="muted">{t("dropHint")}</span>
                </div>
            </Show>
            {move || {
                a.error
                    .get()
                    .map(|m| {
                        view! {
                            <p class="error" role="alert" data-testid="attachment-error">
                                {m}
                            </p>
                        }
                    })
            }}
        </fieldset>
    }
}
