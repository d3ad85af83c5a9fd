//! The `firebreak` command line: serve, migrate, seed.

#![recursion_limit = "512"]

use anyhow::Context;
use app::backend::db::Db;
use app::backend::{AppState, RequestContext, demo};
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
            let state = AppState { db, leptos_options: config::leptos_options(([127, 0, 0, 1], 0).into()) };
            let ctx = RequestContext::system(state, "Demo data");
            let created = demo::seed(&ctx, app::backend::db::now()).await.context("cannot load demo data")?;
            if created == 0 {
                println!("The database already has incidents; demo data not loaded.");
            } else {
                println!("Loaded {created} demo incidents.");
            }
        }
        Command::Serve { addr } => {
            let leptos_options = config::leptos_options(addr);
            tracing::info!(site_root = %leptos_options.site_root, "serving site files");
            let state = AppState { db, leptos_options };
            let app = router::build(state);
            let listener =
                tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
            tracing::info!("Firebreak is listening on http://{addr}");
            axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
        }
    }
    Ok(())
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
