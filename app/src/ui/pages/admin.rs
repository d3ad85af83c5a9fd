//! Administration: accounts (create, role, disable, reset password) and the
//! audit log with its chain status.

use crate::api::{AuditQuery, CreateUser, ResetPassword, SetUserDisabled, SetUserRole, audit_log, list_users};
use crate::domain::Code;
use crate::domain::access::{MIN_PASSWORD_LENGTH, Role};
use crate::domain::audit::ChainStatus;
use crate::ui::components::{ErrorAlert, FieldMessage, field_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn UsersPage() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let role = ServerAction::<SetUserRole>::new();
    let disabled = ServerAction::<SetUserDisabled>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let users = Resource::new(
        move || (create.version().get(), role.version().get(), disabled.version().get()),
        |_| list_users(),
    );
    let create_error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let username_msg = field_error(create_error, "username");
    let name_msg = field_error(create_error, "display_name");
    let role_msg = field_error(create_error, "role");
    let password_msg = field_error(create_error, "password");
    let row_error = Signal::derive(move || {
        role.value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| disabled.value().get().and_then(|r| r.err()))
            .or_else(|| reset.value().get().and_then(|r| r.err()))
    });
    let reset_done = move || matches!(reset.value().get(), Some(Ok(())));
    let role_options = |selected: Role| {
        Role::ALL
            .iter()
            .map(move |r| view! { <option value=r.code() selected=*r == selected>{r.label()}</option> })
            .collect_view()
    };

    view! {
        <Title text="Users"/>
        <h1 class="mb-4 text-2xl font-semibold">"Users"</h1>
        <ErrorAlert error=row_error spell_out_fields=true testid="users-error"/>
        <Show when=reset_done>
            <p role="status" class="mb-4">"Password reset. The user's sessions have ended; tell them the new password in person or by phone."</p>
        </Show>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) => view! {
                        <div class="overflow-x-auto">
                        <table class="w-full text-left text-sm" data-testid="users">
                            <caption class="sr-only">"Accounts"</caption>
                            <thead><tr>
                                <th scope="col" class="p-2">"Name"</th>
                                <th scope="col" class="p-2">"Username"</th>
                                <th scope="col" class="p-2">"Role"</th>
                                <th scope="col" class="p-2">"Status"</th>
                                <th scope="col" class="p-2">"New password"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|u| {
                                    let (id_role, id_disable, id_reset) = (u.id.clone(), u.id.clone(), u.id.clone());
                                    let label = format!("Role of {}", u.username);
                                    let label_form = label.clone();
                                    let pw_label = format!("New password for {}", u.username);
                                    let pw_label_form = pw_label.clone();
                                    let disable_label = format!("Enable or disable {}", u.username);
                                    view! {
                                        <tr class="border-t border-slate-200 dark:border-slate-700" data-testid="user-row" data-username=u.username.clone()>
                                            <td class="p-2">{u.display_name.clone()}</td>
                                            <td class="p-2 font-mono">{u.username.clone()}</td>
                                            <td class="p-2">
                                                <ActionForm action=role attr:class="flex gap-2" attr:aria-label=label_form>
                                                    <input type="hidden" name="user_id" value=id_role/>
                                                    <select name="role" aria-label=label>{role_options(u.role)}</select>
                                                    <button type="submit" class="btn-small">"Save"</button>
                                                </ActionForm>
                                            </td>
                                            <td class="p-2">
                                                <ActionForm action=disabled attr:aria-label=disable_label>
                                                    <input type="hidden" name="user_id" value=id_disable/>
                                                    <input type="hidden" name="disabled" value=(!u.disabled).to_string()/>
                                                    {if u.disabled { "Disabled " } else { "Active " }}
                                                    {if u.totp_enabled { "· two-step " } else { "" }}
                                                    <button type="submit" class="btn-small">{if u.disabled { "Enable" } else { "Disable" }}</button>
                                                </ActionForm>
                                            </td>
                                            <td class="p-2">
                                                <ActionForm action=reset attr:class="flex gap-2" attr:aria-label=pw_label_form>
                                                    <input type="hidden" name="user_id" value=id_reset/>
                                                    <input name="password" type="password" autocomplete="new-password" aria-label=pw_label
                                                        minlength=MIN_PASSWORD_LENGTH.to_string()/>
                                                    <button type="submit" class="btn-small">"Reset"</button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Suspense>

        <section class="card mt-6 max-w-xl space-y-3" aria-labelledby="new-user-heading">
            <h2 id="new-user-heading" class="text-lg font-semibold">"Add a user"</h2>
            <ActionForm action=create attr:class="space-y-3" attr:novalidate="true" attr:aria-label="Add a user">
                <div class="field">
                    <label for="new-user-username">"Username"</label>
                    <input id="new-user-username" name="user[username]" type="text" autocapitalize="none" spellcheck="false"
                        aria-describedby="new-user-username-error" aria-invalid=move || username_msg.get().is_some().to_string()/>
                    <FieldMessage id="new-user-username-error" message=username_msg/>
                </div>
                <div class="field">
                    <label for="new-user-name">"Name"</label>
                    <input id="new-user-name" name="user[display_name]" type="text"
                        aria-describedby="new-user-name-error" aria-invalid=move || name_msg.get().is_some().to_string()/>
                    <FieldMessage id="new-user-name-error" message=name_msg/>
                </div>
                <div class="field">
                    <label for="new-user-role">"Role"</label>
                    <select id="new-user-role" name="user[role]" aria-describedby="new-user-role-error">{role_options(Role::Responder)}</select>
                    <FieldMessage id="new-user-role-error" message=role_msg/>
                </div>
                <div class="field">
                    <label for="new-user-password">"Initial password"</label>
                    <input id="new-user-password" name="user[password]" type="password" autocomplete="new-password"
                        aria-describedby="new-user-password-error" aria-invalid=move || password_msg.get().is_some().to_string()/>
                    <FieldMessage id="new-user-password-error" message=password_msg/>
                </div>
                <button type="submit" class="btn-primary">"Add user"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| {
        let q = query.read();
        AuditQuery {
            actor: q.get("actor").unwrap_or_default(),
            action: q.get("action").unwrap_or_default(),
            object: q.get("object").unwrap_or_default(),
        }
    });
    let page = Resource::new(move || params.get(), audit_log);
    view! {
        <Title text="Audit log"/>
        <h1 class="mb-4 text-2xl font-semibold">"Audit log"</h1>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let q = params.get_untracked();
                match page.await {
                    Ok(view) => {
                        let status = match view.status {
                            ChainStatus::Intact { records, head_hash } => view! {
                                <p role="status" data-testid="chain-status" data-intact="true" class="mb-4 rounded border border-green-600 p-3">
                                    {format!("Chain intact: {records} records. Head {records}:{head_hash}")}
                                </p>
                            }.into_any(),
                            ChainStatus::Broken { seq, problem } => view! {
                                <p role="alert" data-testid="chain-status" data-intact="false" class="mb-4 rounded border border-red-600 bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
                                    {format!("Chain BROKEN at record {seq}: {problem}.")}
                                </p>
                            }.into_any(),
                        };
                        let actions = view.actions.iter().map(|a| {
                            view! { <option value=a.clone() selected=*a == q.action>{a.clone()}</option> }
                        }).collect_view();
                        view! {
                            {status}
                            <Form method="GET" action="" attr:class="mb-4 flex flex-wrap items-end gap-3" attr:aria-label="Filter the audit log">
                                <div class="field">
                                    <label for="audit-actor">"Actor"</label>
                                    <input id="audit-actor" name="actor" type="text" value=q.actor.clone()/>
                                </div>
                                <div class="field">
                                    <label for="audit-action">"Action"</label>
                                    <select id="audit-action" name="action">
                                        <option value="">"Any"</option>
                                        {actions}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="audit-object">"Object"</label>
                                    <input id="audit-object" name="object" type="text" value=q.object.clone()/>
                                </div>
                                <button type="submit" class="btn-primary">"Filter"</button>
                            </Form>
                            <div class="overflow-x-auto">
                            <table class="w-full text-left text-sm" data-testid="audit-entries">
                                <caption class="sr-only">"Audit records, newest first"</caption>
                                <thead><tr>
                                    <th scope="col" class="p-2">"#"</th>
                                    <th scope="col" class="p-2">"Time (UTC)"</th>
                                    <th scope="col" class="p-2">"Actor"</th>
                                    <th scope="col" class="p-2">"Action"</th>
                                    <th scope="col" class="p-2">"Object"</th>
                                    <th scope="col" class="p-2">"Summary"</th>
                                </tr></thead>
                                <tbody>
                                    {view.entries.into_iter().map(|e| view! {
                                        <tr class="border-t border-slate-200 align-top dark:border-slate-700" data-testid="audit-entry">
                                            <td class="p-2 font-mono">{e.seq}</td>
                                            <td class="p-2 whitespace-nowrap">{e.at.get(..19).unwrap_or(&e.at).replace('T', " ")}</td>
                                            <td class="p-2">{e.actor}</td>
                                            <td class="p-2 font-mono">{e.action}</td>
                                            <td class="p-2">{e.object}</td>
                                            <td class="p-2">{e.summary}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Transition>
    }
}
