//! SMTP connections with TCP_NODELAY, pooled.
//!
//! lettre 0.11.23 (the newest on crates.io here) leaves Nagle's algorithm on: it writes a mail's
//! body and then the five-byte `\r\n.\r\n` terminator as a second write, which Nagle holds back
//! until the server ACKs the body, and servers delay that ACK by 40 ms. Every mail then costs
//! ~40 ms per connection (measured: 171 mails/s with 8 in flight; see BENCHMARKS.md). Upstream
//! fixed it (lettre PR #1159) after that release. Until it ships, we open the TCP connection
//! ourselves with `set_nodelay(true)` and hand it to lettre's connection type, which still does
//! all of SMTP: EHLO, STARTTLS, AUTH, the envelope and dot-stuffing.
//!
//! Used for `smtp://` URLs (plain or STARTTLS); `smtps://` (implicit TLS) keeps lettre's own
//! transport, since its TLS handshake must precede the greeting that lettre reads on connect.

use std::sync::Mutex;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;

/// Idle connections kept for reuse.
const MAX_IDLE: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StartTls {
    Never,
    IfOffered,
    Required,
}

pub struct NodelayPool {
    host: String,
    port: u16,
    starttls: StartTls,
    credentials: Option<Credentials>,
    hello: ClientId,
    timeout: Duration,
    // A std Mutex: held only to push or pop a connection, never across an await.
    idle: Mutex<Vec<AsyncSmtpConnection>>,
}

/// The outcome of one send, classified like lettre's errors.
pub enum PoolError {
    Permanent(String),
    Temporary(String),
}

impl NodelayPool {
    /// For `smtp://[user:pass@]host[:port][?tls=required|opportunistic][&ehlo=name]`; `None` for
    /// other schemes.
    pub fn from_url(raw: &str, timeout: Duration) -> Option<NodelayPool> {
        let url = url::Url::parse(raw).ok()?;
        if url.scheme() != "smtp" {
            return None;
        }
        let host = url.host_str()?.to_string();
        let port = url.port().unwrap_or(25);
        let mut starttls = StartTls::Never;
        let mut hello = ClientId::default();
        for (k, v) in url.query_pairs() {
            match (k.as_ref(), v.as_ref()) {
                ("tls", "required") => starttls = StartTls::Required,
                ("tls", "opportunistic") => starttls = StartTls::IfOffered,
                ("ehlo", name) => hello = ClientId::Domain(name.to_string()),
                _ => {}
            }
        }
        let decode = |s: &str| percent_decode(s);
        let credentials = (!url.username().is_empty()).then(|| {
            Credentials::new(decode(url.username()), decode(url.password().unwrap_or("")))
        });
        Some(NodelayPool {
            host,
            port,
            starttls,
            credentials,
            hello,
            timeout,
            idle: Mutex::new(Vec::new()),
        })
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, PoolError> {
        let tcp = tokio::net::TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| {
                PoolError::Temporary(format!(
                    "could not connect to {}:{}: {e}",
                    self.host, self.port
                ))
            })?;
        tcp.set_nodelay(true)
            .map_err(|e| PoolError::Temporary(format!("set_nodelay: {e}")))?;
        let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello)
            .await
            .map_err(classify)?;
        let offered = conn
            .server_info()
            .supports_feature(lettre::transport::smtp::extension::Extension::StartTls);
        if self.starttls == StartTls::Required || (self.starttls == StartTls::IfOffered && offered)
        {
            let tls = TlsParameters::new(self.host.clone())
                .map_err(|e| PoolError::Permanent(format!("TLS set-up: {e}")))?;
            conn.starttls(tls, &self.hello).await.map_err(classify)?;
        }
        if let Some(c) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, c).await.map_err(classify)?;
        }
        Ok(conn)
    }

    pub async fn send(&self, envelope: &Envelope, body: &[u8]) -> Result<(), PoolError> {
        let reused = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut conn = match reused {
            Some(c) => c,
            None => tokio::time::timeout(self.timeout, self.connect())
                .await
                .map_err(|_| {
                    PoolError::Temporary(format!(
                        "timed out connecting to {}:{}",
                        self.host, self.port
                    ))
                })??,
        };
        match tokio::time::timeout(self.timeout, conn.send(envelope, body)).await {
            Ok(Ok(_)) => {
                let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
                if idle.len() < MAX_IDLE && !conn.has_broken() {
                    idle.push(conn);
                }
                Ok(())
            }
            // A pooled connection the server closed meanwhile: try once on a fresh one.
            Ok(Err(e)) if reused_connection_died(&e) => {
                let mut fresh = tokio::time::timeout(self.timeout, self.connect())
                    .await
                    .map_err(|_| PoolError::Temporary("timed out reconnecting".into()))??;
                match tokio::time::timeout(self.timeout, fresh.send(envelope, body)).await {
                    Ok(Ok(_)) => {
                        self.idle
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(fresh);
                        Ok(())
                    }
                    Ok(Err(e)) => Err(classify(e)),
                    Err(_) => Err(PoolError::Temporary("timed out sending".into())),
                }
            }
            Ok(Err(e)) => Err(classify(e)),
            Err(_) => Err(PoolError::Temporary(format!(
                "timed out sending to {}:{}",
                self.host, self.port
            ))),
        }
    }
}

fn reused_connection_died(e: &lettre::transport::smtp::Error) -> bool {
    !e.is_permanent() && !e.is_transient() && !e.is_timeout()
}

fn classify(e: lettre::transport::smtp::Error) -> PoolError {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    if e.is_permanent() {
        PoolError::Permanent(text)
    } else {
        PoolError::Temporary(text)
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}
