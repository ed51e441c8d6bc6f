//! Reading the reply mailbox over IMAP (`SALON_IMAP_URL`): connect and sign in, look at every
//! message in the mailbox (sizes first, then one body at a time) and hand it to a [`Taker`],
//! then move the ones taken to `Processed` (one that could not be taken stays for the next
//! look), so nothing is read twice or lost; wait for new mail with the server's IDLE where it
//! is offered, otherwise for the poll interval. What a message *does* is not this module's: the
//! loop that drives it (leases, retries) and takes the mail in is `inbound::imap`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_imap::Session;
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

use crate::config::imap::{ImapConfig, Tls};

/// Where processed messages go.
pub const PROCESSED: &str = "Processed";
/// How long one IDLE lasts before the caller looks again (and renews what it holds). Short,
/// because a message that arrives between a look and the start of IDLE may be announced while
/// the IDLE command is being set up, where the client library does not pass it on: such a
/// message waits at most this long.
const IDLE_FOR: Duration = Duration::from_secs(10);

/// How many messages are looked at (their sizes), and then moved, with one command each.
const BATCH: usize = 50;

/// What takes in the mailbox's messages.
pub trait Taker {
    /// Take in one message (its raw bytes). `Err`: it stays in the mailbox, and the look stops.
    fn take(&mut self, raw: &[u8]) -> impl Future<Output = anyhow::Result<()>> + Send;

    /// A message larger than `mail::inbound::MAX_BYTES`, which is not read: recorded as such
    /// (it is then moved aside unread).
    fn too_large(&mut self, size: usize) -> impl Future<Output = anyhow::Result<()>> + Send;
}

pub(crate) type ImapSession = Session<Stream>;

/// The reply mailbox, open and selected.
pub struct Mailbox {
    session: ImapSession,
    idle: bool,
    moves: bool,
}

impl Mailbox {
    /// Connect, sign in, make sure `Processed` exists, and select the configured mailbox.
    pub async fn open(config: &ImapConfig) -> anyhow::Result<Mailbox> {
        let mut session = connect(config).await?;
        // The folder may exist already; that is fine.
        let _ = session.create(PROCESSED).await;
        let capabilities = session.capabilities().await?;
        let (idle, moves) = (capabilities.has_str("IDLE"), capabilities.has_str("MOVE"));
        session.select(&config.mailbox).await?;
        Ok(Mailbox {
            session,
            idle,
            moves,
        })
    }

    /// Wait for new mail (IDLE, at most [`IDLE_FOR`], or `poll`). None: the server is
    /// stopping (the session has been ended).
    pub async fn wait(
        self,
        poll: Duration,
        shutdown: &CancellationToken,
    ) -> anyhow::Result<Option<Mailbox>> {
        let Mailbox {
            mut session,
            idle,
            moves,
        } = self;
        if idle {
            let mut handle = session.idle();
            handle.init().await?;
            let (wait, _stop) = handle.wait_with_timeout(IDLE_FOR);
            tokio::select! {
                r = wait => { r?; }
                _ = shutdown.cancelled() => return Ok(None),
            }
            session = handle.done().await?;
        } else {
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                _ = shutdown.cancelled() => return Ok(None),
            }
            session.noop().await?;
        }
        if shutdown.is_cancelled() {
            let _ = session.logout().await;
            return Ok(None);
        }
        Ok(Some(Mailbox {
            session,
            idle,
            moves,
        }))
    }

    /// Take in every message in the mailbox, oldest first, a batch at a time, and move the ones
    /// taken. A failure moves the ones taken before it and stops (the rest are looked at again).
    ///
    /// Only one message is held in memory at a time, and never one larger than
    /// `inbound::MAX_BYTES`: the batch's sizes (RFC822.SIZE) are asked for first; a message
    /// too large is recorded as such and moved aside unread, the others are fetched one by one.
    pub async fn take_all(&mut self, taker: &mut impl Taker) -> anyhow::Result<()> {
        let session = &mut self.session;
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
                    taker.too_large(size as usize).await
                } else {
                    let Some(message) = fetch(session, uid).await? else {
                        // Gone meanwhile (another client moved it): nothing to take or move.
                        continue;
                    };
                    taker.take(message.body().unwrap_or_default()).await
                };
                // A database failure leaves the message where it is: the next look takes it.
                match taken {
                    Ok(()) => done.push(uid.to_string()),
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                }
            }
            if !done.is_empty() {
                move_aside(session, &done.join(","), self.moves).await?;
            }
            if let Some(e) = failure {
                return Err(e);
            }
        }
        Ok(())
    }
}

/// One message as fetched (its body not copied out of the response), unless it is gone.
async fn fetch(
    session: &mut ImapSession,
    uid: u32,
) -> anyhow::Result<Option<async_imap::types::Fetch>> {
    let fetched = session
        .uid_fetch(uid.to_string(), "BODY.PEEK[]")
        .await?
        .try_collect::<Vec<_>>()
        .await?;
    Ok(fetched
        .into_iter()
        .find(|f| f.uid == Some(uid) && f.body().is_some()))
}

/// Move the messages `uids` (a UID set) to `Processed`: with MOVE where the server has it,
/// otherwise copy, mark deleted and expunge.
async fn move_aside(session: &mut ImapSession, uids: &str, moves: bool) -> anyhow::Result<()> {
    if moves {
        session.uid_mv(uids, PROCESSED).await?;
    } else {
        session.uid_copy(uids, PROCESSED).await?;
        let _: Vec<_> = session
            .uid_store(uids, "+FLAGS.SILENT (\\Deleted)")
            .await?
            .try_collect()
            .await?;
        let _: Vec<_> = session.expunge().await?.try_collect().await?;
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
mod tests;
