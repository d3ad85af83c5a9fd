//! Shows the outcome of a failed server call in a live region.

use crate::error::AppError;
use leptos::prelude::*;

/// Renders `error` (if any) as an alert screen readers announce.
#[component]
pub fn ErrorAlert(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <div role="alert" data-testid="error-alert" class="mb-4 rounded border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100">
                    {e.to_string()}
                </div>
            }
        })
    }
}
