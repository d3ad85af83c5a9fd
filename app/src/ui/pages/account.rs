//! The signed-in user's own security settings: password, two-step sign-in
//! (TOTP with recovery codes) and signing out everywhere.

use crate::api::{BeginTotp, ChangePassword, ConfirmTotp, DisableTotp, SignOutEverywhere, whoami};
use crate::domain::access::{MIN_PASSWORD_LENGTH, RECOMMENDED_PASSWORD_LENGTH};
use crate::ui::components::{ErrorAlert, FieldMessage, field_error};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let begin = ServerAction::<BeginTotp>::new();
    let confirm = ServerAction::<ConfirmTotp>::new();
    let disable = ServerAction::<DisableTotp>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let me = Resource::new(move || (confirm.version().get(), disable.version().get()), |_| whoami());

    let change_error = Signal::derive(move || change.value().get().and_then(|r| r.err()));
    let current_msg = field_error(change_error, "current");
    let new_msg = field_error(change_error, "new");
    let changed = move || matches!(change.value().get(), Some(Ok(())));

    let confirm_error = Signal::derive(move || confirm.value().get().and_then(|r| r.err()));
    let code_msg = field_error(confirm_error, "code");
    let disable_error = Signal::derive(move || disable.value().get().and_then(|r| r.err()));
    let disable_msg = field_error(disable_error, "password");
    let begin_error = Signal::derive(move || begin.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = everywhere.value().get() {
            crate::ui::reload_at("/sign-in");
        }
    });

    view! {
        <Title text="Your account"/>
        <div class="mx-auto max-w-2xl space-y-6">
            <h1 class="text-2xl font-semibold">"Your account"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let user = me.await.ok().flatten();
                    user.map(|u| view! {
                        <p data-testid="account-summary">
                            "Signed in as " <strong>{u.display_name.clone()}</strong> " (" {u.username.clone()} "), "
                            {u.role.to_string()} "."
                        </p>
                        <section class="card space-y-3" aria-labelledby="totp-heading" data-testid="totp">
                            <h2 id="totp-heading" class="text-lg font-semibold">"Two-step sign-in"</h2>
                            {if u.totp_enabled {
                                view! {
                                    <p data-testid="totp-status">"On: signing in asks for a code from your authenticator app."</p>
                                    <ActionForm action=disable attr:class="flex flex-wrap items-end gap-3" attr:aria-label="Turn off two-step sign-in">
                                        <div class="field">
                                            <label for="totp-off-password">"Your password"</label>
                                            <input id="totp-off-password" name="password" type="password" autocomplete="current-password"
                                                aria-describedby="totp-off-error" aria-invalid=move || disable_msg.get().is_some().to_string()/>
                                            <FieldMessage id="totp-off-error" message=disable_msg/>
                                        </div>
                                        <button type="submit" class="btn">"Turn off"</button>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! {
                                    <p data-testid="totp-status">"Off. Turn it on so that a stolen password is not enough to sign in."</p>
                                    <ErrorAlert error=begin_error/>
                                    <ActionForm action=begin attr:aria-label="Start two-step enrolment">
                                        <button type="submit" class="btn-primary">"Set up an authenticator app"</button>
                                    </ActionForm>
                                }.into_any()
                            }}
                            {move || begin.value().get().and_then(|r| r.ok()).filter(|_| confirm.value().get().is_none_or(|r| r.is_err())).map(|setup| view! {
                                <div class="space-y-3" data-testid="totp-setup">
                                    <p>"Scan this code with your authenticator app, or type the key into it by hand."</p>
                                    <div class="w-52 bg-white p-1" role="img" aria-label="QR code of the enrolment key" inner_html=setup.qr_svg.clone()></div>
                                    <p>"Key: " <code data-testid="totp-secret" class="break-all">{setup.secret.clone()}</code></p>
                                    <ActionForm action=confirm attr:class="flex flex-wrap items-end gap-3" attr:aria-label="Confirm two-step sign-in">
                                        <div class="field">
                                            <label for="totp-confirm-code">"Code shown by the app"</label>
                                            <input id="totp-confirm-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                                                aria-describedby="totp-confirm-error" aria-invalid=move || code_msg.get().is_some().to_string()/>
                                            <FieldMessage id="totp-confirm-error" message=code_msg/>
                                        </div>
                                        <button type="submit" class="btn-primary">"Turn on"</button>
                                    </ActionForm>
                                </div>
                            })}
                            {move || confirm.value().get().and_then(|r| r.ok()).map(|codes| view! {
                                <div role="status" class="rounded border border-amber-400 p-3" data-testid="recovery-codes">
                                    <p class="font-semibold">"Two-step sign-in is on. Keep these recovery codes somewhere safe: each signs you in once if you lose your phone. They are not shown again."</p>
                                    <ul class="mt-2 grid grid-cols-2 gap-1 font-mono">
                                        {codes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                                    </ul>
                                </div>
                            })}
                        </section>
                    })
                })}
            </Suspense>

            <section class="card space-y-3" aria-labelledby="password-heading">
                <h2 id="password-heading" class="text-lg font-semibold">"Change your password"</h2>
                <ActionForm action=change attr:class="space-y-3" attr:novalidate="true" attr:aria-label="Change password">
                    <div class="field">
                        <label for="pw-current">"Current password"</label>
                        <input id="pw-current" name="current" type="password" autocomplete="current-password"
                            aria-describedby="pw-current-error" aria-invalid=move || current_msg.get().is_some().to_string()/>
                        <FieldMessage id="pw-current-error" message=current_msg/>
                    </div>
                    <div class="field">
                        <label for="pw-new">"New password"</label>
                        <input id="pw-new" name="new" type="password" autocomplete="new-password" minlength=MIN_PASSWORD_LENGTH.to_string()
                            aria-describedby="pw-new-hint pw-new-error" aria-invalid=move || new_msg.get().is_some().to_string()/>
                        <p id="pw-new-hint" class="text-sm text-slate-700 dark:text-slate-300">
                            {format!("At least {MIN_PASSWORD_LENGTH} characters; {RECOMMENDED_PASSWORD_LENGTH} or more recommended.")}
                        </p>
                        <FieldMessage id="pw-new-error" message=new_msg/>
                    </div>
                    <button type="submit" class="btn-primary">"Change password"</button>
                    <Show when=changed>
                        <p role="status">"Password changed. Your other sessions have been signed out."</p>
                    </Show>
                </ActionForm>
            </section>

            <section class="card space-y-3" aria-labelledby="sessions-heading">
                <h2 id="sessions-heading" class="text-lg font-semibold">"Sessions"</h2>
                <p>"Lost a device, or signed in somewhere you should not have? End every session, this one included."</p>
                <ActionForm action=everywhere attr:aria-label="Sign out everywhere">
                    <button type="submit" class="btn">"Sign out everywhere"</button>
                </ActionForm>
            </section>
        </div>
    }
}
