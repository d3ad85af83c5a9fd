//! Need-to-know on the incident page: the restricted switch and the members
//! who may see a restricted incident.

use super::{ErrorAlert, FieldMessage, field_error};
use crate::api::{AddMember, Member, RemoveMember, SetRestricted};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn Members(
    reference: String,
    restricted: bool,
    members: Vec<Member>,
    may_manage: bool,
    set_restricted: ServerAction<SetRestricted>,
    add: ServerAction<AddMember>,
    remove: ServerAction<RemoveMember>,
) -> impl IntoView {
    let add_error = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let username_msg = field_error(add_error, "username");
    let other_error = Signal::derive(move || {
        set_restricted.value().get().and_then(|r| r.err()).or_else(|| remove.value().get().and_then(|r| r.err()))
    });
    let list = members
        .into_iter()
        .map(|m| {
            let label = format!("Remove {}", m.display_name);
            let form = may_manage.then(|| {
                let reference = reference.clone();
                let user_id = m.user_id.clone();
                view! {
                    <ActionForm action=remove attr:class="inline">
                        <input type="hidden" name="reference" value=reference/>
                        <input type="hidden" name="user_id" value=user_id/>
                        <button type="submit" class="btn-small" aria-label=label>"Remove"</button>
                    </ActionForm>
                }
            });
            view! {
                <li class="flex items-center justify-between gap-2" data-testid="member">
                    <span>{m.display_name.clone()} " " <span class="text-sm text-slate-700 dark:text-slate-300">{format!("({})", m.username)}</span></span>
                    {form}
                </li>
            }
        })
        .collect_view();
    let controls = may_manage.then(|| {
        let (r1, r2) = (reference.clone(), reference.clone());
        view! {
            <ActionForm action=set_restricted attr:aria-label="Restriction">
                <input type="hidden" name="reference" value=r1/>
                <input type="hidden" name="restricted" value=(!restricted).to_string()/>
                <button type="submit" class="btn" data-testid="toggle-restricted">
                    {if restricted { "Lift the restriction" } else { "Restrict to members" }}
                </button>
            </ActionForm>
            <ActionForm action=add attr:class="flex flex-wrap items-end gap-2" attr:aria-label="Add a member">
                <input type="hidden" name="reference" value=r2/>
                <div class="field">
                    <label for="member-username">"Username"</label>
                    <input id="member-username" name="username" type="text" autocapitalize="none" spellcheck="false"
                        aria-describedby="member-username-error" aria-invalid=move || username_msg.get().is_some().to_string()/>
                    <FieldMessage id="member-username-error" message=username_msg/>
                </div>
                <button type="submit" class="btn-small">"Add member"</button>
            </ActionForm>
        }
    });
    view! {
        <section class="card space-y-3" aria-labelledby="members-heading" data-testid="members">
            <h2 id="members-heading" class="text-lg font-semibold">"Access"</h2>
            <p data-testid="restriction">
                {if restricted {
                    "Restricted: only these members and administrators can see this incident."
                } else {
                    "Open to everyone with access to incidents. Members listed here also see it."
                }}
            </p>
            <ErrorAlert error=other_error testid="members-error"/>
            <ul class="space-y-1">{list}</ul>
            {controls}
        </section>
    }
}
