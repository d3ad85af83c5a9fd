//! Application state shared by every request: the database, Leptos options,
//! session settings and the mail server.

use super::db::Db;
use leptos::prelude::LeptosOptions;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    pub auth: AuthConfig,
    /// The mail server stakeholder updates go out through; without one,
    /// email deliveries wait in the queue.
    pub mailer: Option<std::sync::Arc<super::mail::Mailer>>,
}

/// Session and cookie settings.
#[derive(Clone, Debug)]
pub struct AuthConfig {
    /// A session unused this long ends (ASVS: 30 minutes by default).
    pub idle_timeout: chrono::Duration,
    /// A session ends this long after sign-in, however busy (12 hours by default).
    pub absolute_timeout: chrono::Duration,
    /// Served over HTTPS: cookies get `Secure` and the `__Host-` prefix, and
    /// responses carry HSTS.
    pub https: bool,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            idle_timeout: chrono::Duration::minutes(30),
            absolute_timeout: chrono::Duration::hours(12),
            https: false,
        }
    }
}

impl AuthConfig {
    /// The session cookie's name.
    pub fn cookie_name(&self) -> &'static str {
        if self.https { "__Host-firebreak_session" } else { "firebreak_session" }
    }

    /// The `Set-Cookie` value carrying a new session token.
    pub fn session_cookie(&self, token: &str) -> String {
        format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Lax{}",
            self.cookie_name(),
            if self.https { "; Secure" } else { "" }
        )
    }

    /// The `Set-Cookie` value that removes the session cookie.
    pub fn clear_cookie(&self) -> String {
        format!(
            "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
            self.cookie_name(),
            if self.https { "; Secure" } else { "" }
        )
    }
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
