//! The incident's response team: who holds each IR role, picked from the
//! preparation area's roster.

use super::ErrorAlert;
use crate::api::AssignIncidentRole;
use crate::domain::Code;
use crate::domain::incident::display_time;
use crate::domain::playbook::IrRole;
use crate::domain::preparation::RosterEntry;
use crate::domain::team::RoleAssignment;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn Team(
    reference: String,
    team: Vec<RoleAssignment>,
    roster: Vec<RosterEntry>,
    /// The incident's commander field, which may have been typed by hand.
    commander: Option<String>,
    assign: ServerAction<AssignIncidentRole>,
) -> impl IntoView {
    let error = Signal::derive(move || assign.value().get().and_then(|r| r.err()));
    let rows = IrRole::ALL
        .iter()
        .map(|&role| {
            let held = team.iter().find(|a| a.role == role).cloned();
            let holder = match (&held, role, &commander) {
                (Some(a), _, _) => view! {
                    <span data-testid="role-holder">{a.name.clone()}</span>
                    <span class="block text-sm text-slate-700 dark:text-slate-300">{a.contact.clone()}</span>
                    <span class="block text-xs text-slate-700 dark:text-slate-300">
                        {format!("Assigned by {} · {}", a.assigned_by, display_time(a.assigned_at))}
                    </span>
                }
                .into_any(),
                (None, IrRole::IncidentCommander, Some(name)) => view! {
                    <span data-testid="role-holder">{name.clone()}</span>
                    <span class="block text-xs text-slate-700 dark:text-slate-300">"Named on the incident, not from the roster"</span>
                }
                .into_any(),
                _ => view! { <span class="text-slate-700 dark:text-slate-300" data-testid="role-holder">"Unassigned"</span> }.into_any(),
            };
            // People on the roster for this role first, then everyone else.
            let mut people: Vec<&RosterEntry> = roster.iter().collect();
            people.sort_by_key(|p| (p.role != role, p.name.to_lowercase()));
            let current = held.as_ref().and_then(|a| a.roster_id.clone()).unwrap_or_default();
            let options = people
                .into_iter()
                .map(|p| {
                    let label = if p.role == role { p.name.clone() } else { format!("{} ({})", p.name, p.role.label()) };
                    view! { <option value=p.id.clone() selected=p.id == current>{label}</option> }
                })
                .collect_view();
            let id = format!("team-{}", role.code());
            let reference = reference.clone();
            view! {
                <li class="grid gap-2 border-t border-slate-200 pt-3 first:border-t-0 first:pt-0 md:grid-cols-[10rem_1fr_auto] md:items-end dark:border-slate-800"
                    data-testid=format!("role-{}", role.code())>
                    <div>
                        <h3 class="font-semibold">{role.label()}</h3>
                        {holder}
                    </div>
                    <ActionForm action=assign attr:class="contents" attr:aria-label=format!("Assign {}", role.label())>
                        <input type="hidden" name="reference" value=reference/>
                        <input type="hidden" name="role" value=role.code()/>
                        <div class="field">
                            <label for=id.clone()>{format!("{} from the roster", role.label())}</label>
                            <select id=id name="person">
                                <option value="" selected=current.is_empty()>"Nobody"</option>
                                {options}
                            </select>
                        </div>
                        <button type="submit" class="btn-small">"Assign"</button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card space-y-3" aria-labelledby="team-heading" data-testid="team">
            <h2 id="team-heading" class="text-lg font-semibold">"Response team"</h2>
            {roster.is_empty().then(|| view! {
                <p class="text-sm">
                    "The roster is empty: add people in " <a class="link" href="/preparation#roster-heading">"Preparation"</a> "."
                </p>
            })}
            <ErrorAlert error=error spell_out_fields=true testid="team-error"/>
            <ul class="space-y-3">{rows}</ul>
        </section>
    }
}
