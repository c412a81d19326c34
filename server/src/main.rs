#![recursion_limit = "512"]
//! `lobby`: the one server binary — serve the console, migrate the database, load demo
//! data, create an organization.

use anyhow::{bail, Context};
use axum::serve::ListenerExt;
use app::data::{redact, Db};
use app::web::state::AppState;
use clap::{Parser, Subcommand};
use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use tracing_subscriber::EnvFilter;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/lobby.db";

#[derive(Parser, Debug)]
#[command(name = "lobby", version, about = "Lobby: the console in which an organization manages its guests")]
struct Cli {
    /// sqlite://PATH or postgres://USER@HOST/DB. Default: an SQLite file at data/lobby.db.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Apply migrations, then serve on LEPTOS_SITE_ADDR (default 127.0.0.1:3000).
    Serve(ServeSettings),
    /// Apply the database migrations and exit.
    Migrate,
    /// Load the demo organization (once) and print its sign-ins.
    DemoData,
    /// Fill the "Benchmark Org" organization with COUNT more guests and MEMBERS more
    /// members (for benchmarks).
    GenerateGuests {
        #[arg(long, default_value_t = 100_000)]
        count: usize,
        #[arg(long, default_value_t = 0)]
        members: usize,
    },
    /// Create an organization and its first Company Admin. The password comes from
    /// LOBBY_ADMIN_PASSWORD or, if unset, the first line of standard input.
    CreateOrg {
        #[arg(long)]
        name: String,
        #[arg(long)]
        admin_email: String,
        /// The Company Admin's password; if unset, the first line of standard input.
        #[arg(long, env = "LOBBY_ADMIN_PASSWORD", hide_env_values = true)]
        admin_password: Option<String>,
    },
    /// Make an API token owned by an admin of the organization and print it (once), with
    /// the same rules as Settings → API tokens. SCOPES: comma-separated, of read_guests,
    /// manage_guests, manage_invitations, read_activity, manage_settings, ask_policy.
    CreateToken {
        #[arg(long)]
        org: String,
        #[arg(long)]
        owner: String,
        #[arg(long)]
        scopes: String,
        /// Days until it expires (1 to 365).
        #[arg(long, default_value_t = 30)]
        days: i64,
        #[arg(long, default_value = "Command line")]
        name: String,
    },
}

/// Everything `lobby serve` takes from its command line and environment, read once at
/// start (the site address comes from Leptos's own `LEPTOS_SITE_ADDR`).
#[derive(clap::Args, Debug)]
struct ServeSettings {
    /// Load the demo organization first if the database has none.
    #[arg(long)]
    demo: bool,
    /// Where people reach Lobby, for links in mail. Default: http:// + the site address.
    #[arg(long, env = "LOBBY_PUBLIC_URL")]
    public_url: Option<String>,
    /// SMTP server for mail (smtps://user:pass@host or smtp://host:25); unset: the outbox.
    #[arg(long, env = "LOBBY_SMTP_URL")]
    smtp_url: Option<String>,
    /// Sender of Lobby's mail.
    #[arg(long, env = "LOBBY_MAIL_FROM", default_value = "Lobby <lobby@localhost>")]
    mail_from: String,
    /// Mark the session cookie Secure (behind HTTPS): 1/true or 0/false.
    #[arg(long, env = "LOBBY_SECURE_COOKIES", default_value = "false", value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::Set)]
    secure_cookies: bool,
    /// Seconds between runs of the background jobs (sweeper, reminders, lapse, purge).
    #[arg(long, env = "LOBBY_SWEEP_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    sweep_seconds: u64,
    /// Passwords hashed or checked at once; beyond them the answer is 429.
    #[arg(long, env = "LOBBY_PASSWORD_PERMITS", default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..1025))]
    password_permits: u64,
    /// /api/v1 requests per second each API token may make on this server, sustained.
    #[arg(long, env = "LOBBY_API_RATE", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..1_000_001))]
    api_rate: u64,
    /// /api/v1 requests each API token may make at once (its burst).
    #[arg(long, env = "LOBBY_API_BURST", default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..1_000_001))]
    api_burst: u32,
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn")))
        .with_target(false)
        .init();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("lobby: {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let db = open(&cli.database_url).await?;
    match cli.command {
        Command::Migrate => {
            println!("Migrated {}", redact(&cli.database_url));
        }
        Command::DemoData => {
            let state = AppState::system(db);
            print_demo(&app::setup::demo_data(&state).await?);
        }
        Command::GenerateGuests { count, members } => {
            let state = AppState::system(db);
            let t = std::time::Instant::now();
            app::setup::generate_people(&state, count, members).await?;
            println!(
                "Added {count} guests and {members} members to “{}” in {:.1}s. Sign in as {} or {} with password “{}”.",
                app::setup::BENCH_ORG,
                t.elapsed().as_secs_f64(),
                app::setup::BENCH_ADMIN,
                app::setup::BENCH_DEPT_ADMIN,
                app::setup::DEMO_PASSWORD
            );
        }
        Command::CreateOrg { name, admin_email, admin_password } => {
            let password = match admin_password {
                Some(p) => p,
                None => read_password()?,
            };
            let state = AppState::system(db);
            let (org, admin) = app::setup::create_org(&state, &name, &admin_email, &password).await?;
            println!("Created organization {org} “{}” with Company Admin {} (person {admin}).", name.trim(), admin_email.trim().to_lowercase());
        }
        Command::CreateToken { org, owner, scopes, days, name } => {
            let state = AppState::system(db);
            let made = app::service::api_tokens::create_for(&state, &org, &owner, &scopes, days, &name).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", made.secret);
        }
        Command::Serve(settings) => {
            let mut conf = leptos::prelude::get_configuration(None).context("reading the Leptos configuration")?;
            conf.leptos_options.hash_files = app::web::http::hashed_assets(&conf.leptos_options);
            let state = serving_state(db, &settings, &conf.leptos_options)?;
            app::auth::warm_up().await;
            if settings.demo {
                print_demo(&app::setup::demo_data(&state).await?);
            }
            serve(state, &settings, conf.leptos_options).await?;
        }
    }
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password for the Company Admin: ");
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line).context("reading the password from standard input")?;
    let p = line.trim_end_matches(['\n', '\r']).to_string();
    if p.is_empty() {
        bail!("no password: set LOBBY_ADMIN_PASSWORD or pass it on standard input");
    }
    Ok(p)
}

/// Connects and migrates, creating the SQLite file's folder if needed.
async fn open(url: &str) -> anyhow::Result<Db> {
    if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        let path = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(path).parent() {
            if !dir.as_os_str().is_empty() && path != ":memory:" {
                std::fs::create_dir_all(dir).with_context(|| format!("creating the folder {}", dir.display()))?;
            }
        }
    }
    let db = Db::connect(url).await?;
    db.migrate().await?;
    Ok(db)
}

fn print_demo(d: &app::setup::DemoSignIns) {
    println!();
    println!("{} demo organization “{}”. Sign in with password “{}” as:", if d.created { "Loaded the" } else { "Using the" }, app::setup::DEMO_ORG, d.password);
    println!("  Company Admin:    {}", d.company_admin);
    println!("  Department Admin: {}  (Engineering and its sub-departments)", d.department_admin);
    println!("  Authorized user:  {}", d.authorized_user);
    println!("  User (may not invite): {}", d.plain_user);
    println!("  Guest:            {}", d.guest);
    println!("Without SMTP settings, invitation and expiry reminder mail waits in the console's outbox: Settings → Outbox (/outbox).");
    println!();
}

/// The state `serve` runs with: mail through SMTP when an SMTP URL is set (else the
/// outbox), links in mail pointing at the public URL (default: the site address).
fn serving_state(db: Db, settings: &ServeSettings, options: &leptos::prelude::LeptosOptions) -> anyhow::Result<AppState> {
    let mailer = app::mail::Mailer::from_settings(settings.smtp_url.as_deref(), &settings.mail_from).map_err(anyhow::Error::msg)?;
    let config = app::web::state::Config {
        public_url: settings.public_url.clone().unwrap_or_else(|| format!("http://{}", options.site_addr)),
        password_permits: settings.password_permits as usize,
        api_rate_per_second: settings.api_rate,
        api_burst: settings.api_burst,
        ..Default::default()
    };
    let mailer_kind = if mailer.uses_smtp() { "SMTP" } else { "the console outbox" };
    tracing::info!("mail goes through {mailer_kind}");
    Ok(AppState::new(db, std::sync::Arc::new(app::clock::SystemClock), config).with_mailer(mailer))
}

async fn serve(state: AppState, settings: &ServeSettings, options: leptos::prelude::LeptosOptions) -> anyhow::Result<()> {
    let addr: SocketAddr = options.site_addr;
    let state_for_jobs = state.clone();
    let http = app::web::http::HttpConfig { secure_cookies: settings.secure_cookies };
    let (app, store) = app::web::http::router(state, options, http).await?;
    tokio::spawn(tower_sessions::session_store::ExpiredDeletion::continuously_delete_expired(
        store,
        tokio::time::Duration::from_secs(3600),
    ));
    tokio::spawn(app::jobs::checkpoints(state_for_jobs.clone(), app::jobs::CHECKPOINT_PERIOD));
    tokio::spawn(app::jobs::run(state_for_jobs, std::time::Duration::from_secs(settings.sweep_seconds)));
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            bail!("{addr} is already in use: stop the other server or set LEPTOS_SITE_ADDR to another address")
        }
        Err(e) => return Err(e).with_context(|| format!("listening on {addr}")),
    };
    // Every answer goes out at once: without TCP_NODELAY a reply written in two pieces
    // (headers, then a file's body) waits for the client's delayed ACK, 40 ms a request.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("TCP_NODELAY not set on a connection: {e}");
        }
    });
    println!("Lobby is running at http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving")?;
    Ok(())
}

/// Ctrl-C or SIGTERM (a service manager stopping Lobby): finish the requests in flight,
/// then exit. The sweeper's open transaction, if any, rolls back and the next server
/// run picks its guests up again.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
