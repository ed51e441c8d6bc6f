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
    /// Whose X-Forwarded-For gives the client's address (rate limits, logs): false, the
    /// proxies' addresses or networks (127.0.0.1,10.0.0.0/24), or true (any peer).
    #[arg(
        long,
        env = "SALON_TRUST_PROXY",
        default_value = "false",
        global = true
    )]
    pub trust_proxy: String,
    /// The largest material file an organiser may upload, in MB (of 1,048,576 bytes). A proxy
    /// in front must let such a body through (nginx `client_max_body_size`).
    #[arg(long, env = "SALON_UPLOAD_MAX_MB", default_value = "20", global = true)]
    pub upload_max_mb: String,
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
            upload_max_mb: "20".into(),
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

impl DatabaseUrl {
    /// The SQLite file (`sqlite://PATH[?options]`), for what works on the file itself
    /// (`salon check`, backups).
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        match self {
            DatabaseUrl::Sqlite(url) => {
                let rest = url.trim_start_matches("sqlite:");
                let rest = rest.strip_prefix("//").unwrap_or(rest);
                let path = rest.split('?').next().unwrap_or(rest);
                Some(PathBuf::from(path))
            }
            DatabaseUrl::Postgres(_) => None,
        }
    }
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
    /// Whose `X-Forwarded-For` counts (`SALON_TRUST_PROXY`).
    pub trust_proxy: TrustProxy,
    pub log_format: LogFormat,
    /// How long before a salon the reminder goes out, and how often due reminders are sought.
    pub reminder_before: Duration,
    pub reminder_poll: Duration,
    pub room_rate: u32,
    pub room_buffer: usize,
    /// The largest material file, in bytes (`SALON_UPLOAD_MAX_MB`).
    pub upload_max_bytes: usize,
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
        let (addr, base_url) = read::listen(s)?;
        let mail = read::mail(s)?;
        let outbox = read::outbox(s)?;
        let (reminder_before, reminder_poll) = read::reminders(s)?;
        let (room_rate, room_buffer) = read::rooms(s)?;
        let upload_max_bytes = read::upload_max(s)?;
        let trust_proxy = TrustProxy::parse(&s.trust_proxy)?;
        let log_format = read::log_format(s)?;
        let inbound_secret = read::inbound_secret(s)?;
        let imap = read::imap(s)?;
        let privacy = PrivacyConfig::from_settings(&s.privacy, mail.from.email.as_ref())?;
        Ok(Config {
            database,
            addr,
            base_url,
            mail,
            outbox,
            trust_proxy,
            log_format,
            reminder_before,
            reminder_poll,
            room_rate,
            room_buffer,
            upload_max_bytes,
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

mod read;
use read::parse_database_url;

mod proxy;
pub use proxy::TrustProxy;

#[cfg(test)]
mod tests;
