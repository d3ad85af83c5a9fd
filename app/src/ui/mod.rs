//! The user interface: the HTML shell, the router and the pages.

pub mod components;
pub mod pages;

use crate::api::{SignOut, whoami};
use crate::domain::Action;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

/// Loads `path` as a whole new page, so that everything (navigation, the
/// user's name) is rendered for the session that just began or ended.
pub fn reload_at(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
                <App/>
            </body>
        </html>
    }
}

/// The root component: layout, navigation and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Marks the page as interactive once the WASM has hydrated it; browser
    // tests wait for this before clicking, since earlier clicks are lost.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    let sign_out = ServerAction::<SignOut>::new();
    // Who is signed in, for the navigation. Signing out reloads the page.
    let me = Resource::new(|| (), |_| whoami());
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            reload_at("/sign-in");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/firebreak.css"/>
        <Title formatter=|text: String| if text.is_empty() { "Firebreak".to_string() } else { format!("{text} · Firebreak") }/>
        <Router>
            <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900">
                "Skip to main content"
            </a>
            <header class="border-b border-slate-200 bg-white print:hidden dark:border-slate-800 dark:bg-slate-900">
                <nav aria-label="Main" class="mx-auto flex max-w-[120rem] flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
                    <A href="/" attr:class="flex items-center gap-2 text-lg font-bold tracking-tight">
                        <span aria-hidden="true" class="inline-block h-3 w-3 rotate-45 bg-orange-600"></span>
                        "Firebreak"
                    </A>
                    <Suspense>
                        {move || Suspend::new(async move {
                            me.await.ok().flatten().map(|u| view! {
                                <A href="/" attr:class="nav-link">"Board"</A>
                                <A href="/status" attr:class="nav-link">"Status"</A>
                                {u.may(Action::ReportIncident).then(|| view! { <A href="/incidents/new" attr:class="nav-link">"Report an incident"</A> })}
                                {u.may(Action::SearchIndicators).then(|| view! { <A href="/indicators" attr:class="nav-link">"Indicators"</A> })}
                                <A href="/preparation" attr:class="nav-link">"Preparation"</A>
                                {u.may(Action::ManageUsers).then(|| view! { <A href="/admin/users" attr:class="nav-link">"Users"</A> })}
                                {u.may(Action::ViewAudit).then(|| view! { <A href="/admin/audit" attr:class="nav-link">"Audit log"</A> })}
                                <span class="ml-auto flex items-center gap-3">
                                    <A href="/account" attr:class="nav-link" attr:data-testid="signed-in-as">{u.display_name.clone()}</A>
                                    <ActionForm action=sign_out attr:aria-label="Sign out">
                                        <button type="submit" class="btn-small">"Sign out"</button>
                                    </ActionForm>
                                </span>
                            })
                        })}
                    </Suspense>
                </nav>
            </header>
            <main id="main" class="mx-auto max-w-[120rem] px-4 py-6">
                <Routes fallback=|| view! { <pages::NotFound/> }>
                    <Route path=StaticSegment("") view=pages::board::BoardPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("status") view=pages::status::StatusPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("indicators") view=pages::indicators::IndicatorSearchPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("incidents"), StaticSegment("new")) view=pages::new_incident::NewIncidentPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("incidents"), ParamSegment("reference")) view=pages::incident::IncidentPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("incidents"), ParamSegment("reference"), StaticSegment("lessons")) view=pages::lessons::LessonsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("incidents"), ParamSegment("reference"), StaticSegment("report")) view=pages::report::ReportPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("preparation") view=pages::preparation::PreparationPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("preparation"), StaticSegment("regulatory")) view=pages::regulatory::RegulatoryPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("preparation"), StaticSegment("playbooks")) view=pages::playbooks::PlaybooksPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("preparation"), StaticSegment("playbooks"), ParamSegment("key")) view=pages::playbooks::PlaybookPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("sign-in") view=pages::auth::SignInPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("setup") view=pages::auth::SetupPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("account") view=pages::account::AccountPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("users")) view=pages::admin::UsersPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("audit")) view=pages::admin::AuditPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
