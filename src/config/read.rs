//! Reading each group of settings: every value checked, with the setting's name and an example
//! in the error.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use lettre::message::Mailbox;
use url::Url;

use super::*;

/// Where to listen, and the public URL (loopback when listening on every interface).
pub(super) fn listen(s: &Settings) -> Result<(SocketAddr, Url), ConfigError> {
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
    Ok((addr, base_url))
}

/// The sender and how mail leaves (SMTP, or files in the outbox directory).
pub(super) fn mail(s: &Settings) -> Result<MailConfig, ConfigError> {
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
    Ok(MailConfig {
        from,
        transport,
        smtp_timeout: Duration::from_secs(smtp_timeout_secs),
    })
}

/// How the outbox worker polls and retries.
pub(super) fn outbox(s: &Settings) -> Result<OutboxConfig, ConfigError> {
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
    Ok(OutboxConfig {
        poll: Duration::from_millis(poll_ms),
        retry_base: Duration::from_millis(retry_ms),
        retry_cap: Duration::from_secs(3600),
        max_attempts,
    })
}

/// How long before a salon the reminder goes, and how often the due ones are looked for.
pub(super) fn reminders(s: &Settings) -> Result<(Duration, Duration), ConfigError> {
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
    Ok((
        Duration::from_secs(reminder_hours * 3600),
        Duration::from_secs(reminder_poll),
    ))
}

/// The rooms' message rate per person and each socket's buffer.
pub(super) fn rooms(s: &Settings) -> Result<(u32, usize), ConfigError> {
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
    Ok((room_rate, room_buffer))
}

/// The largest upload: 1 to 500 MB (the file is held in memory while it is checked, and
/// PostgreSQL takes at most 1 GB in a value).
pub(super) fn upload_max(s: &Settings) -> Result<usize, ConfigError> {
    let mb: usize = number(
        "SALON_UPLOAD_MAX_MB",
        &s.upload_max_mb,
        "a whole number of MB",
    )?;
    if !(1..=500).contains(&mb) {
        return Err(bad("SALON_UPLOAD_MAX_MB", "must be between 1 and 500"));
    }
    Ok(mb * 1024 * 1024)
}

pub(super) fn log_format(s: &Settings) -> Result<LogFormat, ConfigError> {
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
    Ok(log_format)
}

/// The inbound mail endpoint's shared secret, if any (16 characters at least).
pub(super) fn inbound_secret(s: &Settings) -> Result<Option<String>, ConfigError> {
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
    Ok(inbound_secret)
}

/// The reply mailbox, if one is configured.
pub(super) fn imap(s: &Settings) -> Result<Option<imap::ImapConfig>, ConfigError> {
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
    Ok(imap)
}

pub(super) fn parse_database_url(raw: &str) -> Result<DatabaseUrl, ConfigError> {
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

pub(super) fn parse_base_url(raw: &str) -> Result<Url, ConfigError> {
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
