//! Logging: human-readable lines on stderr, filtered by `RUST_LOG`
//! (default `info`). Nothing secret is ever passed to a log macro.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
