//! One module per page.

pub mod account;
pub mod admin;
pub mod auth;
pub mod board;
pub mod incident;
pub mod indicators;
pub mod lessons;
pub mod new_incident;
pub mod playbooks;
pub mod preparation;
pub mod regulatory;
pub mod report;
pub mod status;

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http_status_not_found());
    }
    view! {
        <Title text="Not found"/>
        <h1 class="text-2xl font-semibold">"Page not found"</h1>
        <p class="mt-2"><a class="link" href="/">"Back to the board"</a></p>
    }
}

#[cfg(feature = "ssr")]
fn http_status_not_found() -> axum::http::StatusCode {
    axum::http::StatusCode::NOT_FOUND
}
