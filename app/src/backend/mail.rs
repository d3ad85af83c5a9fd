//! Outgoing mail over SMTP (lettre). The server URL can hold credentials, so
//! it is never logged or shown; errors say what failed, not where.

use crate::backend::error::BackendError;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// The configured mail server and the sender address.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the transport: its settings include the credentials.
        f.debug_struct("Mailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

impl Mailer {
    /// `url` is lettre's SMTP URL: `smtp://host:port` (plain, for a local
    /// relay), `smtp://user:pass@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host` (implicit TLS). `from` is the sender.
    pub fn new(url: &str, from: &str) -> Result<Self, BackendError> {
        let from: Mailbox = from
            .parse()
            .map_err(|_| BackendError::unexpected("the sender address (--mail-from) is not an email address"))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| BackendError::unexpected("the mail server URL (FIREBREAK_SMTP_URL) cannot be parsed"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Self { transport, from })
    }

    /// Sends one plain-text message; the error is safe to store and show
    /// (it names the failure, never the server's credentials).
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), SendFailure> {
        let permanent = |message: String| SendFailure { message, permanent: true };
        let to: Mailbox = to.parse().map_err(|_| permanent(format!("{to} is not a valid email address")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| permanent(format!("the message could not be built: {e}")))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| SendFailure { message: describe(&e), permanent: e.is_permanent() })
    }
}

/// Why a message did not leave, and whether trying again could help (a
/// permanent refusal, such as an unknown mailbox, will not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailure {
    pub message: String,
    pub permanent: bool,
}

impl std::fmt::Display for SendFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn describe(e: &lettre::transport::smtp::Error) -> String {
    if e.is_permanent() {
        format!(
            "the mail server refused the message permanently ({})",
            e.status().map(|c| c.to_string()).unwrap_or_default()
        )
    } else if e.is_transient() {
        format!("the mail server deferred the message ({})", e.status().map(|c| c.to_string()).unwrap_or_default())
    } else if e.is_timeout() {
        "the mail server did not answer in time".into()
    } else if e.is_tls() {
        "the TLS connection to the mail server failed".into()
    } else {
        "the mail server could not be reached".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_server_credentials_never_show_in_debug_output() {
        let mailer = Mailer::new("smtp://relay-user:s3cret-pass@mail.example.org:587?tls=required", "a@example.org")
            .expect("valid settings");
        let shown = format!("{mailer:?}");
        assert!(!shown.contains("s3cret-pass") && !shown.contains("relay-user"), "{shown}");
        assert!(shown.contains("a@example.org"), "{shown}");
    }

    #[test]
    fn bad_settings_are_refused_without_echoing_them() {
        let e = Mailer::new("smtp://user:hunter2@", "a@example.org").expect_err("refused");
        assert!(!format!("{e:?}").contains("hunter2"));
        assert!(Mailer::new("smtp://relay:25", "not an address").is_err());
    }
}
