//! The incident fields shared by the new-incident form and the edit form, with
//! the priority computed live from impact and urgency.

use super::{FieldMessage, field_error};
use crate::domain::classification::TAXONOMY;
use crate::domain::priority::compute_priority;
use crate::domain::{Code, FunctionalImpact, IncidentForm, InformationImpact, Recoverability, Tlp, Urgency};
use crate::error::AppError;
use leptos::prelude::*;

fn code_options<T: Code + std::fmt::Display>(selected: &str) -> impl IntoView + use<T> {
    T::ALL
        .iter()
        .map(|v| {
            let is_selected = v.code() == selected;
            view! { <option value=v.code() selected=is_selected>{v.label()}</option> }
        })
        .collect_view()
}

fn classification_options(selected: &str) -> impl IntoView + use<> {
    TAXONOMY
        .iter()
        .map(|cat| {
            let options = cat
                .subtypes
                .iter()
                .map(|(code, label)| {
                    let value = format!("{}/{}", cat.code, code);
                    let is_selected = value == selected;
                    view! { <option value=value selected=is_selected>{*label}</option> }
                })
                .collect_view();
            view! { <optgroup label=cat.label>{options}</optgroup> }
        })
        .collect_view()
}

/// A labelled `<select>` bound to a signal so the priority can follow it.
#[component]
fn CodeSelect<T: Code + std::fmt::Display + Send + Sync>(
    label: &'static str,
    name: &'static str,
    id: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<AppError>>,
    err_key: &'static str,
    #[prop(optional)] _marker: std::marker::PhantomData<T>,
) -> impl IntoView {
    let msg = field_error(error, err_key);
    let msg_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                name=name
                aria-describedby=msg_id.clone()
                aria-invalid=move || msg.get().is_some().to_string()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {code_options::<T>(&value.get_untracked())}
            </select>
            <FieldMessage id=msg_id message=msg/>
        </div>
    }
}

/// The editable incident fields. Input names are `form[...]`, matching the
/// `form: IncidentForm` argument of the create and update server functions.
#[component]
pub fn IncidentFieldset(
    initial: IncidentForm,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The new-incident form asks for the reporter; the edit form does not.
    #[prop(optional)]
    with_reporter: bool,
    /// The edit form also sets the acknowledged time.
    #[prop(optional)]
    with_acknowledged: bool,
) -> impl IntoView {
    let functional = RwSignal::new(initial.functional_impact.clone());
    let information = RwSignal::new(initial.information_impact.clone());
    let recoverability = RwSignal::new(initial.recoverability.clone());
    let urgency = RwSignal::new(initial.urgency.clone());
    let tlp = RwSignal::new(initial.tlp.clone());
    let priority = move || match (
        FunctionalImpact::from_code(&functional.get()),
        InformationImpact::from_code(&information.get()),
        Recoverability::from_code(&recoverability.get()),
        Urgency::from_code(&urgency.get()),
    ) {
        (Some(f), Some(i), Some(r), Some(u)) => compute_priority(f, i, r, u).to_string(),
        _ => "—".to_string(),
    };
    let title_msg = field_error(error, "title");
    let summary_msg = field_error(error, "summary");
    let class_msg = field_error(error, "classification");
    let occurred_msg = field_error(error, "occurred_at");
    let detected_msg = field_error(error, "detected_at");
    let ack_msg = field_error(error, "acknowledged_at");
    let reporter_msg = field_error(error, "reporter");
    let commander_msg = field_error(error, "commander");
    let IncidentForm {
        title,
        summary,
        classification,
        commander,
        occurred_at,
        detected_at,
        acknowledged_at,
        reporter,
        ..
    } = initial;
    let invalid = |m: Signal<Option<String>>| move || m.get().is_some().to_string();

    view! {
        <div class="grid gap-4 md:grid-cols-2">
            <div class="field md:col-span-2">
                <label for="title">"Title"</label>
                <input id="title" name="form[title]" type="text" required maxlength="200"
                    value=title aria-describedby="title-error" aria-invalid=invalid(title_msg)/>
                <FieldMessage id="title-error" message=title_msg/>
            </div>
            <div class="field md:col-span-2">
                <label for="summary">"Summary"</label>
                <textarea id="summary" name="form[summary]" rows="4" aria-describedby="summary-error"
                    aria-invalid=invalid(summary_msg)>{summary}</textarea>
                <FieldMessage id="summary-error" message=summary_msg/>
            </div>
            <div class="field md:col-span-2">
                <label for="classification">"Classification"</label>
                <select id="classification" name="form[classification]" aria-describedby="classification-error"
                    aria-invalid=invalid(class_msg)>
                    {classification_options(&classification)}
                </select>
                <FieldMessage id="classification-error" message=class_msg/>
            </div>
            <fieldset class="md:col-span-2 grid gap-4 rounded border border-slate-300 p-4 dark:border-slate-700 md:grid-cols-4">
                <legend class="px-1 font-semibold">"Impact and urgency"</legend>
                <CodeSelect<FunctionalImpact> label="Functional impact" name="form[functional_impact]" id="functional_impact"
                    value=functional error=error err_key="functional_impact"/>
                <CodeSelect<InformationImpact> label="Information impact" name="form[information_impact]" id="information_impact"
                    value=information error=error err_key="information_impact"/>
                <CodeSelect<Recoverability> label="Recoverability" name="form[recoverability]" id="recoverability"
                    value=recoverability error=error err_key="recoverability"/>
                <CodeSelect<Urgency> label="Urgency" name="form[urgency]" id="urgency"
                    value=urgency error=error err_key="urgency"/>
                <p class="md:col-span-4" aria-live="polite">
                    "Resulting priority: "
                    <strong data-testid="live-priority">{priority}</strong>
                    <span class="text-sm text-slate-700 dark:text-slate-300">" (from the priority matrix)"</span>
                </p>
            </fieldset>
            <CodeSelect<Tlp> label="TLP marking" name="form[tlp]" id="tlp" value=tlp error=error err_key="tlp"/>
            <div class="field">
                <label for="commander">"Incident commander"</label>
                <input id="commander" name="form[commander]" type="text" maxlength="120"
                    value=commander aria-describedby="commander-error" aria-invalid=invalid(commander_msg)/>
                <FieldMessage id="commander-error" message=commander_msg/>
            </div>
            <div class="field">
                <label for="occurred_at">"Occurred (UTC)"</label>
                <input id="occurred_at" name="form[occurred_at]" type="datetime-local"
                    value=occurred_at aria-describedby="occurred_at-error" aria-invalid=invalid(occurred_msg)/>
                <FieldMessage id="occurred_at-error" message=occurred_msg/>
            </div>
            <div class="field">
                <label for="detected_at">"Detected (UTC)"</label>
                <input id="detected_at" name="form[detected_at]" type="datetime-local"
                    value=detected_at aria-describedby="detected_at-error" aria-invalid=invalid(detected_msg)/>
                <FieldMessage id="detected_at-error" message=detected_msg/>
            </div>
            <Show when=move || with_acknowledged>
                <div class="field">
                    <label for="acknowledged_at">"Acknowledged (UTC)"</label>
                    <input id="acknowledged_at" name="form[acknowledged_at]" type="datetime-local"
                        value=acknowledged_at.clone() aria-describedby="acknowledged_at-error" aria-invalid=invalid(ack_msg)/>
                    <FieldMessage id="acknowledged_at-error" message=ack_msg/>
                </div>
            </Show>
            <Show when=move || with_reporter>
                <div class="field">
                    <label for="reporter">"Reported by"</label>
                    <input id="reporter" name="form[reporter]" type="text" required maxlength="120"
                        value=reporter.clone() aria-describedby="reporter-error" aria-invalid=invalid(reporter_msg)/>
                    <FieldMessage id="reporter-error" message=reporter_msg/>
                </div>
            </Show>
        </div>
    }
}
