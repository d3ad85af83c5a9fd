//! The HTTP router: Leptos pages, server functions under `/api` (registered by
//! `leptos_routes_with_context` with the same context as the pages), static
//! site files, and the middleware around them, outermost first:
//!
//! 1. tracing;
//! 2. `security_headers`: a fresh CSP nonce per request, CSP and the other
//!    security headers on every response;
//! 3. `csrf`: refuses state-changing requests from another site;
//! 4. `error_status`: gives server-function errors their real status;
//! 5. `authenticate`: resolves the session cookie; anyone not signed in gets
//!    the sign-in page (or the first-run page) or 401, except on the few
//!    public paths.

use app::backend::context::{Authenticated, ClientIp};
use app::backend::{AppState, db, services};
use app::error::AppError;
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
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
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context_state.clone());
                provide_request_nonce();
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(middleware::from_fn(error_status))
        .layer(middleware::from_fn(csrf))
        .layer(middleware::from_fn_with_state(state.clone(), security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The CSP nonce of this request (set by `security_headers`).
#[derive(Clone)]
struct CspNonce(String);

/// Hands the request's nonce to Leptos, which puts it on the hydration and
/// data scripts it writes, so the CSP header and the page agree.
fn provide_request_nonce() {
    let nonce = use_context::<axum::http::request::Parts>().and_then(|p| p.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(n)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(n));
    }
}

fn new_nonce() -> String {
    let mut bytes = [0u8; 18];
    if getrandom::fill(&mut bytes).is_err() {
        // Without randomness there is no safe nonce: a fixed marker that no
        // script carries makes every inline script blocked instead.
        return "unavailable".into();
    }
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    bytes
        .chunks(3)
        .flat_map(|c| {
            let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
            (0..4).rev().map(move |i| ALPHABET[((n >> (6 * i)) & 63) as usize] as char)
        })
        .collect()
}

/// The Content-Security-Policy for a response carrying `nonce`. WASM needs
/// `'wasm-unsafe-eval'`; nothing else is loosened.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

async fn security_headers(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let nonce = new_nonce();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let is_static = is_static_path(req.uri().path());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(name, v);
        }
    };
    set(h, "content-security-policy", &content_security_policy(&nonce));
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", "same-origin");
    set(h, "x-frame-options", "DENY");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if state.auth.https {
        set(h, "strict-transport-security", "max-age=31536000; includeSubDomains");
    }
    if !is_static {
        // Pages and API answers hold incident data: never cache them.
        set(h, "cache-control", "no-store");
    }
    res
}

/// Refuses state-changing requests that a browser says come from another
/// site: `Sec-Fetch-Site` other than same-origin (or a user-typed `none`),
/// or else an `Origin` whose host is not ours. Requests with neither header
/// come from non-browser clients, which cannot carry a victim's cookie.
async fn csrf(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let refused = if let Some(site) = header("sec-fetch-site") {
        site != "same-origin" && site != "none"
    } else if let Some(origin) = header("origin") {
        let origin_host = origin.split_once("://").map(|(_, rest)| rest.trim_end_matches('/').to_owned());
        origin_host.is_none() || origin_host != header("host")
    } else {
        false
    };
    if refused {
        tracing::warn!(method = %req.method(), path = %req.uri().path(), "cross-site request refused");
        return error_response(StatusCode::FORBIDDEN, &AppError::Forbidden);
    }
    next.run(req).await
}

/// Paths that are files of the built site (scripts, styles, WASM, icons).
fn is_static_path(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.ico" || path == "/robots.txt"
}

/// Paths that answer callers who are not signed in.
fn is_public_path(path: &str) -> bool {
    matches!(
        path,
        "/sign-in"
            | "/setup"
            | "/api/sign_in"
            | "/api/current_user"
            | "/api/first_run_needed"
            | "/api/create_first_admin"
    )
}

fn error_response(status: StatusCode, err: &AppError) -> Response {
    let body = serde_json::to_string(err).unwrap_or_else(|_| "{}".into());
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn cookie_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    req.extensions_mut().insert(ClientIp(ip));
    let path = req.uri().path().to_owned();
    if is_static_path(&path) {
        return next.run(req).await;
    }
    let mut stale_cookie = false;
    if let Some(token) = cookie_value(req.headers(), state.auth.cookie_name()) {
        match services::accounts::resolve_session(&state, &token, db::now()).await {
            Ok(Some((user, token_hash))) => {
                req.extensions_mut().insert(Authenticated { user, token_hash });
            }
            Ok(None) => stale_cookie = true,
            Err(e) => {
                let err = AppError::from(e);
                return error_response(StatusCode::INTERNAL_SERVER_ERROR, &err);
            }
        }
    }
    let signed_in = req.extensions().get::<Authenticated>().is_some();
    let mut res = if signed_in || is_public_path(&path) {
        next.run(req).await
    } else if path.starts_with("/api/") || !matches!(*req.method(), Method::GET | Method::HEAD) {
        error_response(StatusCode::UNAUTHORIZED, &AppError::Unauthorized)
    } else {
        match services::accounts::needs_first_run(&state).await {
            Ok(true) => Redirect::to("/setup").into_response(),
            Ok(false) => {
                let target = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
                let next =
                    if target == "/" { String::new() } else { format!("?next={}", app::domain::url_encode(target)) };
                Redirect::to(&format!("/sign-in{next}")).into_response()
            }
            Err(e) => error_response(StatusCode::INTERNAL_SERVER_ERROR, &AppError::from(e)),
        }
    };
    if stale_cookie && let Ok(v) = HeaderValue::from_str(&state.auth.clear_cookie()) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
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
        if let AppError::TooManyAttempts { retry_after_secs } = err {
            parts.headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
    }
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    Response::from_parts(parts, Body::from(bytes))
}
