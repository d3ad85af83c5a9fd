//! The HTTP router: Leptos pages, server functions under `/api`, static site
//! files, and the middleware that gives server-function errors their status.

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
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::trace::TraceLayer;

/// Largest error body the status middleware will read.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Builds the whole application router around `state`.
pub fn build(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let server_fn_state = state.clone();
    Router::new()
        .route(
            "/api/{*fn_name}",
            axum::routing::post(move |req: Request| {
                let state = server_fn_state.clone();
                async move { leptos_axum::handle_server_fns_with_context(move || provide_context(state.clone()), req).await }
            })
            .layer(middleware::from_fn(error_status)),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Server functions answer every error with 500; this gives each
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
