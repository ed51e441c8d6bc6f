//! Reading the reply mailbox over IMAP (`SALON_IMAP_URL`): every message in the mailbox is
//! taken in through `usecases::inbound` and then moved to `Processed` (or, when the ingest path
//! could not be run on it, left where it is for the next look), so nothing is read twice or
//! lost. The server's IDLE tells of new mail at once where it is offered; otherwise the mailbox
//! is looked at every `SALON_IMAP_POLL_SECS`. With several instances, one reads at a time: a
//! lease row in the database, renewed while it reads.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_imap::Session;
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

use crate::app::SharedApp;
use crate::store::leases;
use crate::usecases::inbound::{self, Source};

/// Where processed messages go.
pub const PROCESSED: &str = "Processed";
/// The lease's name, and how long it lasts without renewal.
const LEASE: &str = "imap";
const LEASE_TTL: Duration = Duration::from_secs(90);
/// How long one IDLE lasts before the lease is renewed and the mailbox looked at again. Short,
/// because a message that arrives between a look and the start of IDLE may be announced while
/// the IDLE command is being set up, where the client library does not pass it on: such a
/// message waits at most this long.
const IDLE_FOR: Duration = Duration::from_secs(10);

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

/// Read the mailbox until shutdown; a failure is logged and retried with back-off.
pub fn start(
    app: SharedApp,
    config: ImapConfig,
    shutdown: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let holder = app.hub.instance().to_string();
        let mut backoff = Duration::from_secs(1);
        while !shutdown.is_cancelled() {
            let held = match leases::take(&app.db, LEASE, &holder, LEASE_TTL).await {
                Ok(h) => h,
                Err(e) => {
                    tracing::warn!(error = %e, "imap lease");
                    false
                }
            };
            if !held {
                // Another instance reads; look again when its lease could have run out.
                tokio::select! { _ = tokio::time::sleep(LEASE_TTL / 3) => {}, _ = shutdown.cancelled() => break }
                continue;
            }
            match read_until_shutdown(&app, &config, &holder, &shutdown).await {
                Ok(()) => backoff = Duration::from_secs(1),
                Err(e) => {
                    metrics::counter!("salon_background_failures_total", "task" => "imap")
                        .increment(1);
                    tracing::warn!(error = %e, retry_in = ?backoff, "imap mailbox");
                    tokio::select! { _ = tokio::time::sleep(backoff) => {}, _ = shutdown.cancelled() => break }
                    backoff = (backoff * 2).min(Duration::from_secs(300));
                }
            }
        }
        let _ = leases::release(&app.db, LEASE, &holder).await;
    })
}

type ImapSession = Session<Stream>;

async fn read_until_shutdown(
    app: &SharedApp,
    config: &ImapConfig,
    holder: &str,
    shutdown: &CancellationToken,
) -> anyhow::Result<()> {
    let mut session = connect(config).await?;
    // The folder may exist already; that is fine.
    let _ = session.create(PROCESSED).await;
    let capabilities = session.capabilities().await?;
    let (idle, moves) = (capabilities.has_str("IDLE"), capabilities.has_str("MOVE"));
    session.select(&config.mailbox).await?;
    loop {
        take_all(app, &mut session, moves).await?;
        if !leases::take(&app.db, LEASE, holder, LEASE_TTL).await? {
            return Ok(()); // lost the lease (this instance was too slow): let the other read
        }
        if idle {
            let mut handle = session.idle();
            handle.init().await?;
            let (wait, _stop) = handle.wait_with_timeout(IDLE_FOR);
            tokio::select! {
                r = wait => { r?; }
                _ = shutdown.cancelled() => return Ok(()),
            }
            session = handle.done().await?;
        } else {
            tokio::select! {
                _ = tokio::time::sleep(config.poll) => {}
                _ = shutdown.cancelled() => return Ok(()),
            }
            session.noop().await?;
        }
        if shutdown.is_cancelled() {
            let _ = session.logout().await;
            return Ok(());
        }
    }
}

/// How many messages are looked at (their sizes), and then moved, with one command each.
const BATCH: usize = 50;

/// Take in every message in the selected mailbox, oldest first, a batch at a time, and move
/// the ones handled. A failure moves the ones handled before it and stops (they are retried).
///
/// Only one message is held in memory at a time, and never one larger than
/// `inbound::MAX_BYTES`: the batch's sizes (RFC822.SIZE) are asked for first; a message too
/// large is recorded as such and moved aside unread, the others are fetched one by one.
async fn take_all(app: &SharedApp, session: &mut ImapSession, moves: bool) -> anyhow::Result<()> {
    let mut uids: Vec<u32> = session.uid_search("ALL").await?.into_iter().collect();
    uids.sort_unstable();
    for batch in uids.chunks(BATCH) {
        let set = batch
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let mut sizes: Vec<(u32, u32)> = session
            .uid_fetch(&set, "RFC822.SIZE")
            .await?
            .try_collect::<Vec<_>>()
            .await?
            .iter()
            .filter_map(|f| Some((f.uid?, f.size?)))
            .collect();
        sizes.sort_by_key(|(uid, _)| *uid);
        let mut done = Vec::with_capacity(sizes.len());
        let mut failure = None;
        for (uid, size) in sizes {
            let taken = if size as usize > crate::mail::inbound::MAX_BYTES {
                inbound::too_large(app, size as usize, Source::Imap).await
            } else {
                let fetched = session
                    .uid_fetch(uid.to_string(), "BODY.PEEK[]")
                    .await?
                    .try_collect::<Vec<_>>()
                    .await?;
                let Some(raw) = fetched
                    .iter()
                    .find(|f| f.uid == Some(uid))
                    .and_then(|f| f.body())
                else {
                    // Gone meanwhile (another client moved it): nothing to take in or move.
                    continue;
                };
                inbound::ingest(app, raw, Source::Imap).await.map(|_| ())
            };
            // A database failure leaves the message where it is: the next look takes it again.
            match taken {
                Ok(()) => done.push(uid.to_string()),
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        if !done.is_empty() {
            let handled = done.join(",");
            if moves {
                session.uid_mv(&handled, PROCESSED).await?;
            } else {
                session.uid_copy(&handled, PROCESSED).await?;
                let _: Vec<_> = session
                    .uid_store(&handled, "+FLAGS.SILENT (\\Deleted)")
                    .await?
                    .try_collect()
                    .await?;
                let _: Vec<_> = session.expunge().await?.try_collect().await?;
            }
        }
        if let Some(e) = failure {
            return Err(e.into());
        }
    }
    Ok(())
}

struct XOAuth2 {
    user: String,
    token: String,
}

impl async_imap::Authenticator for &XOAuth2 {
    type Response = String;
    fn process(&mut self, _challenge: &[u8]) -> String {
        format!("user={}\x01auth=Bearer {}\x01\x01", self.user, self.token)
    }
}

/// A fresh OAuth2 token from the configured command's standard output.
async fn oauth2_token(cmd: &str) -> anyhow::Result<String> {
    let out = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .output()
        .await?;
    anyhow::ensure!(
        out.status.success(),
        "SALON_IMAP_OAUTH2_TOKEN_CMD failed: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Connect, secure and sign in.
pub async fn connect(config: &ImapConfig) -> anyhow::Result<ImapSession> {
    let tcp = tokio::time::timeout(
        Duration::from_secs(15),
        TcpStream::connect((config.host.as_str(), config.port)),
    )
    .await??;
    let stream = match config.tls {
        Tls::Implicit => Stream::Tls(Box::new(tls(config, tcp).await?)),
        Tls::None => Stream::Plain(tcp),
        Tls::StartTls => {
            let mut client = async_imap::Client::new(Stream::Plain(tcp));
            client
                .read_response()
                .await?
                .ok_or_else(|| anyhow::anyhow!("no IMAP greeting"))?;
            client.run_command_and_check_ok("STARTTLS", None).await?;
            let Stream::Plain(tcp) = client.into_inner() else {
                anyhow::bail!("STARTTLS on a TLS stream")
            };
            Stream::Tls(Box::new(tls(config, tcp).await?))
        }
    };
    let mut client = async_imap::Client::new(stream);
    if config.tls != Tls::StartTls {
        client
            .read_response()
            .await?
            .ok_or_else(|| anyhow::anyhow!("no IMAP greeting"))?;
    }
    let session = match &config.oauth2_token_cmd {
        Some(cmd) => {
            let auth = XOAuth2 {
                user: config.user.clone(),
                token: oauth2_token(cmd).await?,
            };
            client
                .authenticate("XOAUTH2", &auth)
                .await
                .map_err(|(e, _)| e)?
        }
        None => client
            .login(&config.user, &config.password)
            .await
            .map_err(|(e, _)| e)?,
    };
    Ok(session)
}

async fn tls(
    config: &ImapConfig,
    tcp: TcpStream,
) -> anyhow::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    use tokio_rustls::rustls::pki_types::{CertificateDer, pem::PemObject};
    let mut roots = tokio_rustls::rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = &config.ca_file {
        for cert in CertificateDer::pem_file_iter(path)? {
            roots.add(cert?)?;
        }
    }
    let host = config.host.as_str();
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let tls_config = tokio_rustls::rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = tokio_rustls::rustls::pki_types::ServerName::try_from(host.to_string())?;
    Ok(tokio_rustls::TlsConnector::from(Arc::new(tls_config))
        .connect(name, tcp)
        .await?)
}

/// A plain or TLS connection, one type for the IMAP client.
#[derive(Debug)]
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_not_in_the_debug_output() {
        let c = ImapConfig::parse(
            "imaps://u:hunter2-secret@mail.example/INBOX",
            None,
            Duration::from_secs(30),
        )
        .unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn urls_say_how_to_connect_and_refuse_clear_text_passwords_over_the_network() {
        let c = ImapConfig::parse(
            "imaps://salon%40alliance.example:p%40ss@mail.example/Svar",
            None,
            Duration::from_secs(30),
        )
        .unwrap();
        assert_eq!(
            (
                c.host.as_str(),
                c.port,
                c.tls,
                c.user.as_str(),
                c.password.as_str(),
                c.mailbox.as_str()
            ),
            (
                "mail.example",
                993,
                Tls::Implicit,
                "salon@alliance.example",
                "p@ss",
                "Svar"
            )
        );
        let c = ImapConfig::parse(
            "imap://u:p@mail.example?tls=starttls",
            None,
            Duration::from_secs(30),
        )
        .unwrap();
        assert_eq!(
            (c.port, c.tls, c.mailbox.as_str()),
            (143, Tls::StartTls, "INBOX")
        );
        assert!(
            ImapConfig::parse(
                "imap://u:p@mail.example/INBOX?tls=none",
                None,
                Duration::from_secs(30)
            )
            .is_err()
        );
        assert!(
            ImapConfig::parse(
                "imap://u:p@127.0.0.1:1143/INBOX?tls=none",
                None,
                Duration::from_secs(30)
            )
            .is_ok()
        );
        assert!(
            ImapConfig::parse("imaps://u@mail.example", None, Duration::from_secs(30)).is_err(),
            "no password"
        );
        assert!(
            ImapConfig::parse(
                "imaps://u@mail.example",
                Some("print-token".into()),
                Duration::from_secs(30)
            )
            .is_ok()
        );
        assert!(
            ImapConfig::parse("pop3://u:p@mail.example", None, Duration::from_secs(30)).is_err()
        );
    }
}
