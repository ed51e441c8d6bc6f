//! The reply mailbox's settings (`SALON_IMAP_URL` and friends), read by `config` and used by
//! `mail::imap` (reading) and `inbound::imap` (the loop that takes the mail in).

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// imaps:// (TLS from the first byte).
    Implicit,
    /// imap://...?tls=starttls
    StartTls,
    /// imap://...?tls=none (loopback only: a password in clear over the network is refused).
    None,
}

#[derive(Clone)]
pub struct ImapConfig {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    pub user: String,
    pub password: String,
    pub mailbox: String,
    pub oauth2_token_cmd: Option<String>,
    pub poll: Duration,
    /// Certificates (PEM) trusted besides the public roots: a private CA's.
    pub ca_file: Option<std::path::PathBuf>,
}

/// Without the password, so a logged configuration never shows it.
impl std::fmt::Debug for ImapConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .field("mailbox", &self.mailbox)
            .field("oauth2", &self.oauth2_token_cmd.is_some())
            .finish_non_exhaustive()
    }
}

impl ImapConfig {
    /// `imaps://USER:PASS@HOST[:993]/MAILBOX` or `imap://USER:PASS@HOST[:143]/MAILBOX?tls=starttls|none`.
    pub fn parse(
        raw: &str,
        oauth2_token_cmd: Option<String>,
        poll: Duration,
    ) -> Result<ImapConfig, String> {
        let url = url::Url::parse(raw).map_err(|e| format!("not a URL ({e})"))?;
        let tls_param = url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.to_string());
        let (tls, default_port) = match (url.scheme(), tls_param.as_deref()) {
            ("imaps", None | Some("implicit")) => (Tls::Implicit, 993),
            ("imap", Some("starttls") | None) => (Tls::StartTls, 143),
            ("imap", Some("none")) => (Tls::None, 143),
            (scheme, tls) => {
                return Err(format!(
                    "'{scheme}://' with tls={} is not imaps:// or imap://?tls=starttls|none",
                    tls.unwrap_or("")
                ));
            }
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or("no host")?
            .to_string();
        if tls == Tls::None && !matches!(host.as_str(), "127.0.0.1" | "localhost" | "::1" | "[::1]")
        {
            return Err("tls=none is allowed on loopback only".into());
        }
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .to_string()
        };
        let user = decode(url.username());
        if user.is_empty() {
            return Err("no user".into());
        }
        let password = decode(url.password().unwrap_or(""));
        if password.is_empty() && oauth2_token_cmd.is_none() {
            return Err("no password (or SALON_IMAP_OAUTH2_TOKEN_CMD)".into());
        }
        let mailbox = decode(url.path().trim_start_matches('/'));
        let mailbox = if mailbox.is_empty() {
            "INBOX".to_string()
        } else {
            mailbox
        };
        Ok(ImapConfig {
            host,
            port: url.port().unwrap_or(default_port),
            tls,
            user,
            password,
            mailbox,
            oauth2_token_cmd,
            poll,
            ca_file: None,
        })
    }
}
