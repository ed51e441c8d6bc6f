//! Every setting, from flags and `SALON_*` / `DATABASE_URL` environment variables.
//!
//! Clap collects raw strings (`Settings`); `Config::from_settings` validates them all and turns
//! the first problem into one line naming the setting and what is wrong (`main` prints it and
//! exits with code 2). Parsing by hand rather than with clap's typed values keeps that line
//! short and in our words, without a usage dump.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use lettre::message::Mailbox;

pub mod imap;
pub mod privacy;
pub use privacy::{PrivacyConfig, PrivacySettings};
use url::Url;

/// Raw settings as given on the command line or in the environment.
#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// Database: sqlite://PATH (default, created on first start) or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://salon.db",
        global = true
    )]
    pub database_url: String,
    /// Public URL of this installation, used in mails and links (default: http://ADDR).
    #[arg(long, env = "SALON_BASE_URL", global = true)]
    pub base_url: Option<String>,
    /// Address to listen on.
    #[arg(
        long,
        env = "SALON_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: String,
    /// Send mail through this SMTP server: smtp://host:port (plain), smtp://host:587?tls=required
    /// (STARTTLS) or smtps://user:pass@host:465 (TLS). Without it mail is written to files.
    #[arg(long, env = "SALON_SMTP_URL", global = true)]
    pub smtp_url: Option<String>,
    /// Sender of every mail; must be a real mailbox (it is the calendar ORGANIZER).
    #[arg(
        long,
        env = "SALON_MAIL_FROM",
        default_value = "Salon <salon@localhost.localdomain>",
        global = true
    )]
    pub mail_from: String,
    /// Where mail is written as .eml files when no SMTP server is configured.
    #[arg(
        long,
        env = "SALON_OUTBOX_DIR",
        default_value = "./data/outbox",
        global = true
    )]
    pub outbox_dir: String,
    /// Seconds to wait for the SMTP server before a send counts as a temporary failure.
    #[arg(
        long,
        env = "SALON_SMTP_TIMEOUT_SECS",
        default_value = "15",
        global = true
    )]
    pub smtp_timeout_secs: String,
    /// How often the outbox worker looks for due mail, in milliseconds (it is also woken at once
    /// when mail is queued by this instance).
    #[arg(
        long,
        env = "SALON_OUTBOX_POLL_MS",
        default_value = "2000",
        global = true
    )]
    pub outbox_poll_ms: String,
    /// First retry delay after a temporary failure, in milliseconds; doubles per attempt.
    #[arg(
        long,
        env = "SALON_OUTBOX_RETRY_BASE_MS",
        default_value = "30000",
        global = true
    )]
    pub outbox_retry_base_ms: String,
    /// Attempts before a temporarily failing mail is given up and marked failed.
    #[arg(
        long,
        env = "SALON_OUTBOX_MAX_ATTEMPTS",
        default_value = "12",
        global = true
    )]
    pub outbox_max_attempts: String,
    /// Hours before a salon that registered people get a reminder.
    #[arg(
        long,
        env = "SALON_REMINDER_HOURS",
        default_value = "24",
        global = true
    )]
    pub reminder_hours: String,
    /// How often to look for reminders that are due, in seconds.
    #[arg(
        long,
        env = "SALON_REMINDER_POLL_SECS",
        default_value = "60",
        global = true
    )]
    pub reminder_poll_secs: String,
    /// Room messages a person may post per second (bursts of four times that).
    #[arg(long, env = "SALON_ROOM_RATE", default_value = "2", global = true)]
    pub room_rate: String,
    /// Frames a slow room connection may have waiting (beyond what its kernel buffer holds)
    /// before it is left to catch up from the recent messages or the database.
    #[arg(long, env = "SALON_ROOM_BUFFER", default_value = "256", global = true)]
    pub room_buffer: String,
    /// Trust X-Forwarded-For from a reverse proxy for client addresses (rate limits, logs).
    #[arg(
        long,
        env = "SALON_TRUST_PROXY",
        default_value = "false",
        global = true
    )]
    pub trust_proxy: String,
    /// Log format: "text" or "json".
    #[arg(long, env = "SALON_LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: String,
    /// Shared secret for `POST /inbound/mail` (header `X-Salon-Inbound-Secret`), at least 16
    /// characters; without it the endpoint does not exist.
    #[arg(
        long,
        env = "SALON_INBOUND_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub inbound_secret: Option<String>,
    /// The reply mailbox to read calendar replies and bounces from:
    /// `imaps://USER:PASS@HOST:993/INBOX`, or `imap://...?tls=starttls` (`tls=none` only on
    /// loopback). Without it, no mailbox is read.
    #[arg(long, env = "SALON_IMAP_URL", global = true, hide_env_values = true)]
    pub imap_url: Option<String>,
    /// A command that prints a fresh OAuth2 access token (Microsoft 365, Google): IMAP then
    /// signs in with XOAUTH2 as the URL's user instead of its password.
    #[arg(long, env = "SALON_IMAP_OAUTH2_TOKEN_CMD", global = true)]
    pub imap_oauth2_token_cmd: Option<String>,
    /// A PEM file of certificates to trust for IMAP besides the public roots (a private CA).
    #[arg(long, env = "SALON_IMAP_CA_FILE", global = true)]
    pub imap_ca_file: Option<String>,
    /// Seconds between looks at the mailbox when the server does not offer IDLE.
    #[arg(
        long,
        env = "SALON_IMAP_POLL_SECS",
        default_value = "30",
        global = true
    )]
    pub imap_poll_secs: String,
    /// Sessions, retention periods and the facts of the privacy and accessibility statements.
    #[command(flatten)]
    pub privacy: PrivacySettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://salon.db".into(),
            base_url: None,
            addr: "127.0.0.1:3000".into(),
            smtp_url: None,
            mail_from: "Salon <salon@localhost.localdomain>".into(),
            outbox_dir: "./data/outbox".into(),
            smtp_timeout_secs: "15".into(),
            outbox_poll_ms: "2000".into(),
            outbox_retry_base_ms: "30000".into(),
            outbox_max_attempts: "12".into(),
            trust_proxy: "false".into(),
            log_format: "text".into(),
            reminder_hours: "24".into(),
            reminder_poll_secs: "60".into(),
            room_rate: "2".into(),
            room_buffer: "256".into(),
            inbound_secret: None,
            imap_url: None,
            imap_oauth2_token_cmd: None,
            imap_ca_file: None,
            imap_poll_secs: "30".into(),
            privacy: PrivacySettings::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

#[derive(Debug, Clone)]
pub enum MailTransportConfig {
    Smtp { url: String },
    Files { dir: PathBuf },
}

#[derive(Debug, Clone)]
pub struct MailConfig {
    pub from: Mailbox,
    pub transport: MailTransportConfig,
    pub smtp_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct OutboxConfig {
    pub poll: Duration,
    pub retry_base: Duration,
    /// The back-off never grows beyond this.
    pub retry_cap: Duration,
    pub max_attempts: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub database: DatabaseUrl,
    pub addr: SocketAddr,
    /// Without a trailing slash, e.g. `https://salon.example.org`.
    pub base_url: Url,
    pub mail: MailConfig,
    pub outbox: OutboxConfig,
    pub trust_proxy: bool,
    pub log_format: LogFormat,
    /// How long before a salon the reminder goes out, and how often due reminders are sought.
    pub reminder_before: Duration,
    pub reminder_poll: Duration,
    pub room_rate: u32,
    pub room_buffer: usize,
    /// The secret `POST /inbound/mail` requires (the endpoint is off without one).
    pub inbound_secret: Option<String>,
    /// The reply mailbox read over IMAP, if any.
    pub imap: Option<imap::ImapConfig>,
    /// Session lifetimes, retention periods and the statements' facts.
    pub privacy: PrivacyConfig,
}

/// One problem with one setting.
#[derive(Debug, thiserror::Error)]
#[error("{setting}: {problem}")]
pub struct ConfigError {
    pub setting: &'static str,
    pub problem: String,
}

fn bad(setting: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        setting,
        problem: problem.into(),
    }
}

fn number<T: std::str::FromStr>(
    setting: &'static str,
    raw: &str,
    what: &str,
) -> Result<T, ConfigError> {
    raw.trim()
        .parse()
        .map_err(|_| bad(setting, format!("'{raw}' is not {what}")))
}

impl Config {
    pub fn from_settings(s: &Settings) -> Result<Config, ConfigError> {
        let database = parse_database_url(&s.database_url)?;
        let addr: SocketAddr = s.addr.trim().parse().map_err(|_| {
            bad(
                "SALON_ADDR (--addr)",
                format!(
                    "'{}' is not an address to listen on (expected e.g. 127.0.0.1:3000)",
                    s.addr
                ),
            )
        })?;
        let base_url = match &s.base_url {
            Some(raw) => parse_base_url(raw)?,
            None => {
                // Listening on all interfaces says nothing about the public name: use loopback.
                let host = if addr.ip().is_unspecified() {
                    "127.0.0.1".to_string()
                } else {
                    addr.ip().to_string()
                };
                let host = if addr.is_ipv6() && !addr.ip().is_unspecified() {
                    format!("[{host}]")
                } else {
                    host
                };
                parse_base_url(&format!("http://{host}:{}", addr.port()))?
            }
        };
        let from: Mailbox = s.mail_from.parse().map_err(|_| {
            bad(
                "SALON_MAIL_FROM (--mail-from)",
                format!(
                    "'{}' is not a mailbox (expected e.g. \"Salon <salon@example.org>\")",
                    s.mail_from
                ),
            )
        })?;
        let transport = match s
            .smtp_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(url) => {
                // Let lettre judge the URL exactly as it will use it.
                lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url).map_err(|e| {
                    bad("SALON_SMTP_URL (--smtp-url)", format!("'{url}' is not a usable SMTP URL ({e}); expected e.g. smtp://127.0.0.1:1025"))
                })?;
                MailTransportConfig::Smtp {
                    url: url.to_string(),
                }
            }
            None => {
                if s.outbox_dir.trim().is_empty() {
                    return Err(bad(
                        "SALON_OUTBOX_DIR (--outbox-dir)",
                        "is empty; give a directory for mail files",
                    ));
                }
                MailTransportConfig::Files {
                    dir: PathBuf::from(s.outbox_dir.trim()),
                }
            }
        };
        let smtp_timeout_secs: u64 = number(
            "SALON_SMTP_TIMEOUT_SECS",
            &s.smtp_timeout_secs,
            "a whole number of seconds",
        )?;
        if smtp_timeout_secs == 0 {
            return Err(bad("SALON_SMTP_TIMEOUT_SECS", "must be at least 1 second"));
        }
        let poll_ms: u64 = number(
            "SALON_OUTBOX_POLL_MS",
            &s.outbox_poll_ms,
            "a whole number of milliseconds",
        )?;
        let retry_ms: u64 = number(
            "SALON_OUTBOX_RETRY_BASE_MS",
            &s.outbox_retry_base_ms,
            "a whole number of milliseconds",
        )?;
        let max_attempts: u32 = number(
            "SALON_OUTBOX_MAX_ATTEMPTS",
            &s.outbox_max_attempts,
            "a whole number",
        )?;
        if poll_ms == 0 || retry_ms == 0 || max_attempts == 0 {
            return Err(bad(
                "SALON_OUTBOX_*",
                "poll interval, retry delay and attempts must be above zero",
            ));
        }
        let reminder_hours: u64 = number(
            "SALON_REMINDER_HOURS",
            &s.reminder_hours,
            "a whole number of hours",
        )?;
        let reminder_poll: u64 = number(
            "SALON_REMINDER_POLL_SECS",
            &s.reminder_poll_secs,
            "a whole number of seconds",
        )?;
        if reminder_hours == 0 || reminder_hours > 24 * 30 || reminder_poll == 0 {
            return Err(bad(
                "SALON_REMINDER_*",
                "the reminder must be 1 to 720 hours before, polled at least every second",
            ));
        }
        let room_rate: u32 = number(
            "SALON_ROOM_RATE",
            &s.room_rate,
            "a whole number of messages per second",
        )?;
        let room_buffer: usize = number(
            "SALON_ROOM_BUFFER",
            &s.room_buffer,
            "a whole number of events",
        )?;
        if room_rate == 0 || room_buffer == 0 {
            return Err(bad(
                "SALON_ROOM_*",
                "the message rate and the buffer must be above zero",
            ));
        }
        let trust_proxy = parse_bool("SALON_TRUST_PROXY (--trust-proxy)", &s.trust_proxy)?;
        let log_format = match s.log_format.trim() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(bad(
                    "SALON_LOG_FORMAT (--log-format)",
                    format!("'{other}' is not text or json"),
                ));
            }
        };
        let inbound_secret = match s
            .inbound_secret
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            Some(v) if v.chars().count() < 16 => {
                return Err(bad(
                    "SALON_INBOUND_SECRET",
                    "must be at least 16 characters".to_string(),
                ));
            }
            Some(v) => Some(v.to_string()),
            None => None,
        };
        let imap_poll: u64 = number(
            "SALON_IMAP_POLL_SECS",
            &s.imap_poll_secs,
            "a whole number of seconds",
        )?;
        let imap = match s
            .imap_url
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            Some(url) => Some(imap::ImapConfig {
                ca_file: match s
                    .imap_ca_file
                    .as_deref()
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                {
                    Some(f) if std::path::Path::new(f).is_file() => Some(f.into()),
                    Some(f) => {
                        return Err(bad("SALON_IMAP_CA_FILE", format!("'{f}' is not a file")));
                    }
                    None => None,
                },
                ..imap::ImapConfig::parse(
                    url,
                    s.imap_oauth2_token_cmd.clone(),
                    Duration::from_secs(imap_poll.max(1)),
                )
                .map_err(|problem| bad("SALON_IMAP_URL", problem))?
            }),
            None => None,
        };
        let privacy = PrivacyConfig::from_settings(&s.privacy, from.email.as_ref())?;
        Ok(Config {
            database,
            addr,
            base_url,
            mail: MailConfig {
                from,
                transport,
                smtp_timeout: Duration::from_secs(smtp_timeout_secs),
            },
            outbox: OutboxConfig {
                poll: Duration::from_millis(poll_ms),
                retry_base: Duration::from_millis(retry_ms),
                retry_cap: Duration::from_secs(3600),
                max_attempts,
            },
            trust_proxy,
            log_format,
            reminder_before: Duration::from_secs(reminder_hours * 3600),
            reminder_poll: Duration::from_secs(reminder_poll),
            room_rate,
            room_buffer,
            inbound_secret,
            imap,
            privacy,
        })
    }

    /// Cookies get `Secure` when the public URL is https.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.scheme() == "https"
    }

    /// `scheme://host[:port]`, compared with the Origin header of unsafe requests.
    pub fn origin(&self) -> String {
        self.base_url.origin().ascii_serialization()
    }

    /// An absolute URL for a local path (which starts with '/').
    pub fn url(&self, path: &str) -> String {
        let base = self.base_url.as_str().trim_end_matches('/');
        format!("{base}{path}")
    }
}

fn parse_database_url(raw: &str) -> Result<DatabaseUrl, ConfigError> {
    const SETTING: &str = "DATABASE_URL (--database-url)";
    let raw = raw.trim();
    if raw.starts_with("sqlite:") {
        let rest = raw.trim_start_matches("sqlite:").trim_start_matches("//");
        if rest.is_empty() {
            return Err(bad(
                SETTING,
                "names no SQLite file (expected e.g. sqlite://salon.db)",
            ));
        }
        Ok(DatabaseUrl::Sqlite(raw.to_string()))
    } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
        Url::parse(raw)
            .map_err(|e| bad(SETTING, format!("is not a valid PostgreSQL URL ({e})")))?;
        Ok(DatabaseUrl::Postgres(raw.to_string()))
    } else {
        let shown = raw.split("://").next().unwrap_or(raw);
        Err(bad(
            SETTING,
            format!(
                "unsupported scheme in '{shown}...': use sqlite://PATH or postgres://USER@HOST/DB"
            ),
        ))
    }
}

fn parse_base_url(raw: &str) -> Result<Url, ConfigError> {
    const SETTING: &str = "SALON_BASE_URL (--base-url)";
    let url =
        Url::parse(raw.trim()).map_err(|e| bad(SETTING, format!("'{raw}' is not a URL ({e})")))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(bad(
            SETTING,
            format!("'{raw}' must start with http:// or https://"),
        ));
    }
    if url.host_str().is_none() || url.query().is_some() || url.fragment().is_some() {
        return Err(bad(
            SETTING,
            format!("'{raw}' must be a plain http(s)://host[:port][/path] URL"),
        ));
    }
    Ok(url)
}

fn parse_bool(setting: &'static str, raw: &str) -> Result<bool, ConfigError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        other => Err(bad(setting, format!("'{other}' is not true or false"))),
    }
}

#[cfg(test)]
mod tests;
