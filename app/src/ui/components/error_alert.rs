//! Shows the outcome of a failed server call in a live region.

use crate::error::AppError;
use leptos::prelude::*;

/// Renders `error` (if any) as an alert screen readers announce.
#[component]
pub fn ErrorAlert(
    #[prop(into)] error: Signal<Option<AppError>>,
    /// For forms without a message next to each field: list the field
    /// messages instead of "Please correct the highlighted fields."
    #[prop(optional)]
    spell_out_fields: bool,
    /// Text put before the message, such as "Hand-over refused: ".
    #[prop(optional)]
    prefix: &'static str,
    #[prop(default = "error-alert")] testid: &'static str,
) -> impl IntoView {
    move || {
        error.get().map(|e| {
            let text = match &e {
                AppError::Validation(fields) if spell_out_fields => {
                    fields.0.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(" ")
                }
                other => other.to_string(),
            };
            view! {
                <div role="alert" data-testid=testid class="mb-4 rounded border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
                    {prefix} {text}
                </div>
            }
        })
    }
}
