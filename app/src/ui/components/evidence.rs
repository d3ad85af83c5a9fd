//! An incident's evidence: each item with its chain of custody, the form to
//! hand it over (append-only) and the form to record a new item.

use super::{ErrorAlert, FieldMessage, field_error};
use crate::api::{AddEvidence, EvidenceRecord, HandOverEvidence};
use crate::domain::incident::display_time;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn Evidence(
    reference: String,
    records: Vec<EvidenceRecord>,
    add: ServerAction<AddEvidence>,
    hand_over: ServerAction<HandOverEvidence>,
) -> impl IntoView {
    let add_error = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let handover_error = Signal::derive(move || hand_over.value().get().and_then(|r| r.err()));
    let item_msg = field_error(add_error, "item");
    let by_msg = field_error(add_error, "collected_by");
    let at_msg = field_error(add_error, "collected_at");
    let location_msg = field_error(add_error, "location");
    let hash_msg = field_error(add_error, "sha256");
    let empty = records.is_empty();
    let items = records
        .into_iter()
        .map(|r| view! { <EvidenceEntry reference=reference.clone() record=r action=hand_over/> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="evidence-heading" data-testid="evidence">
            <h2 id="evidence-heading" class="mb-3 text-lg font-semibold">"Evidence"</h2>
            <ErrorAlert error=handover_error spell_out_fields=true prefix="Hand-over refused: " testid="handover-error"/>
            <Show when=move || empty>
                <p class="mb-3 text-sm text-slate-700 dark:text-slate-300">"No evidence recorded yet."</p>
            </Show>
            <ul class="mb-4 space-y-3">{items}</ul>
            <details>
                <summary class="cursor-pointer font-medium">"Record evidence"</summary>
                <ActionForm action=add attr:class="mt-3 grid gap-3 md:grid-cols-2" attr:novalidate="true" attr:aria-label="Record evidence">
                    <input type="hidden" name="reference" value=reference/>
                    <div class="field md:col-span-2">
                        <label for="evidence-item">"Item"</label>
                        <input id="evidence-item" name="evidence[item]" type="text" maxlength="200" aria-describedby="evidence-item-error"
                            aria-invalid=move || item_msg.get().is_some().to_string()/>
                        <FieldMessage id="evidence-item-error" message=item_msg/>
                    </div>
                    <div class="field md:col-span-2">
                        <label for="evidence-description">"Description"</label>
                        <textarea id="evidence-description" name="evidence[description]" rows="2"></textarea>
                    </div>
                    <div class="field">
                        <label for="evidence-by">"Collected by"</label>
                        <input id="evidence-by" name="evidence[collected_by]" type="text" maxlength="120" aria-describedby="evidence-by-error"
                            aria-invalid=move || by_msg.get().is_some().to_string()/>
                        <FieldMessage id="evidence-by-error" message=by_msg/>
                    </div>
                    <div class="field">
                        <label for="evidence-at">"Collected at (UTC; empty for now)"</label>
                        <input id="evidence-at" name="evidence[collected_at]" type="datetime-local" aria-describedby="evidence-at-error"/>
                        <FieldMessage id="evidence-at-error" message=at_msg/>
                    </div>
                    <div class="field md:col-span-2">
                        <label for="evidence-location">"Storage location"</label>
                        <input id="evidence-location" name="evidence[location]" type="text" maxlength="500" aria-describedby="evidence-location-error"
                            aria-invalid=move || location_msg.get().is_some().to_string()/>
                        <FieldMessage id="evidence-location-error" message=location_msg/>
                    </div>
                    <div class="field md:col-span-2">
                        <label for="evidence-sha256">"SHA-256 of the artefact (optional)"</label>
                        <input id="evidence-sha256" name="evidence[sha256]" type="text" maxlength="200" autocomplete="off" class="font-mono"
                            aria-describedby="evidence-sha256-error" aria-invalid=move || hash_msg.get().is_some().to_string()/>
                        <FieldMessage id="evidence-sha256-error" message=hash_msg/>
                    </div>
                    <div class="md:col-span-2">
                        <button type="submit" class="btn-primary" data-testid="add-evidence">"Record evidence"</button>
                    </div>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn EvidenceEntry(reference: String, record: EvidenceRecord, action: ServerAction<HandOverEvidence>) -> impl IntoView {
    let EvidenceRecord { item, custody, holder } = record;
    let id = item.id.clone();
    let rows = custody
        .iter()
        .map(|c| {
            view! {
                <tr data-testid="custody-entry">
                    <td class="pr-2">{display_time(c.handed_at)}</td>
                    <td class="pr-2">{c.from_person.clone()}</td>
                    <td class="pr-2">{c.to_person.clone()}</td>
                    <td>{c.purpose.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let has_custody = !custody.is_empty();
    view! {
        <li class="rounded border border-slate-200 p-3 dark:border-slate-700" data-testid="evidence-item">
            <p class="font-semibold">{item.item.clone()}</p>
            <p class="text-sm">{item.description.clone()}</p>
            <p class="text-xs text-slate-700 dark:text-slate-300">
                {format!("Collected by {} at {} · stored at {}", item.collected_by, display_time(item.collected_at), item.location)}
            </p>
            {item.sha256.clone().map(|h| view! { <p class="break-all font-mono text-xs">"SHA-256 " {h}</p> })}
            <p class="mt-1 text-sm" data-testid="evidence-holder">"Held by " <strong>{holder.clone()}</strong></p>
            <Show when=move || has_custody>
                <table class="mt-2 w-full text-left text-sm">
                    <caption class="sr-only">"Chain of custody"</caption>
                    <thead>
                        <tr><th scope="col">"When"</th><th scope="col">"From"</th><th scope="col">"To"</th><th scope="col">"Purpose"</th></tr>
                    </thead>
                    <tbody>{rows.clone()}</tbody>
                </table>
            </Show>
            <details class="mt-2">
                <summary class="cursor-pointer text-sm">"Hand over…"</summary>
                <ActionForm action=action attr:class="mt-2 grid gap-2 md:grid-cols-2" attr:aria-label=format!("Hand over {}", item.item)>
                    <input type="hidden" name="reference" value=reference/>
                    <input type="hidden" name="evidence_id" value=id.clone()/>
                    <div class="field">
                        <label for=format!("handover-from-{id}")>"From"</label>
                        <input id=format!("handover-from-{id}") name="handover[from_person]" type="text" value=holder/>
                    </div>
                    <div class="field">
                        <label for=format!("handover-to-{id}")>"To"</label>
                        <input id=format!("handover-to-{id}") name="handover[to_person]" type="text"/>
                    </div>
                    <div class="field">
                        <label for=format!("handover-at-{id}")>"When (UTC; empty for now)"</label>
                        <input id=format!("handover-at-{id}") name="handover[handed_at]" type="datetime-local"/>
                    </div>
                    <div class="field">
                        <label for=format!("handover-purpose-{id}")>"Purpose"</label>
                        <input id=format!("handover-purpose-{id}") name="handover[purpose]" type="text"/>
                    </div>
                    <div class="md:col-span-2">
                        <button type="submit" class="btn-small" data-testid="hand-over">"Record hand-over"</button>
                    </div>
                </ActionForm>
            </details>
        </li>
    }
}
