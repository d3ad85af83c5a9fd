//! Where the server finds its site files (JS, WASM, CSS) and its Leptos options.

use leptos::config::LeptosOptions;
use std::path::PathBuf;

/// The folder of the built site: `LEPTOS_SITE_ROOT` if set, else a `site`
/// folder next to the binary (or one level up, as cargo-leptos lays out
/// `target/release/firebreak` beside `target/site`), else `target/site`.
pub fn site_root() -> PathBuf {
    if let Ok(root) = std::env::var("LEPTOS_SITE_ROOT") {
        return PathBuf::from(root);
    }
    if let Ok(exe) = std::env::current_exe()
        && let Some(dir) = exe.parent()
    {
        for candidate in [dir.join("site"), dir.join("../site")] {
            if candidate.join("pkg").is_dir() {
                return candidate;
            }
        }
    }
    PathBuf::from("target/site")
}

/// Leptos options for serving at `addr`.
pub fn leptos_options(addr: std::net::SocketAddr) -> LeptosOptions {
    let root = site_root();
    LeptosOptions::builder()
        .output_name("firebreak")
        .site_root(root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}
