//! The new-incident form (Identification). Works without WASM: the form posts
//! to the server function, which redirects to the new incident.

use crate::api::CreateIncident;
use crate::domain::IncidentForm;
use crate::ui::components::{ErrorAlert, IncidentFieldset};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewIncidentPage() -> impl IntoView {
    let action = ServerAction::<CreateIncident>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let initial = IncidentForm {
        classification: "other/unclassified".into(),
        functional_impact: "none".into(),
        information_impact: "none".into(),
        recoverability: "regular".into(),
        urgency: "medium".into(),
        tlp: "amber".into(),
        ..Default::default()
    };
    view! {
        <Title text="Report an incident"/>
        <div class="mx-auto max-w-3xl">
            <h1 class="text-2xl font-semibold">"Report an incident"</h1>
            <p class="mt-1 mb-4 text-slate-700 dark:text-slate-300">
                "Describe what happened. The incident starts in Identification, where it is triaged, classified and prioritised."
            </p>
            <ErrorAlert error=error/>
            <ActionForm action=action attr:class="card space-y-4" attr:novalidate="true" attr:aria-label="New incident">
                <IncidentFieldset initial=initial error=error with_reporter=true/>
                <div class="flex items-center gap-3">
                    <button type="submit" class="btn-primary" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Saving…" } else { "Report incident" }}
                    </button>
                    <a href="/" class="link">"Cancel"</a>
                </div>
            </ActionForm>
        </div>
    }
}
