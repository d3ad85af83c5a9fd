//! "Where else did we see this?": finds every incident that recorded an
//! indicator. The query is in the URL, so a search can be linked and bookmarked.

use crate::api::search_indicators;
use crate::domain::incident::display_time;
use crate::domain::{Code, IndicatorKind};
use crate::ui::components::{ErrorAlert, FieldMessage, field_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn IndicatorSearchPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| {
        let q = query.read();
        (q.get("kind").unwrap_or_else(|| "ip".into()), q.get("value").unwrap_or_default())
    });
    let results = Resource::new(
        move || params.get(),
        |(kind, value)| async move {
            if value.trim().is_empty() { Ok(None) } else { search_indicators(kind, value).await.map(Some) }
        },
    );
    view! {
        <Title text="Indicator search"/>
        <h1 class="mb-1 text-2xl font-semibold">"Where else did we see this?"</h1>
        <p class="mb-4 text-slate-700 dark:text-slate-300">
            "Find every incident that recorded an indicator. Defanged values such as evil[.]example[.]com are understood."
        </p>
        <Transition fallback=|| view! { <p>"Searching…"</p> }>
            {move || Suspend::new(async move {
                let (kind, value) = params.get_untracked();
                let outcome = results.await;
                let error = Signal::derive({
                    let outcome = outcome.clone();
                    move || outcome.clone().err()
                });
                let value_msg = field_error(error, "value");
                let kinds = IndicatorKind::ALL
                    .iter()
                    .map(|k| view! { <option value=k.code() selected=k.code() == kind>{k.label()}</option> })
                    .collect_view();
                let list = match outcome {
                    Ok(Some(sightings)) if sightings.is_empty() => {
                        view! { <p data-testid="sightings-empty">"No incident recorded this indicator."</p> }.into_any()
                    }
                    Ok(Some(sightings)) => view! {
                        <ul class="space-y-2" data-testid="sightings">
                            {sightings.into_iter().map(|s| {
                                let seen = s.last_seen.map(|t| format!(" · last seen {}", display_time(t))).unwrap_or_default();
                                view! {
                                    <li class="card" data-testid="sighting" data-reference=s.reference.clone()>
                                        <a class="link font-mono" href=format!("/incidents/{}", s.reference)>{s.reference.clone()}</a>
                                        " " {s.title.clone()}
                                        <span class="text-sm text-slate-700 dark:text-slate-300">{seen}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(_) => view! { <ErrorAlert error=Signal::derive(move || error.get().filter(|e| e.field("value").is_none()))/> }.into_any(),
                };
                view! {
                    <Form method="GET" action="" attr:class="mb-6 flex flex-wrap items-end gap-3" attr:role="search" attr:aria-label="Search indicators">
                        <div class="field">
                            <label for="search-kind">"Type"</label>
                            <select id="search-kind" name="kind">{kinds}</select>
                        </div>
                        <div class="field min-w-[18rem] flex-1">
                            <label for="search-value">"Value"</label>
                            <input id="search-value" name="value" type="search" value=value aria-describedby="search-value-error"
                                aria-invalid=move || value_msg.get().is_some().to_string()/>
                            <FieldMessage id="search-value-error" message=value_msg/>
                        </div>
                        <button type="submit" class="btn-primary">"Search"</button>
                    </Form>
                    {list}
                }
            })}
        </Transition>
    }
}
