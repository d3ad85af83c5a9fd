//! Notification regimes and the holiday calendar (`/preparation/regulatory`):
//! read by everyone, kept by admins.

use crate::api::{
    AddHoliday, CreateRegime, RegimeEntry, RegulatoryPage as Data, RemoveHoliday, SetRegimeRetired, load_regulatory,
};
use crate::ui::components::{ErrorAlert, FieldMessage, TextField, field_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateRegime>,
    retire: ServerAction<SetRegimeRetired>,
    add_holiday: ServerAction<AddHoliday>,
    remove_holiday: ServerAction<RemoveHoliday>,
}

#[component]
pub fn RegulatoryPage() -> impl IntoView {
    let a = Actions {
        create: ServerAction::new(),
        retire: ServerAction::new(),
        add_holiday: ServerAction::new(),
        remove_holiday: ServerAction::new(),
    };
    let refresh = RwSignal::new(0u32);
    Effect::new(move |_| {
        let ok = matches!(a.create.value().get(), Some(Ok(_)))
            | matches!(a.retire.value().get(), Some(Ok(_)))
            | matches!(a.add_holiday.value().get(), Some(Ok(_)))
            | matches!(a.remove_holiday.value().get(), Some(Ok(_)));
        if ok {
            refresh.update(|n| *n += 1);
        }
    });
    let data = Resource::new(move || refresh.get(), |_| load_regulatory());
    view! {
        <Title text="Regulatory notifications"/>
        <p class="mb-1 text-sm"><a class="link" href="/preparation">"Preparation"</a></p>
        <h1 class="mb-2 text-2xl font-semibold">"Regulatory notifications"</h1>
        <p class="mb-4 max-w-3xl text-sm text-slate-700 dark:text-slate-300">
            "The regimes whose clocks can be started on an incident, with each stage's deadline and required content. "
            "Deadlines are computed in UTC; business days skip weekends and the holidays below. "
            "Summaries of the law, not legal advice."
        </p>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Sections data=d actions=a/> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Sections(data: Data, actions: Actions) -> impl IntoView {
    let Data { regimes, holidays, may_edit } = data;
    let retire_error = Signal::derive(move || actions.retire.value().get().and_then(|r| r.err()));
    let remove_error = Signal::derive(move || actions.remove_holiday.value().get().and_then(|r| r.err()));
    let regime_cards = regimes
        .into_iter()
        .map(|e| view! { <RegimeCard entry=e may_edit=may_edit action=actions.retire/> })
        .collect_view();
    let empty_calendar = holidays.is_empty();
    let holiday_rows = holidays
        .into_iter()
        .map(|h| {
            let date = h.date.format("%Y-%m-%d").to_string();
            let remove = may_edit.then(|| {
                let label = format!("Remove {} ({date})", h.name);
                let date = date.clone();
                view! {
                    <ActionForm action=actions.remove_holiday attr:class="inline">
                        <input type="hidden" name="date" value=date/>
                        <button type="submit" class="btn-small" aria-label=label>"Remove"</button>
                    </ActionForm>
                }
            });
            view! {
                <tr class="border-t border-slate-200 dark:border-slate-700" data-testid="holiday">
                    <td class="p-2 font-mono">{date}</td>
                    <td class="p-2">{h.name.clone()}</td>
                    <td class="p-2">{remove}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="grid gap-6 xl:grid-cols-3">
            <section class="space-y-4 xl:col-span-2" aria-labelledby="regimes-heading">
                <h2 id="regimes-heading" class="text-lg font-semibold">"Regimes"</h2>
                <ErrorAlert error=retire_error/>
                {regime_cards}
                {may_edit.then(|| view! { <RegimeEditor action=actions.create/> })}
            </section>
            <section class="card space-y-3" aria-labelledby="holidays-heading">
                <h2 id="holidays-heading" class="text-lg font-semibold">"Holiday calendar"</h2>
                <p class="text-sm">"Days that do not count as business days (for example, for SEC Form 8-K)."</p>
                {empty_calendar.then(|| view! { <p class="text-sm" data-testid="no-holidays">"No holidays in the calendar."</p> })}
                <ErrorAlert error=remove_error/>
                <table class="w-full text-left text-sm">
                    <caption class="sr-only">"Holidays"</caption>
                    <thead><tr><th scope="col" class="p-2">"Date"</th><th scope="col" class="p-2">"Name"</th><th scope="col" class="p-2"><span class="sr-only">"Actions"</span></th></tr></thead>
                    <tbody>{holiday_rows}</tbody>
                </table>
                {may_edit.then(|| view! { <HolidayEditor action=actions.add_holiday/> })}
            </section>
        </div>
    }
}

#[component]
fn RegimeCard(entry: RegimeEntry, may_edit: bool, action: ServerAction<SetRegimeRetired>) -> impl IntoView {
    let RegimeEntry { regime: r, retired } = entry;
    let stages = r
        .stages
        .iter()
        .map(|s| {
            let after = s
                .after
                .as_ref()
                .and_then(|k| r.stage(k))
                .map(|p| format!(" after “{}” is submitted", p.name))
                .unwrap_or_else(|| " from the trigger".into());
            view! {
                <li>
                    <span class="font-medium">{s.name.clone()}</span>
                    <span class="text-sm">{format!(" — {}{after}", s.deadline.describe())}</span>
                    <p class="text-sm text-slate-700 dark:text-slate-300">{s.content.clone()}</p>
                </li>
            }
        })
        .collect_view();
    let toggle = (may_edit && !r.builtin).then(|| {
        let label = if retired { "Bring back" } else { "Retire" };
        let (key, aria) = (r.key.clone(), format!("{label} {}", r.name));
        view! {
            <ActionForm action=action attr:class="inline">
                <input type="hidden" name="key" value=key/>
                <input type="hidden" name="retired" value=(!retired).to_string()/>
                <button type="submit" class="btn-small" aria-label=aria>{label}</button>
            </ActionForm>
        }
    });
    view! {
        <article class="card" data-testid="regime" data-key=r.key.clone()>
            <div class="flex flex-wrap items-center gap-2">
                <h3 class="font-semibold">{r.name.clone()}</h3>
                {if r.builtin {
                    view! { <span class="badge bg-slate-200 text-slate-900">"Built in"</span> }.into_any()
                } else {
                    view! { <span class="badge bg-indigo-100 text-indigo-950">"Your own"</span> }.into_any()
                }}
                {retired.then(|| view! { <span class="badge bg-slate-700 text-white">"Retired"</span> })}
                {toggle}
            </div>
            <p class="text-sm">{format!("Clock starts at: {}", r.trigger)}</p>
            <ol class="mt-2 ml-5 list-decimal space-y-2">{stages}</ol>
        </article>
    }
}

#[component]
fn RegimeEditor(action: ServerAction<CreateRegime>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let stages_msg = field_error(error, "stages");
    view! {
        <ActionForm action=action attr:class="card space-y-3" attr:novalidate="true" attr:aria-label="Add a regime">
            <h3 class="font-semibold">"Add your own regime"</h3>
            <TextField id="regime-key" name="regime[key]" label="Key (lowercase, e.g. acme_contract)" message=field_error(error, "key")/>
            <TextField id="regime-name" name="regime[name]" label="Name" message=field_error(error, "name")/>
            <TextField id="regime-trigger" name="regime[trigger]" label="What starts the clock" message=field_error(error, "trigger")/>
            <div class="field">
                <label for="regime-stages">"Stages, one per line: name; deadline; content"</label>
                <textarea id="regime-stages" name="regime[stages]" rows="4" aria-describedby="regime-stages-hint regime-stages-error"></textarea>
                <p id="regime-stages-hint" class="text-xs text-slate-700 dark:text-slate-300">
                    "Deadlines: 24h (hours), 30d (calendar days), 4bd (business days), 1mo (months) or asap. "
                    "Add “after 1” to count from the first submission of stage 1 instead of the trigger."
                </p>
                <FieldMessage id="regime-stages-error" message=stages_msg/>
            </div>
            <button type="submit" class="btn-primary">"Add regime"</button>
        </ActionForm>
    }
}

#[component]
fn HolidayEditor(action: ServerAction<AddHoliday>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    view! {
        <ActionForm action=action attr:class="space-y-3" attr:novalidate="true" attr:aria-label="Add a holiday">
            <TextField id="holiday-date" name="holiday[date]" label="Date" kind="date" message=field_error(error, "date")/>
            <TextField id="holiday-name" name="holiday[name]" label="Name" message=field_error(error, "name")/>
            <button type="submit" class="btn-small">"Add holiday"</button>
        </ActionForm>
    }
}
