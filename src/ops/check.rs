//! `salon check`: read the configuration as `serve` would and test what can be tested without
//! serving: the public address against cookies and HSTS, whose `X-Forwarded-For` counts, the
//! database (reachable, at which migration, anything pending or from a newer Salon), the mail
//! transport (SMTP: connect, EHLO, STARTTLS or TLS, login, as configured; files: a writable
//! folder), the reply mailbox (IMAP login) and the inbound endpoint's secret. One finding per
//! line; a failure makes the command exit 1.

use std::path::Path;
use std::time::Duration;

use crate::config::{Config, MailTransportConfig, TrustProxy};
use crate::store::Db;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Ok,
    /// Works, but probably not what production wants.
    Warn,
    /// Will not work: `serve` would fail or mail would not go.
    Fail,
    /// Not configured, nothing to test.
    Skip,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Warn => "warn",
            Level::Fail => "FAIL",
            Level::Skip => "skip",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone)]
pub struct Finding {
    pub level: Level,
    pub what: &'static str,
    pub detail: String,
}

fn finding(level: Level, what: &'static str, detail: impl Into<String>) -> Finding {
    Finding {
        level,
        what,
        detail: detail.into(),
    }
}

/// How long one network check may take before it counts as failed.
const WITHIN: Duration = Duration::from_secs(20);

pub async fn run(config: &Config) -> Vec<Finding> {
    let mut found = vec![finding(
        Level::Ok,
        "settings",
        format!(
            "read; listens on {}, public address {}",
            config.addr, config.base_url
        ),
    )];
    found.push(public_address(config));
    found.push(proxy(config));
    found.push(database(config).await);
    found.extend(mail(config).await);
    found.push(imap(config).await);
    found.push(match &config.inbound_secret {
        Some(secret) => finding(
            Level::Ok,
            "inbound",
            format!(
                "POST /inbound/mail takes mail with a secret of {} characters",
                secret.chars().count()
            ),
        ),
        None => finding(
            Level::Skip,
            "inbound",
            "POST /inbound/mail is off (no SALON_INBOUND_SECRET)",
        ),
    });
    found
}

fn public_address(config: &Config) -> Finding {
    let url = &config.base_url;
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    if url.scheme() == "https" {
        finding(
            Level::Ok,
            "public address",
            "https: session cookies are Secure and Salon sends HSTS (max-age one year)",
        )
    } else if loopback {
        finding(
            Level::Ok,
            "public address",
            "http on this machine only (a trial install): cookies are not Secure, no HSTS",
        )
    } else {
        finding(
            Level::Warn,
            "public address",
            format!(
                "{url} is plain http on a public name: sign-in cookies travel unencrypted and no HSTS is sent; put Salon behind a TLS proxy and set SALON_BASE_URL to https://"
            ),
        )
    }
}

fn proxy(config: &Config) -> Finding {
    match &config.trust_proxy {
        TrustProxy::Nobody => finding(
            Level::Ok,
            "proxy",
            "X-Forwarded-For is not believed: client addresses are the peers' own",
        ),
        TrustProxy::Anyone => finding(
            Level::Warn,
            "proxy",
            "SALON_TRUST_PROXY=true believes X-Forwarded-For from anyone who reaches the port; name the proxy's address instead (e.g. 127.0.0.1)",
        ),
        TrustProxy::These(nets) => finding(
            Level::Ok,
            "proxy",
            format!(
                "X-Forwarded-For is believed only from {}",
                nets.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    }
}

async fn database(config: &Config) -> Finding {
    const WHAT: &str = "database";
    if let Some(path) = config.database.sqlite_path()
        && !path.exists()
    {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        return match writable(dir) {
            Ok(()) => finding(
                Level::Ok,
                WHAT,
                format!(
                    "{} does not exist yet: serve creates it and applies every migration",
                    path.display()
                ),
            ),
            Err(e) => finding(
                Level::Fail,
                WHAT,
                format!("{} cannot be created: {e}", path.display()),
            ),
        };
    }
    let db = match tokio::time::timeout(WITHIN, Db::connect(&config.database)).await {
        Ok(Ok(db)) => db,
        Ok(Err(e)) => return finding(Level::Fail, WHAT, format!("cannot connect: {e}")),
        Err(_) => return finding(Level::Fail, WHAT, "no answer within 20 seconds"),
    };
    let status = match crate::store::schema::status(&db).await {
        Ok(s) => s,
        Err(e) => return finding(Level::Fail, WHAT, format!("cannot read the schema: {e}")),
    };
    let at = match &status.latest {
        Some((v, d)) => format!("schema at {v:04} ({d})"),
        None => "empty (no migration applied)".to_string(),
    };
    if status.latest.is_none() {
        return finding(
            Level::Ok,
            WHAT,
            format!(
                "{}, empty: serve creates the schema ({} migrations) at start",
                status.server,
                status.pending.len()
            ),
        );
    }
    if !status.unknown.is_empty() {
        return finding(
            Level::Fail,
            WHAT,
            format!(
                "{}, {at}: migrated by a newer Salon (migrations {:?} are unknown to this one); run that version, or restore a backup made before it",
                status.server, status.unknown
            ),
        );
    }
    if status.pending.is_empty() {
        return finding(
            Level::Ok,
            WHAT,
            format!("{}, {at}, up to date", status.server),
        );
    }
    let pending = status
        .pending
        .iter()
        .map(|(v, d)| format!("{v:04} {d}"))
        .collect::<Vec<_>>()
        .join(", ");
    finding(
        Level::Warn,
        WHAT,
        format!(
            "{}, {at}; {} pending ({pending}): serve applies them at start; make a backup first",
            status.server,
            status.pending.len()
        ),
    )
}

async fn mail(config: &Config) -> Vec<Finding> {
    let mut found = Vec::new();
    if config.mail.from.email.domain() == "localhost.localdomain" {
        found.push(finding(
            Level::Warn,
            "sender",
            format!(
                "SALON_MAIL_FROM is {}: calendar replies and bounces cannot come back to it; use a real mailbox",
                config.mail.from
            ),
        ));
    } else {
        found.push(finding(
            Level::Ok,
            "sender",
            format!("mail goes out as {}", config.mail.from),
        ));
    }
    found.push(match &config.mail.transport {
        MailTransportConfig::Files { dir } => match writable_or_creatable(dir) {
            Ok(()) => finding(
                Level::Ok,
                "mail",
                format!(
                    "no SALON_SMTP_URL: mail is written as files to {}",
                    dir.display()
                ),
            ),
            Err(e) => finding(
                Level::Fail,
                "mail",
                format!("the outbox folder {} is not writable: {e}", dir.display()),
            ),
        },
        MailTransportConfig::Smtp { url } => smtp(url, config.mail.smtp_timeout).await,
    });
    found
}

async fn smtp(url: &str, timeout: Duration) -> Finding {
    use lettre::{AsyncSmtpTransport, Tokio1Executor};
    let shown = without_password(url);
    let transport: AsyncSmtpTransport<Tokio1Executor> =
        match AsyncSmtpTransport::<Tokio1Executor>::from_url(url) {
            Ok(t) => t.timeout(Some(timeout)).build(),
            Err(e) => return finding(Level::Fail, "mail", format!("{shown}: {e}")),
        };
    // lettre's connection does what sending does: connect, EHLO, STARTTLS or TLS as the URL
    // says, and the login when the URL has a user; NOOP then proves the session works.
    match tokio::time::timeout(WITHIN, transport.test_connection()).await {
        Ok(Ok(true)) => finding(
            Level::Ok,
            "mail",
            format!("SMTP {shown} answered: connected, EHLO, encryption and login as configured"),
        ),
        Ok(Ok(false)) => finding(
            Level::Fail,
            "mail",
            format!("SMTP {shown} did not answer NOOP"),
        ),
        Ok(Err(e)) => finding(Level::Fail, "mail", format!("SMTP {shown}: {e}")),
        Err(_) => finding(
            Level::Fail,
            "mail",
            format!("SMTP {shown}: no answer within 20 seconds"),
        ),
    }
}

async fn imap(config: &Config) -> Finding {
    let Some(imap) = &config.imap else {
        return finding(
            Level::Skip,
            "reply mailbox",
            "no SALON_IMAP_URL (calendar replies and bounces come by POST /inbound/mail or `salon mail ingest`)",
        );
    };
    let shown = format!("{}@{}:{}", imap.user, imap.host, imap.port);
    match tokio::time::timeout(WITHIN, crate::mail::imap::connect(imap)).await {
        Ok(Ok(mut session)) => {
            let _ = session.logout().await;
            finding(
                Level::Ok,
                "reply mailbox",
                format!("IMAP {shown}: signed in"),
            )
        }
        Ok(Err(e)) => finding(Level::Fail, "reply mailbox", format!("IMAP {shown}: {e:#}")),
        Err(_) => finding(
            Level::Fail,
            "reply mailbox",
            format!("IMAP {shown}: no answer within 20 seconds"),
        ),
    }
}

/// The URL with its password replaced, for printing.
fn without_password(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("****"));
            u.to_string()
        }
        _ => raw.to_string(),
    }
}

/// Whether a file can be made in `dir` (made and removed again).
fn writable(dir: &Path) -> std::io::Result<()> {
    let probe = dir.join(format!(".salon-check-{}", std::process::id()));
    std::fs::write(&probe, b"")?;
    std::fs::remove_file(&probe)
}

/// `dir` is writable, or it does not exist and its nearest existing parent is.
fn writable_or_creatable(dir: &Path) -> std::io::Result<()> {
    let mut at = dir;
    while !at.exists() {
        match at.parent() {
            Some(p) if !p.as_os_str().is_empty() => at = p,
            _ => {
                at = Path::new(".");
                break;
            }
        }
    }
    writable(at)
}
