//! The HTTP router: Leptos pages, server functions under `/api` (registered by
//! `leptos_routes_with_context` with the same context as the pages), static
//! site files, and the middleware that gives server-function errors their status.

use app::backend::AppState;
use app::error::AppError;
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::sync::OnceLock;
use tower_http::trace::TraceLayer;

/// Largest error body the status middleware will read.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// The app's routes, generated once per process. Generating them renders the
/// app with resource loading suppressed process-wide, so doing it while
/// another request renders (as parallel tests building routers would) can
/// leave that request waiting forever.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Builds the whole application router around `state`.
pub fn build(state: AppState) -> Router {
    let routes = route_list();
    let context_state = state.clone();
    Router::new()
        .leptos_routes_with_context(&state, routes, move || provide_context(context_state.clone()), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(error_status))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Server functions answer every error with 500 and a `serverfnerror` header; this gives each
/// [`AppError`] its documented status instead (422 for invalid input, 409 for
/// a conflict, …), so bad input never looks like a server failure.
async fn error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key("serverfnerror") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    };
    // The error type's encoding is JSON. A body that does not decode keeps
    // its 500.
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    Response::from_parts(parts, Body::from(bytes))
}
