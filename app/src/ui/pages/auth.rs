//! Signing in, and the first-run page that creates the first administrator.
//! Both forms work without WASM (they post to their server functions, which
//! set the session cookie and redirect).

use crate::api::{CreateFirstAdmin, SignIn, first_run_needed};
use crate::domain::access::{MIN_PASSWORD_LENGTH, RECOMMENDED_PASSWORD_LENGTH};
use crate::error::AppError;
use crate::ui::components::{ErrorAlert, FieldMessage, field_error};
use crate::ui::reload_at;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Errors that are not about one field (locked out, server trouble).
fn general(error: Signal<Option<AppError>>) -> Signal<Option<AppError>> {
    Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))))
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = Memo::new(move |_| crate::api::safe_next(&query.read().get("next").unwrap_or_default()));
    let action = ServerAction::<SignIn>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let username_msg = field_error(error, "username");
    let password_msg = field_error(error, "password");
    let code_msg = field_error(error, "code");
    // The code field appears once the server says this account needs one.
    let needs_code = RwSignal::new(false);
    Effect::new(move |_| {
        if code_msg.get().is_some() {
            needs_code.set(true);
        }
        if let Some(Ok(_)) = action.value().get() {
            reload_at(&next.get_untracked());
        }
    });
    view! {
        <Title text="Sign in"/>
        <div class="mx-auto max-w-md">
            <h1 class="mb-4 text-2xl font-semibold">"Sign in"</h1>
            <ErrorAlert error=general(error)/>
            <ActionForm action=action attr:class="card space-y-4" attr:novalidate="true" attr:aria-label="Sign in">
                <input type="hidden" name="next" value=move || next.get()/>
                <div class="field">
                    <label for="sign-in-username">"Username"</label>
                    <input id="sign-in-username" name="username" type="text" autocomplete="username" required
                        autocapitalize="none" spellcheck="false"
                        aria-describedby="sign-in-username-error" aria-invalid=move || username_msg.get().is_some().to_string()/>
                    <FieldMessage id="sign-in-username-error" message=username_msg/>
                </div>
                <div class="field">
                    <label for="sign-in-password">"Password"</label>
                    <input id="sign-in-password" name="password" type="password" autocomplete="current-password" required
                        aria-describedby="sign-in-password-error" aria-invalid=move || password_msg.get().is_some().to_string()/>
                    <FieldMessage id="sign-in-password-error" message=password_msg/>
                </div>
                <Show when=move || needs_code.get()>
                    <div class="field">
                        <label for="sign-in-code">"Authenticator code or recovery code"</label>
                        <input id="sign-in-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                            aria-describedby="sign-in-code-error" aria-invalid=move || code_msg.get().is_some().to_string()/>
                        <FieldMessage id="sign-in-code-error" message=code_msg/>
                    </div>
                </Show>
                <button type="submit" class="btn-primary" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <p class="mt-4 text-sm text-slate-700 dark:text-slate-300">
                "Forgotten your password? An administrator can set a new one for you."
            </p>
        </div>
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let needed = Resource::new(|| (), |_| first_run_needed());
    let action = ServerAction::<CreateFirstAdmin>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let username_msg = field_error(error, "username");
    let name_msg = field_error(error, "display_name");
    let password_msg = field_error(error, "password");
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload_at("/");
        }
    });
    view! {
        <Title text="Set up Firebreak"/>
        <div class="mx-auto max-w-md">
            <h1 class="mb-2 text-2xl font-semibold">"Set up Firebreak"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match needed.await {
                        Ok(true) => view! {
                            <p class="mb-4 text-slate-700 dark:text-slate-300">
                                "No account exists yet. Create the first administrator; they can then add everyone else."
                            </p>
                            <ErrorAlert error=general(error)/>
                            <ActionForm action=action attr:class="card space-y-4" attr:novalidate="true" attr:aria-label="First administrator">
                                <div class="field">
                                    <label for="setup-username">"Username"</label>
                                    <input id="setup-username" name="user[username]" type="text" autocomplete="username" required
                                        autocapitalize="none" spellcheck="false"
                                        aria-describedby="setup-username-error" aria-invalid=move || username_msg.get().is_some().to_string()/>
                                    <FieldMessage id="setup-username-error" message=username_msg/>
                                </div>
                                <div class="field">
                                    <label for="setup-name">"Your name"</label>
                                    <input id="setup-name" name="user[display_name]" type="text" autocomplete="name" required
                                        aria-describedby="setup-name-error" aria-invalid=move || name_msg.get().is_some().to_string()/>
                                    <FieldMessage id="setup-name-error" message=name_msg/>
                                </div>
                                <div class="field">
                                    <label for="setup-password">"Password"</label>
                                    <input id="setup-password" name="user[password]" type="password" autocomplete="new-password" required
                                        minlength=MIN_PASSWORD_LENGTH.to_string()
                                        aria-describedby="setup-password-hint setup-password-error"
                                        aria-invalid=move || password_msg.get().is_some().to_string()/>
                                    <p id="setup-password-hint" class="text-sm text-slate-700 dark:text-slate-300">
                                        {format!("At least {MIN_PASSWORD_LENGTH} characters; {RECOMMENDED_PASSWORD_LENGTH} or more recommended. A few unrelated words make a strong, memorable password.")}
                                    </p>
                                    <FieldMessage id="setup-password-error" message=password_msg/>
                                </div>
                                <button type="submit" class="btn-primary" disabled=move || action.pending().get()>
                                    "Create administrator"
                                </button>
                            </ActionForm>
                        }.into_any(),
                        Ok(false) => view! {
                            <p>"Firebreak is already set up. " <a class="link" href="/sign-in">"Sign in"</a></p>
                        }.into_any(),
                        Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
