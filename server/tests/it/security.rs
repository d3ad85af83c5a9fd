//! Response headers (CSP with a per-request nonce and the rest) and the
//! cross-site request check.

use crate::helpers::TestApp;
use axum::body::Body;
use http::{Request, StatusCode};

fn nonce_of(csp: &str) -> String {
    let start = csp.find("'nonce-").expect("CSP has a nonce") + "'nonce-".len();
    csp[start..].split('\'').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_carries_a_csp_with_the_pages_nonce_and_the_other_headers() {
    let app = TestApp::spawn().await;
    let get = || Request::get("/").header("cookie", &app.admin_cookie).body(Body::empty()).unwrap();
    let (status, headers, html) = app.send_full(get()).await;
    assert_eq!(status, StatusCode::OK);
    let csp = headers["content-security-policy"].to_str().unwrap().to_owned();
    for directive in
        ["'wasm-unsafe-eval'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"]
    {
        assert!(csp.contains(directive), "{directive} missing from {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = nonce_of(&csp);
    assert!(nonce.len() >= 22, "{nonce}");
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the header's nonce");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(headers.get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
    let (_, headers2, _) = app.send_full(get()).await;
    assert_ne!(nonce, nonce_of(headers2["content-security-policy"].to_str().unwrap()), "a new nonce per response");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_cookies_are_secure_host_cookies_and_hsts_is_sent() {
    let mut app = TestApp::spawn().await;
    app.state.auth.https = true;
    app.router = firebreak::router::build(app.state.clone());
    let (status, headers, _) =
        app.call_full(None, "sign_in", &[("username", "admin"), ("password", crate::helpers::PASSWORD)]).await;
    assert!(status.is_success() || status.is_redirection());
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("__Host-firebreak_session=") && cookie.contains("; Secure"), "{cookie}");
    assert!(headers["strict-transport-security"].to_str().unwrap().contains("max-age="));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_to_server_functions_are_refused() {
    let app = TestApp::spawn().await;
    let post = |extra: &[(&str, &str)]| {
        let mut req = Request::post("/api/add_timeline_entry")
            .header("host", "127.0.0.1:3000")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &app.admin_cookie);
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        req.body(Body::from("reference=INC-2026-0001&entry%5Bkind%5D=note&entry%5Bbody%5D=x")).unwrap()
    };
    let (status, _, _) = app.send_full(post(&[("origin", "https://evil.example")])).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) =
        app.send_full(post(&[("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")])).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = app.send_full(post(&[("sec-fetch-site", "same-site")])).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a sibling subdomain is another site for us");
    let (status, _, _) = app.send_full(post(&[("origin", "null")])).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The same origin gets through (to a 404: there is no such incident).
    let (status, _, _) =
        app.send_full(post(&[("origin", "http://127.0.0.1:3000"), ("sec-fetch-site", "same-origin")])).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
