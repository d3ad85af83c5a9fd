//! An incident's indicators of compromise, with links to the other incidents
//! that saw the same one, and the form to add one.

use super::{FieldMessage, TlpBadge, field_error};
use crate::api::{AddIndicator, IndicatorRow};
use crate::domain::incident::display_time;
use crate::domain::{Code, IndicatorKind, Tlp};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn Indicators(reference: String, rows: Vec<IndicatorRow>, action: ServerAction<AddIndicator>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let value_msg = field_error(error, "value");
    let kind_msg = field_error(error, "kind");
    let first_msg = field_error(error, "first_seen");
    let last_msg = field_error(error, "last_seen");
    let empty = rows.is_empty();
    let items = rows
        .into_iter()
        .map(|row| {
            let i = row.indicator;
            let seen = match (i.first_seen, i.last_seen) {
                (None, None) => String::new(),
                (first, last) => format!(
                    "Seen {} – {}",
                    first.map(display_time).unwrap_or_else(|| "?".into()),
                    last.map(display_time).unwrap_or_else(|| "?".into())
                ),
            };
            let search = format!("/indicators?kind={}&value={}", i.kind.code(), crate::domain::url_encode(&i.value));
            let also = (!row.also_seen_in.is_empty()).then(|| {
                let links = row
                    .also_seen_in
                    .iter()
                    .map(|r| view! { <a class="link mr-2" href=format!("/incidents/{r}")>{r.clone()}</a> })
                    .collect_view();
                view! { <p class="text-sm" data-testid="also-seen">"Also seen in: " {links}</p> }
            });
            view! {
                <li class="rounded border border-slate-200 p-2 dark:border-slate-700" data-testid="indicator">
                    <p class="flex flex-wrap items-center gap-2">
                        <span class="text-sm font-semibold">{i.kind.label()}</span>
                        <code class="break-all" data-testid="indicator-value">{i.value.clone()}</code>
                        <TlpBadge tlp=i.tlp/>
                    </p>
                    <p class="text-xs text-slate-700 dark:text-slate-300">{seen}</p>
                    {also}
                    <a class="link text-sm" href=search>"Where else was this seen?"</a>
                </li>
            }
        })
        .collect_view();
    let kinds = IndicatorKind::ALL.iter().map(|k| view! { <option value=k.code()>{k.label()}</option> }).collect_view();
    let tlps = Tlp::ALL
        .iter()
        .map(|t| view! { <option value=t.code() selected=*t == Tlp::Amber>{t.label()}</option> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="indicators-heading" data-testid="indicators">
            <h2 id="indicators-heading" class="mb-3 text-lg font-semibold">"Indicators of compromise"</h2>
            <Show when=move || empty>
                <p class="mb-3 text-sm text-slate-700 dark:text-slate-300">"No indicators recorded yet."</p>
            </Show>
            <ul class="mb-4 space-y-2">{items}</ul>
            <ActionForm action=action attr:class="grid gap-3 md:grid-cols-2" attr:novalidate="true" attr:aria-label="Add indicator">
                <input type="hidden" name="reference" value=reference/>
                <div class="field">
                    <label for="ioc-kind">"Type"</label>
                    <select id="ioc-kind" name="indicator[kind]" aria-describedby="ioc-kind-error">{kinds}</select>
                    <FieldMessage id="ioc-kind-error" message=kind_msg/>
                </div>
                <div class="field">
                    <label for="ioc-tlp">"TLP"</label>
                    <select id="ioc-tlp" name="indicator[tlp]">{tlps}</select>
                </div>
                <div class="field md:col-span-2">
                    <label for="ioc-value">"Value"</label>
                    <input id="ioc-value" name="indicator[value]" type="text" maxlength="2048" autocomplete="off"
                        aria-describedby="ioc-value-error" aria-invalid=move || value_msg.get().is_some().to_string()/>
                    <FieldMessage id="ioc-value-error" message=value_msg/>
                </div>
                <div class="field">
                    <label for="ioc-first">"First seen (UTC)"</label>
                    <input id="ioc-first" name="indicator[first_seen]" type="datetime-local" aria-describedby="ioc-first-error"/>
                    <FieldMessage id="ioc-first-error" message=first_msg/>
                </div>
                <div class="field">
                    <label for="ioc-last">"Last seen (UTC)"</label>
                    <input id="ioc-last" name="indicator[last_seen]" type="datetime-local" aria-describedby="ioc-last-error"/>
                    <FieldMessage id="ioc-last-error" message=last_msg/>
                </div>
                <div class="md:col-span-2">
                    <button type="submit" class="btn-primary" data-testid="add-indicator">"Add indicator"</button>
                </div>
            </ActionForm>
        </section>
    }
}
