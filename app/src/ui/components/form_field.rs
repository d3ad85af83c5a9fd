//! Field-level error messages tied to their inputs with aria-describedby.

use crate::error::AppError;
use leptos::prelude::*;

/// The message for field `name` in `error`, as a signal.
pub fn field_error(error: Signal<Option<AppError>>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.get().and_then(|e| e.field(name)))
}

/// The message under a field; `id` is what the input's aria-describedby names.
#[component]
pub fn FieldMessage(#[prop(into)] id: String, #[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p id=id.clone() class="field-error" data-testid=id aria-live="polite">
            {move || message.get().unwrap_or_default()}
        </p>
    }
}

/// A labelled text input with its message underneath.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into)] message: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    /// The initial value.
    #[prop(optional, into)]
    value: String,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id name=name type=kind value=value aria-describedby=error_id.clone()
                aria-invalid=move || message.get().is_some().to_string()/>
            <FieldMessage id=error_id message=message/>
        </div>
    }
}
