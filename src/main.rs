//! The `salon` command line: parse, validate the settings, dispatch. Everything else is in the
//! library (`salon::build`, `salon::run`, ...).

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use salon::config::{Config, LogFormat, Settings};
use salon::domain::{Email, Role};
use salon::i18n::Locale;
use salon::store::{login_tokens, organisations, people};
use tokio_util::sync::CancellationToken;

/// See Cargo.toml: memory freed after a burst of connections goes back to the system.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "salon",
    version,
    about = "Conversation salons for library leaders"
)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (creates and migrates the database on first start).
    Serve {
        /// Load the demo alliance before serving.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Load the demo alliance (idempotent) and exit.
    Demo,
    /// Manage people.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Inbound mail.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Check the configuration as `serve` reads it, without serving: settings, public address,
    /// proxy, database and migrations, SMTP (EHLO, STARTTLS, login), IMAP login, inbound secret.
    /// One line per check; exit 1 if one failed, 2 if a setting is invalid.
    Check,
    /// Copy the SQLite database consistently while Salon runs (VACUUM INTO), checked and
    /// stamped. For PostgreSQL it says which pg_dump command to use.
    Backup {
        /// The new file to write (never overwritten).
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Put a backup in place of the SQLite database, with Salon stopped. The database it
    /// replaces is kept beside it; one written after the backup was taken needs --force.
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
        /// Replace a database that was written after the backup was taken.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// Take in one RFC 822 message from stdin (a calendar reply or a bounce), as an MTA alias
    /// (`"|salon mail ingest"`) delivers it. Exit 0 when it was handled or deliberately set
    /// aside, 75 (EX_TEMPFAIL) when the database is unreachable, so the MTA tries again.
    Ingest,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a person.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, organiser or member.
        #[arg(long, default_value = "member")]
        role: String,
        /// Short name of the person's organisation (e.g. KB).
        #[arg(long)]
        org: Option<String>,
    },
    /// Print a one-time sign-in URL for a person (valid 15 minutes).
    LoginLink {
        #[arg(long)]
        email: String,
    },
}

/// A failure with the exit code it deserves: 2 for a wrong setting or argument, 1 otherwise.
struct Failure(u8, String);

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure(1, format!("{e:#}"))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_settings(&cli.settings) {
        Ok(c) => c,
        Err(e) if matches!(cli.command, Command::Check) => {
            println!("FAIL settings: {e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("salon: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(config.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("salon: could not start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(dispatch(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(code, message)) => {
            eprintln!("salon: {message}");
            ExitCode::from(code)
        }
    }
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    // Colours only on a terminal: the journal or a log file gets plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

async fn dispatch(command: Command, config: Config) -> Result<(), Failure> {
    match command {
        Command::Serve { demo } => serve(config, demo).await,
        Command::Check => check(config).await,
        Command::Backup { to } => {
            let done = salon::ops::backup::backup(&config, &to)
                .await
                .map_err(|e| Failure(1, e.to_string()))?;
            println!(
                "Backed up to {} ({} bytes, as of {}); integrity check ok.",
                done.file.display(),
                done.bytes,
                done.taken_at.to_rfc3339()
            );
            if let Some(also) = done.also {
                println!("Also: {also}");
            }
            Ok(())
        }
        Command::Restore { from, force } => {
            let done = salon::ops::backup::restore(&config, &from, force)
                .await
                .map_err(|e| Failure(1, e.to_string()))?;
            println!(
                "Restored {} from {}{}.",
                done.database.display(),
                from.display(),
                done.taken_at
                    .map(|t| format!(" (taken {})", t.to_rfc3339()))
                    .unwrap_or_default()
            );
            if let Some(kept) = done.kept {
                println!("The database it replaced is kept as {}.", kept.display());
            }
            println!("Start Salon again: it applies any newer migrations at start.");
            Ok(())
        }
        Command::Migrate => {
            salon::open_database(&config).await?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::Demo => {
            let db = salon::open_database(&config).await?;
            let loaded = salon::demo::load(&db).await?;
            println!(
                "Demo loaded: {} organisations, {} people, {} salons.",
                loaded.organisations, loaded.people, loaded.salons
            );
            print_demo_hints(&config);
            Ok(())
        }
        Command::Admin {
            command:
                AdminCommand::Add {
                    email,
                    name,
                    role,
                    org,
                },
        } => admin_add(config, email, name, role, org).await,
        Command::Mail {
            command: MailCommand::Ingest,
        } => ingest_stdin(config).await,
        Command::Admin {
            command: AdminCommand::LoginLink { email },
        } => admin_login_link(config, email).await,
    }
}

/// `salon admin add`: a person, with a role and an organisation.
async fn admin_add(
    config: Config,
    email: String,
    name: String,
    role: String,
    org: Option<String>,
) -> Result<(), Failure> {
    let email = Email::parse(&email).map_err(|e| Failure(2, format!("--email: '{email}': {e}")))?;
    let role: Role = role
        .parse()
        .map_err(|e| Failure(2, format!("--role: {e}")))?;
    let name = salon::domain::person::name(&name)
        .map_err(|e| Failure(2, format!("--name: the name is refused ({})", e.error)))?;
    let name = name.as_str();
    let db = salon::open_database(&config).await?;
    let organisation_id = match org {
        None => None,
        Some(short) => Some(
            organisations::by_short_name(&db, &short)
                .await
                .map_err(anyhow::Error::from)?
                .ok_or_else(|| {
                    Failure(
                        2,
                        format!("--org: no organisation with the short name '{short}'"),
                    )
                })?
                .id,
        ),
    };
    let mut tx = db.begin().await.map_err(anyhow::Error::from)?;
    let new = people::NewPerson {
        email: &email,
        name,
        title: None,
        role,
        locale: Locale::Da,
        organisation_id,
    };
    let id = people::create(&mut tx, &new).await.map_err(|e| match e {
        people::CreateError::EmailTaken => Failure(
            1,
            format!("a person with the address {email} already exists"),
        ),
        people::CreateError::Db(e) => Failure(1, format!("database error: {e}")),
    })?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    println!("Added {name} <{email}> as {role} (id {id}).");
    Ok(())
}

/// `salon admin login-link`: a one-time sign-in URL for a person.
async fn admin_login_link(config: Config, email: String) -> Result<(), Failure> {
    let email = Email::parse(&email).map_err(|e| Failure(2, format!("--email: '{email}': {e}")))?;
    let db = salon::open_database(&config).await?;
    let person = people::by_email(&db, &email)
        .await
        .map_err(anyhow::Error::from)?
        .ok_or_else(|| Failure(1, format!("no person with the address {email}")))?;
    let mut tx = db.begin().await.map_err(anyhow::Error::from)?;
    let secret = login_tokens::create(&mut tx, person.id, None)
        .await
        .map_err(anyhow::Error::from)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    println!("{}", config.url(&format!("/login/{secret}")));
    Ok(())
}

async fn ingest_stdin(config: Config) -> Result<(), Failure> {
    match salon::inbound::stdin::ingest(config).await {
        Ok(handled) => {
            println!("{handled}");
            Ok(())
        }
        Err(not) => Err(Failure(not.exit, not.reason)),
    }
}

/// Print one line per check; a failure is exit 1.
async fn check(config: Config) -> Result<(), Failure> {
    let found = salon::ops::check::run(&config).await;
    for f in &found {
        println!("{:<4} {}: {}", f.level.label(), f.what, f.detail);
    }
    let failed = found
        .iter()
        .filter(|f| f.level == salon::ops::check::Level::Fail)
        .count();
    if failed > 0 {
        return Err(Failure(1, format!("{failed} check(s) failed")));
    }
    Ok(())
}

async fn serve(mut config: Config, demo: bool) -> Result<(), Failure> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| {
            Failure(
                1,
                format!("cannot listen on {} (SALON_ADDR): {e}", config.addr),
            )
        })?;
    // With --addr HOST:0 the system picks the port; links and the printed URL must use it.
    if config.base_url.port() == Some(0) {
        let port = listener.local_addr().map_err(anyhow::Error::from)?.port();
        let _ = config.base_url.set_port(Some(port));
    }
    let app = salon::build(config.clone()).await?;
    if demo {
        let loaded = salon::demo::load(&app.db).await?;
        println!(
            "Demo loaded: {} organisations, {} people, {} salons.",
            loaded.organisations, loaded.people, loaded.salons
        );
        print_demo_hints(&config);
    }
    println!("Salon is running at {}", config.base_url);
    // The signal handlers first (in place once `shutdown_signal` returns), then READY: a
    // SIGTERM right after READY=1 is a graceful stop, not a kill.
    let asked_to_stop = salon::shutdown_signal();
    let shutdown = CancellationToken::new();
    let on_signal = shutdown.clone();
    tokio::spawn(async move {
        asked_to_stop.await;
        tracing::info!("shutting down");
        let _ = sd_notify::notify(&[sd_notify::NotifyState::Stopping]);
        on_signal.cancel();
    });
    // Under systemd (Type=notify): listening, migrated, ready. Elsewhere there is no
    // NOTIFY_SOCKET and this does nothing.
    if let Err(e) = sd_notify::notify(&[sd_notify::NotifyState::Ready]) {
        tracing::warn!(error = %e, "could not tell systemd that Salon is ready");
    }
    salon::run(app, listener, shutdown).await?;
    Ok(())
}

fn print_demo_hints(config: &Config) {
    let mail = match &config.mail.transport {
        salon::config::MailTransportConfig::Files { dir } => {
            format!("mail is written as .eml files to {}", dir.display())
        }
        salon::config::MailTransportConfig::Smtp { .. } => {
            "mail goes to the SMTP server".to_string()
        }
    };
    println!(
        "Sign in as the organiser: {} (or the admin: {}); {mail}.",
        salon::demo::ORGANISER_EMAIL,
        salon::demo::ADMIN_EMAIL
    );
    println!(
        "Or print a sign-in link: salon admin login-link --email {}",
        salon::demo::ORGANISER_EMAIL
    );
}
