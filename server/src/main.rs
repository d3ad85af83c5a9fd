//! The `firebreak` command line: serve, migrate, seed.

#![recursion_limit = "512"]

use anyhow::Context;
use app::backend::db::Db;
use app::backend::services::audit_log::ChainStatus;
use app::backend::{AppState, AuthConfig, BackendError, RequestContext, demo, services};
use app::domain::access::NewUserForm;
use clap::{Parser, Subcommand};
use firebreak::{config, router, telemetry};
use std::net::SocketAddr;

#[derive(Parser)]
#[command(
    name = "firebreak",
    version,
    about = "Firebreak: security incident response, from preparation to the post-incident report."
)]
struct Cli {
    /// Database URL: sqlite://path/to/file.db (the default, created on first
    /// start) or postgres://user:password@host/db.
    #[arg(
        long,
        global = true,
        env = "FIREBREAK_DATABASE_URL",
        default_value = "sqlite://data/firebreak.db",
        hide_env_values = true
    )]
    database_url: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the web app.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "FIREBREAK_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
        /// Minutes of inactivity after which a session ends.
        #[arg(long, env = "FIREBREAK_SESSION_IDLE_MINUTES", default_value_t = 30)]
        session_idle_minutes: i64,
        /// Hours after sign-in after which a session ends, however active.
        #[arg(long, env = "FIREBREAK_SESSION_ABSOLUTE_HOURS", default_value_t = 12)]
        session_absolute_hours: i64,
        /// Users reach Firebreak over HTTPS (usually through a TLS-terminating
        /// proxy): cookies become `Secure` with the `__Host-` prefix, and
        /// responses carry HSTS.
        #[arg(long, env = "FIREBREAK_HTTPS")]
        https: bool,
        /// Mail server for stakeholder updates: smtp://host:port (a local
        /// relay), smtp://user:pass@host:587?tls=required (STARTTLS) or
        /// smtps://user:pass@host. Without it, email updates wait in the
        /// queue (the incident page says so).
        #[arg(long, env = "FIREBREAK_SMTP_URL", hide_env_values = true)]
        smtp_url: Option<String>,
        /// Sender address of stakeholder updates.
        #[arg(long, env = "FIREBREAK_MAIL_FROM", default_value = "Firebreak <firebreak@localhost>")]
        mail_from: String,
        /// Seconds between rounds of the email delivery worker.
        #[arg(long, env = "FIREBREAK_DELIVERY_INTERVAL_SECS", default_value_t = 5)]
        delivery_interval_secs: u64,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Check the tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load data into the database.
    Seed {
        /// Load a dozen realistic demo incidents across all phases, with
        /// timelines. Does nothing if the database already has incidents.
        #[arg(long)]
        demo: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is asked for on the terminal, or read
    /// from the first line of standard input with --password-stdin.
    Create {
        #[arg(long)]
        username: String,
        /// The name shown to others (defaults to the username).
        #[arg(long)]
        display_name: Option<String>,
        /// admin, commander, responder, manager or staff.
        #[arg(long, default_value = "responder", conflicts_with = "admin")]
        role: String,
        /// Shorthand for --role admin (use it for the first account).
        #[arg(long)]
        admin: bool,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain; exit 1 and name the first broken record if any
    /// record was altered or removed.
    Verify {
        /// A head exported earlier with `firebreak audit head` (SEQ:HASH):
        /// also check that the chain still contains it unchanged.
        #[arg(long)]
        expect_head: Option<String>,
    },
    /// Print the chain's head (SEQ:HASH), to keep somewhere the database's
    /// administrators cannot write.
    Head,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let cli = Cli::parse();
    let db = Db::connect(&cli.database_url).await.context("cannot open the database")?;
    db.migrate().await.context("cannot migrate the database")?;
    match cli.command {
        Command::Migrate => {
            tracing::info!("database is up to date");
        }
        Command::Seed { demo } => {
            anyhow::ensure!(demo, "say what to seed: `firebreak seed --demo`");
            let state = command_line_state(db);
            let ctx = RequestContext::system(state, "Demo data");
            let created = demo::seed(&ctx, app::backend::db::now()).await.context("cannot load demo data")?;
            if created == 0 {
                println!("The database already has incidents; demo data not loaded.");
            } else {
                println!("Loaded {created} demo incidents.");
            }
        }
        Command::Serve {
            addr,
            session_idle_minutes,
            session_absolute_hours,
            https,
            smtp_url,
            mail_from,
            delivery_interval_secs,
        } => {
            anyhow::ensure!(
                session_idle_minutes > 0 && session_absolute_hours > 0,
                "session timeouts must be positive"
            );
            let leptos_options = config::leptos_options(addr);
            tracing::info!(site_root = %leptos_options.site_root, "serving site files");
            let auth = AuthConfig {
                idle_timeout: chrono::Duration::minutes(session_idle_minutes),
                absolute_timeout: chrono::Duration::hours(session_absolute_hours),
                https,
            };
            let mailer = match smtp_url.as_deref().filter(|u| !u.trim().is_empty()) {
                Some(url) => Some(std::sync::Arc::new(app::backend::mail::Mailer::new(url, &mail_from)?)),
                None => {
                    tracing::warn!(
                        "no mail server configured (FIREBREAK_SMTP_URL): email updates will wait in the queue"
                    );
                    None
                }
            };
            let state = AppState { db, leptos_options, auth, mailer };
            if services::accounts::needs_first_run(&state).await? {
                tracing::warn!(
                    "no accounts yet: open http://{addr}/setup, or run `firebreak user create --admin --username NAME`"
                );
            }
            tokio::spawn(expire_sessions(state.clone()));
            tokio::spawn(services::updates::run_delivery_worker(
                state.clone(),
                std::time::Duration::from_secs(delivery_interval_secs.max(1)),
            ));
            let app = router::build(state);
            let listener =
                tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
            tracing::info!("Firebreak is listening on http://{addr}");
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(shutdown_signal())
                .await?;
        }
        Command::User { command: UserCommand::Create { username, display_name, role, admin, password_stdin } } => {
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line).context("cannot read the password")?;
                line.trim_end_matches(['\r', '\n']).to_owned()
            } else {
                let first = rpassword::prompt_password("Password: ").context("cannot read the password")?;
                let again = rpassword::prompt_password("Password again: ").context("cannot read the password")?;
                anyhow::ensure!(first == again, "the passwords differ");
                first
            };
            let state = command_line_state(db);
            let ctx = RequestContext::system(state, "command line");
            let form = NewUserForm {
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                role: if admin { "admin".into() } else { role },
                password,
            };
            match services::accounts::create_user(&ctx, &form, app::backend::db::now()).await {
                Ok(user) => println!("Created {} ({}) as {}.", user.username, user.display_name, user.role),
                Err(BackendError::Validation(errors)) => {
                    for e in &errors.0 {
                        eprintln!("{}: {}", e.field, e.message);
                    }
                    anyhow::bail!("the account was not created");
                }
                Err(e) => return Err(e.into()),
            }
        }
        Command::Audit { command } => {
            let state = command_line_state(db);
            match command {
                AuditCommand::Head => {
                    let (seq, hash) = app::backend::db::audit::head(&state.db.pool).await?;
                    println!("{seq}:{hash}");
                }
                AuditCommand::Verify { expect_head } => {
                    let expected = match expect_head {
                        Some(h) => {
                            let (seq, hash) = h.split_once(':').context("--expect-head takes SEQ:HASH")?;
                            Some((seq.parse::<i64>().context("--expect-head takes SEQ:HASH")?, hash.to_owned()))
                        }
                        None => None,
                    };
                    match services::audit_log::verify(&state.db, expected).await? {
                        ChainStatus::Intact { records, head_hash } => {
                            println!("The audit chain is intact: {records} records, head {records}:{head_hash}.");
                        }
                        ChainStatus::Broken { seq, problem } => {
                            eprintln!("The audit chain is BROKEN at record {seq}: {problem}.");
                            std::process::exit(1);
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// The state of a command that does not serve: no mail, default sessions.
fn command_line_state(db: app::backend::db::Db) -> AppState {
    AppState {
        db,
        leptos_options: config::leptos_options(([127, 0, 0, 1], 0).into()),
        auth: AuthConfig::default(),
        mailer: None,
    }
}

/// Deletes sessions past their timeouts every ten minutes (they are refused
/// on use anyway; this keeps the table small).
async fn expire_sessions(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        let now = app::backend::db::now();
        let result = app::backend::db::accounts::delete_expired_sessions(
            &state.db.pool,
            now - state.auth.idle_timeout,
            now - state.auth.absolute_timeout,
        )
        .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not delete expired sessions");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
