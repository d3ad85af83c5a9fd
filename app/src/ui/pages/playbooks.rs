//! Playbooks: the list, and one playbook's checklist per phase. Admins edit
//! them here; everyone else reads them. Edits reach incidents classified
//! after the change, never checklists already on an incident.

use crate::api::{
    AddPlaybookItem, ChangePlaybookItem, CreatePlaybook, PlaybookList, PlaybookPage as Data, SetPlaybookRetired,
    UpdatePlaybook, load_playbook, load_playbooks,
};
use crate::domain::Code;
use crate::domain::Phase;
use crate::domain::incident::display_time;
use crate::domain::playbook::{IrRole, Playbook, PlaybookItem, working_phases};
use crate::error::AppError;
use crate::ui::components::{ErrorAlert, FieldMessage, TextField, field_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Bumps `refresh` whenever `action` succeeds, so the page reloads its data.
fn refresh_on_success<A, O>(action: ServerAction<A>, refresh: RwSignal<u32>)
where
    A: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            refresh.update(|n| *n += 1);
        }
    });
}

#[component]
pub fn PlaybooksPage() -> impl IntoView {
    let create = ServerAction::<CreatePlaybook>::new();
    let data = Resource::new(|| (), |_| load_playbooks());
    view! {
        <Title text="Playbooks"/>
        <p class="text-sm"><a class="link" href="/preparation">"Preparation"</a></p>
        <h1 class="mb-2 text-2xl font-semibold">"Playbooks"</h1>
        <p class="mb-4 max-w-3xl">
            "When an incident is classified, the playbook for its classification becomes its checklist: the most specific
            match wins, and the generic playbook covers the rest. Changing a playbook affects incidents classified
            afterwards, never a checklist already on an incident."
        </p>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => view! { <PlaybookTable list=list create=create/> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PlaybookTable(list: PlaybookList, create: ServerAction<CreatePlaybook>) -> impl IntoView {
    let PlaybookList { playbooks, may_edit, entries } = list;
    let copy_options =
        playbooks.iter().map(|p| view! { <option value=p.key.clone()>{p.name.clone()}</option> }).collect_view();
    let rows = playbooks
        .iter()
        .map(|p| {
            let required = p.items.iter().filter(|i| i.required).count();
            let applies = if p.is_fallback() {
                "Everything not covered by another playbook".to_owned()
            } else {
                p.applies_to_labels().join("; ")
            };
            view! {
                <tr class="border-t border-slate-200 align-top dark:border-slate-700" data-testid="playbook-row">
                    <th scope="row" class="p-2 font-normal">
                        <a class="link" href=format!("/preparation/playbooks/{}", p.key)>{p.name.clone()}</a>
                    </th>
                    <td class="p-2">{applies}</td>
                    <td class="p-2">{format!("{} ({required} required)", p.items.len())}</td>
                    <td class="p-2">
                        {if p.retired {
                            view! { <span class="badge bg-slate-600 text-white">"Retired"</span> }.into_any()
                        } else {
                            view! { <span>"In use"</span> }.into_any()
                        }}
                    </td>
                    <td class="p-2">{format!("v{} · {}", p.version, display_time(p.updated_at))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="playbooks-heading">
            <h2 id="playbooks-heading" class="sr-only">"All playbooks"</h2>
            <div class="overflow-x-auto"><table class="w-full text-left text-sm">
                <caption class="sr-only">"Playbooks"</caption>
                <thead><tr>
                    <th scope="col" class="p-2">"Playbook"</th><th scope="col" class="p-2">"Applies to"</th>
                    <th scope="col" class="p-2">"Items"</th><th scope="col" class="p-2">"Status"</th>
                    <th scope="col" class="p-2">"Version"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
        {may_edit.then(move || view! {
            <section class="card mt-6 max-w-3xl" aria-labelledby="new-playbook-heading">
                <h2 id="new-playbook-heading" class="text-lg font-semibold">"New playbook"</h2>
                <CreateForm create=create copy_options=copy_options.into_any() entries=entries/>
            </section>
        })}
    }
}

#[component]
fn CreateForm(
    create: ServerAction<CreatePlaybook>,
    copy_options: AnyView,
    entries: Vec<(String, String)>,
) -> impl IntoView {
    let error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    view! {
        <ActionForm action=create attr:class="mt-3 space-y-3" attr:novalidate="true" attr:aria-label="New playbook">
            <ErrorAlert error=error/>
            <div class="grid gap-3 md:grid-cols-2">
                <TextField id="playbook-key" name="playbook[key]" label="Key (lowercase letters, digits, _)" message=field_error(error, "key")/>
                <TextField id="playbook-name" name="playbook[name]" label="Name" message=field_error(error, "name")/>
            </div>
            <HeaderFields error=error description=String::new() applies_to=String::new() entries=entries/>
            <div class="field">
                <label for="playbook-copy-from">"Start from a copy of"</label>
                <select id="playbook-copy-from" name="copy_from">
                    <option value="">"Nothing (an empty checklist)"</option>
                    {copy_options}
                </select>
            </div>
            <button type="submit" class="btn-primary">"Create playbook"</button>
        </ActionForm>
    }
}

/// The description and classification fields shared by the create and edit forms.
#[component]
fn HeaderFields(
    error: Signal<Option<AppError>>,
    description: String,
    applies_to: String,
    entries: Vec<(String, String)>,
) -> impl IntoView {
    let description_msg = field_error(error, "description");
    let applies_msg = field_error(error, "applies_to");
    let codes =
        entries.into_iter().map(|(code, label)| view! { <li><code>{code}</code> " " {label}</li> }).collect_view();
    view! {
        <div class="field">
            <label for="playbook-description">"When to use it"</label>
            <textarea id="playbook-description" name="playbook[description]" rows="2" aria-describedby="playbook-description-error"
                aria-invalid=move || description_msg.get().is_some().to_string()>{description}</textarea>
            <FieldMessage id="playbook-description-error" message=description_msg/>
        </div>
        <div class="field">
            <label for="playbook-applies-to">"Classifications it applies to (one code per line)"</label>
            <textarea id="playbook-applies-to" name="playbook[applies_to]" rows="3" spellcheck="false"
                aria-describedby="playbook-applies-to-hint playbook-applies-to-error"
                aria-invalid=move || applies_msg.get().is_some().to_string()>{applies_to}</textarea>
            <p id="playbook-applies-to-hint" class="text-sm text-slate-700 dark:text-slate-300">
                "A category code covers all its sub-types; a category/sub-type code is more specific and wins over it."
            </p>
            <FieldMessage id="playbook-applies-to-error" message=applies_msg/>
            <details class="text-sm">
                <summary class="cursor-pointer">"Classification codes"</summary>
                <ul class="mt-2 columns-1 md:columns-2">{codes}</ul>
            </details>
        </div>
    }
}

#[component]
pub fn PlaybookPage() -> impl IntoView {
    let params = use_params_map();
    let key = Memo::new(move |_| params.read().get("key").unwrap_or_default());
    let refresh = RwSignal::new(0u32);
    let data = Resource::new(move || (key.get(), refresh.get()), |(k, _)| load_playbook(k));
    view! {
        <Transition fallback=|| view! { <p>"Loading the playbook…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <PlaybookView page=page refresh=refresh/> }.into_any(),
                    Err(AppError::NotFound) => view! { <super::NotFound/> }.into_any(),
                    Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PlaybookView(page: Data, refresh: RwSignal<u32>) -> impl IntoView {
    let Data { playbook, may_edit, entries } = page;
    let p = playbook.clone();
    let applies = if p.is_fallback() {
        "Every classification no other playbook covers.".to_owned()
    } else {
        p.applies_to_labels().join("; ")
    };
    let phases = working_phases()
        .map(|phase| view! { <PhaseItems playbook=playbook.clone() phase=phase may_edit=may_edit refresh=refresh/> })
        .collect_view();
    view! {
        <Title text=format!("{} playbook", p.name)/>
        <p class="text-sm"><a class="link" href="/preparation/playbooks">"Playbooks"</a></p>
        <header class="mb-4">
            <h1 class="text-2xl font-semibold" data-testid="playbook-name">{p.name.clone()}
                {p.retired.then(|| view! { " " <span class="badge bg-slate-600 align-middle text-white">"Retired"</span> })}
            </h1>
            <p class="mt-1 max-w-3xl">{p.description.clone()}</p>
            <p class="mt-1 text-sm"><span class="font-semibold">"Applies to: "</span><span data-testid="playbook-applies-to">{applies}</span></p>
            <p class="mt-1 text-sm text-slate-700 dark:text-slate-300" data-testid="playbook-version">
                {format!("Version {} · last changed by {} · {}", p.version, p.updated_by, display_time(p.updated_at))}
            </p>
            {(!may_edit).then(|| view! {
                <p role="note" class="mt-3 rounded border border-slate-300 p-2 text-sm dark:border-slate-700" data-testid="read-only">
                    "Read-only: administrators edit playbooks."
                </p>
            })}
        </header>
        {may_edit.then(|| view! { <HeaderEditor playbook=playbook.clone() entries=entries refresh=refresh/> })}
        <div class="grid gap-6 xl:grid-cols-2">{phases}</div>
        {may_edit.then(|| view! { <AddItem playbook_key=playbook.key.clone() refresh=refresh/> })}
    }
}

#[component]
fn HeaderEditor(playbook: Playbook, entries: Vec<(String, String)>, refresh: RwSignal<u32>) -> impl IntoView {
    let update = ServerAction::<UpdatePlaybook>::new();
    let retire = ServerAction::<SetPlaybookRetired>::new();
    refresh_on_success(update, refresh);
    refresh_on_success(retire, refresh);
    let error = Signal::derive(move || update.value().get().and_then(|r| r.err()));
    let retire_error = Signal::derive(move || retire.value().get().and_then(|r| r.err()));
    let (key, retired) = (playbook.key.clone(), playbook.retired);
    let retire_form = (!playbook.is_fallback()).then(move || {
        let label = if retired { "Bring back into use" } else { "Retire this playbook" };
        view! {
            <ActionForm action=retire attr:class="mt-3" attr:aria-label="Retire or restore">
                <input type="hidden" name="key" value=key/>
                <input type="hidden" name="retired" value=(!retired).to_string()/>
                <ErrorAlert error=retire_error testid="retire-error"/>
                <button type="submit" class="btn" data-testid="toggle-retired">{label}</button>
            </ActionForm>
        }
    });
    view! {
        <section class="card mb-6 max-w-3xl" aria-labelledby="playbook-edit-heading">
            <details>
                <summary class="cursor-pointer"><h2 id="playbook-edit-heading" class="inline text-lg font-semibold">"Name, description and classifications"</h2></summary>
                <ActionForm action=update attr:class="mt-3 space-y-3" attr:novalidate="true" attr:aria-label="Edit playbook">
                    <ErrorAlert error=error/>
                    <input type="hidden" name="key" value=playbook.key.clone()/>
                    <input type="hidden" name="version" value=playbook.version.to_string()/>
                    <TextField id="playbook-name" name="playbook[name]" label="Name" value=playbook.name.clone() message=field_error(error, "name")/>
                    <HeaderFields error=error description=playbook.description.clone() applies_to=playbook.applies_to.join("\n") entries=entries/>
                    <button type="submit" class="btn-primary">"Save playbook"</button>
                </ActionForm>
            </details>
            {retire_form}
        </section>
    }
}

#[component]
fn PhaseItems(playbook: Playbook, phase: Phase, may_edit: bool, refresh: RwSignal<u32>) -> impl IntoView {
    let items: Vec<PlaybookItem> = playbook.items_for(phase).cloned().collect();
    let heading = format!("phase-{}-heading", phase.code());
    let labelled_by = heading.clone();
    let empty = items.is_empty().then(|| view! { <p class="text-sm">"No items for this phase."</p> });
    let list = items
        .into_iter()
        .map(|item| {
            if may_edit {
                view! { <ItemEditor playbook_key=playbook.key.clone() item=item refresh=refresh/> }.into_any()
            } else {
                view! {
                    <li data-testid="playbook-item">
                        {item.text.clone()} " "
                        <span class="text-sm text-slate-700 dark:text-slate-300">
                            {format!("({}, {})", if item.required { "required" } else { "optional" }, item.owner.label())}
                        </span>
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby=labelled_by data-testid=format!("phase-{}", phase.code())>
            <h2 id=heading class="mb-2 text-lg font-semibold">{phase.label()}</h2>
            {empty}
            <ol class="list-decimal space-y-3 pl-6">{list}</ol>
        </section>
    }
}

fn phase_options(selected: Phase) -> impl IntoView {
    working_phases()
        .map(|p| view! { <option value=p.code() selected=p == selected>{p.label()}</option> })
        .collect_view()
}

fn owner_options(selected: IrRole) -> impl IntoView {
    IrRole::ALL
        .iter()
        .map(|r| view! { <option value=r.code() selected=*r == selected>{r.label()}</option> })
        .collect_view()
}

/// One item as a form: its fields, then Save, Move up, Move down and Remove.
#[component]
fn ItemEditor(playbook_key: String, item: PlaybookItem, refresh: RwSignal<u32>) -> impl IntoView {
    let change = ServerAction::<ChangePlaybookItem>::new();
    refresh_on_success(change, refresh);
    let error = Signal::derive(move || change.value().get().and_then(|r| r.err()));
    let text_msg = field_error(error, "text");
    let id = |field: &str| format!("item-{}-{field}", item.id);
    let (text_id, phase_id, owner_id, required_id) = (id("text"), id("phase"), id("owner"), id("required"));
    let text_error_id = format!("{text_id}-error");
    let (phase_for, owner_for, required_for) = (phase_id.clone(), owner_id.clone(), required_id.clone());
    let form_label = format!("Item: {}", item.text);
    let text = item.text.clone();
    view! {
        <li data-testid="playbook-item">
            <ActionForm action=change attr:class="grid gap-2" attr:novalidate="true" attr:aria-label=form_label>
                <input type="hidden" name="key" value=playbook_key/>
                <input type="hidden" name="id" value=item.id.clone()/>
                <ErrorAlert error=Signal::derive(move || error.get().filter(|e| e.field("text").is_none()))/>
                <div class="field">
                    <label for=text_id.clone()>"Item"</label>
                    <textarea id=text_id name="item[text]" rows="2" aria-describedby=text_error_id.clone()
                        aria-invalid=move || text_msg.get().is_some().to_string()>{text}</textarea>
                    <FieldMessage id=text_error_id message=text_msg/>
                </div>
                <div class="flex flex-wrap items-end gap-3">
                    <div class="field">
                        <label for=phase_for>"Phase"</label>
                        <select id=phase_id name="item[phase]">{phase_options(item.phase)}</select>
                    </div>
                    <div class="field">
                        <label for=owner_for>"Owner"</label>
                        <select id=owner_id name="item[owner]">{owner_options(item.owner)}</select>
                    </div>
                    <label for=required_for class="flex items-center gap-2">
                        <input id=required_id type="checkbox" name="item[required]" value="on" checked=item.required/>
                        "Required to leave the phase"
                    </label>
                </div>
                <div class="flex flex-wrap gap-2">
                    <button type="submit" name="op" value="save" class="btn-small">"Save"</button>
                    <button type="submit" name="op" value="up" class="btn-small">"Move up"</button>
                    <button type="submit" name="op" value="down" class="btn-small">"Move down"</button>
                    <button type="submit" name="op" value="remove" class="btn-small">"Remove"</button>
                </div>
            </ActionForm>
        </li>
    }
}

#[component]
fn AddItem(playbook_key: String, refresh: RwSignal<u32>) -> impl IntoView {
    let add = ServerAction::<AddPlaybookItem>::new();
    refresh_on_success(add, refresh);
    let error = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    view! {
        <section class="card mt-6 max-w-3xl" aria-labelledby="add-item-heading">
            <h2 id="add-item-heading" class="text-lg font-semibold">"Add an item"</h2>
            <ActionForm action=add attr:class="mt-3 space-y-3" attr:novalidate="true" attr:aria-label="Add an item">
                <input type="hidden" name="key" value=playbook_key/>
                <ErrorAlert error=error/>
                <TextField id="new-item-text" name="item[text]" label="Item" message=field_error(error, "text")/>
                <div class="flex flex-wrap items-end gap-3">
                    <div class="field">
                        <label for="new-item-phase">"Phase"</label>
                        <select id="new-item-phase" name="item[phase]">{phase_options(Phase::Identification)}</select>
                    </div>
                    <div class="field">
                        <label for="new-item-owner">"Owner"</label>
                        <select id="new-item-owner" name="item[owner]">{owner_options(IrRole::TechnicalLead)}</select>
                    </div>
                    <label for="new-item-required" class="flex items-center gap-2">
                        <input id="new-item-required" type="checkbox" name="item[required]" value="on" checked=true/>
                        "Required to leave the phase"
                    </label>
                </div>
                <button type="submit" class="btn-primary">"Add item"</button>
            </ActionForm>
        </section>
    }
}
