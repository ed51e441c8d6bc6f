//! Data-protection settings: how long sessions and data live, and who answers for the data
//! (shown in `/privacy` and `/accessibility`). Every period has a default written in README.

use chrono::Duration;

use super::{ConfigError, bad, number};

/// Raw settings, flattened into [`super::Settings`].
#[derive(Debug, Clone, clap::Args)]
pub struct PrivacySettings {
    /// Days a session lasts before signing in again.
    #[arg(long, env = "SALON_SESSION_DAYS", default_value = "30", global = true)]
    pub session_days: String,
    /// Days without a request after which a session ends.
    #[arg(
        long,
        env = "SALON_SESSION_IDLE_DAYS",
        default_value = "7",
        global = true
    )]
    pub session_idle_days: String,
    /// Days after a salon ends before its room messages are deleted.
    #[arg(
        long,
        env = "SALON_RETENTION_ROOM_DAYS",
        default_value = "365",
        global = true
    )]
    pub retention_room_days: String,
    /// Days after which a sent mail's body is cleared (the row and its state stay).
    #[arg(
        long,
        env = "SALON_RETENTION_MAIL_DAYS",
        default_value = "30",
        global = true
    )]
    pub retention_mail_days: String,
    /// Days after which registrations never confirmed are removed.
    #[arg(
        long,
        env = "SALON_RETENTION_REGISTRATION_DAYS",
        default_value = "7",
        global = true
    )]
    pub retention_registration_days: String,
    /// Days the record of inbound mail taken in (calendar replies, bounces: `/admin/inbox`) is kept.
    #[arg(
        long,
        env = "SALON_RETENTION_INBOUND_DAYS",
        default_value = "90",
        global = true
    )]
    pub retention_inbound_days: String,
    /// Days the audit trail is kept.
    #[arg(
        long,
        env = "SALON_RETENTION_AUDIT_DAYS",
        default_value = "730",
        global = true
    )]
    pub retention_audit_days: String,
    /// The data controller, as the privacy notice names it ("Name, address").
    #[arg(long, env = "SALON_CONTROLLER", global = true)]
    pub controller: Option<String>,
    /// Where people write about their data (an e-mail address); default: the sender address.
    #[arg(long, env = "SALON_PRIVACY_CONTACT", global = true)]
    pub privacy_contact: Option<String>,
    /// The data protection officer ("Name, e-mail"), if the controller has one.
    #[arg(long, env = "SALON_DPO", global = true)]
    pub dpo: Option<String>,
    /// Processors, separated by ';' (e.g. "Example Mail ApS: sends the mail; Example Hosting A/S: runs the server").
    #[arg(long, env = "SALON_PROCESSORS", global = true)]
    pub processors: Option<String>,
    /// Where people report accessibility problems (an e-mail address); default: the privacy contact.
    #[arg(long, env = "SALON_ACCESSIBILITY_CONTACT", global = true)]
    pub accessibility_contact: Option<String>,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        PrivacySettings {
            session_days: "30".into(),
            session_idle_days: "7".into(),
            retention_room_days: "365".into(),
            retention_mail_days: "30".into(),
            retention_registration_days: "7".into(),
            retention_inbound_days: "90".into(),
            retention_audit_days: "730".into(),
            controller: None,
            privacy_contact: None,
            dpo: None,
            processors: None,
            accessibility_contact: None,
        }
    }
}

/// How long things live.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub session: Duration,
    pub session_idle: Duration,
    pub room: Duration,
    pub mail_body: Duration,
    pub registration: Duration,
    pub inbound: Duration,
    pub audit: Duration,
}

impl Retention {
    pub fn sessions(&self) -> Lifetimes {
        Lifetimes {
            absolute: self.session,
            idle: self.session_idle,
        }
    }
}

/// How long sessions live.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    pub absolute: Duration,
    pub idle: Duration,
}

/// The defaults (30 days, 7 idle), for tools that make sessions without a configuration.
impl Default for Lifetimes {
    fn default() -> Self {
        Lifetimes {
            absolute: Duration::days(30),
            idle: Duration::days(7),
        }
    }
}

impl Lifetimes {
    /// When a session started at `created` and last seen at `seen` ends.
    pub fn end(
        &self,
        created: chrono::DateTime<chrono::Utc>,
        seen: chrono::DateTime<chrono::Utc>,
    ) -> chrono::DateTime<chrono::Utc> {
        (created + self.absolute).min(seen + self.idle)
    }
}

/// Who answers for the data (the statements' facts).
#[derive(Debug, Clone)]
pub struct Statements {
    /// None: not configured; the pages say so to admins.
    pub controller: Option<String>,
    pub contact: String,
    pub dpo: Option<String>,
    pub processors: Vec<String>,
    pub accessibility_contact: String,
}

#[derive(Debug, Clone)]
pub struct PrivacyConfig {
    pub retention: Retention,
    pub statements: Statements,
}

fn days(setting: &'static str, raw: &str, min: i64, max: i64) -> Result<Duration, ConfigError> {
    let n: i64 = number(setting, raw, "a whole number of days")?;
    if n < min || n > max {
        return Err(bad(setting, format!("must be {min} to {max} days")));
    }
    Ok(Duration::days(n))
}

fn optional(raw: &Option<String>) -> Option<String> {
    raw.as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// A statement fact is shown on a page: one line, no control characters.
fn one_line(setting: &'static str, raw: Option<String>) -> Result<Option<String>, ConfigError> {
    match raw {
        Some(v) if v.chars().any(char::is_control) => {
            Err(bad(setting, "must be one line without control characters"))
        }
        other => Ok(other),
    }
}

impl PrivacyConfig {
    pub fn from_settings(s: &PrivacySettings, sender: &str) -> Result<PrivacyConfig, ConfigError> {
        let retention = Retention {
            session: days("SALON_SESSION_DAYS", &s.session_days, 1, 365)?,
            session_idle: days("SALON_SESSION_IDLE_DAYS", &s.session_idle_days, 1, 365)?,
            room: days("SALON_RETENTION_ROOM_DAYS", &s.retention_room_days, 1, 3650)?,
            mail_body: days("SALON_RETENTION_MAIL_DAYS", &s.retention_mail_days, 1, 3650)?,
            registration: days(
                "SALON_RETENTION_REGISTRATION_DAYS",
                &s.retention_registration_days,
                1,
                365,
            )?,
            inbound: days(
                "SALON_RETENTION_INBOUND_DAYS",
                &s.retention_inbound_days,
                1,
                3650,
            )?,
            audit: days(
                "SALON_RETENTION_AUDIT_DAYS",
                &s.retention_audit_days,
                30,
                3650,
            )?,
        };
        let contact = one_line("SALON_PRIVACY_CONTACT", optional(&s.privacy_contact))?
            .unwrap_or_else(|| sender.to_string());
        let statements = Statements {
            controller: one_line("SALON_CONTROLLER", optional(&s.controller))?,
            accessibility_contact: one_line(
                "SALON_ACCESSIBILITY_CONTACT",
                optional(&s.accessibility_contact),
            )?
            .unwrap_or_else(|| contact.clone()),
            contact,
            dpo: one_line("SALON_DPO", optional(&s.dpo))?,
            processors: one_line("SALON_PROCESSORS", optional(&s.processors))?
                .map(|p| {
                    p.split(';')
                        .map(str::trim)
                        .filter(|x| !x.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
        };
        Ok(PrivacyConfig {
            retention,
            statements,
        })
    }
}
