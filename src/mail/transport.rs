//! Where mail goes: a real SMTP server (lettre, pooled connections) or, by default, .eml files
//! in a directory that admins and developers can open.

use std::path::PathBuf;

use lettre::address::Envelope;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::smtp_pool::{NodelayPool, PoolError};
use crate::config::{MailConfig, MailTransportConfig};
use crate::ids::OutboxId;

pub enum Transport {
    /// `smtp://` (plain or STARTTLS): our TCP_NODELAY pool around lettre's connection.
    Nodelay(NodelayPool),
    /// `smtps://` (implicit TLS): lettre's pooled transport.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// Why a send did not succeed, as far as retrying is concerned.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// 4xx, timeouts, connection refused, I/O: try again later.
    #[error("{0}")]
    Temporary(String),
    /// 5xx or a malformed address: retrying cannot help.
    #[error("{0}")]
    Permanent(String),
}

impl Transport {
    pub fn from_config(config: &MailConfig) -> anyhow::Result<Transport> {
        Ok(match &config.transport {
            MailTransportConfig::Smtp { url }
                if NodelayPool::from_url(url, config.smtp_timeout).is_some() =>
            {
                Transport::Nodelay(
                    NodelayPool::from_url(url, config.smtp_timeout)
                        .ok_or_else(|| anyhow::anyhow!("SMTP URL"))?,
                )
            }
            MailTransportConfig::Smtp { url } => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
                    .timeout(Some(config.smtp_timeout))
                    .build();
                Transport::Smtp(transport)
            }
            MailTransportConfig::Files { dir } => Transport::Files(dir.clone()),
        })
    }

    pub fn describe(&self) -> String {
        match self {
            Transport::Nodelay(_) | Transport::Smtp(_) => "SMTP".to_string(),
            Transport::Files(dir) => format!("files in {}", dir.display()),
        }
    }

    /// Send the stored bytes of outbox row `id` to `recipient`.
    pub async fn send(
        &self,
        id: OutboxId,
        kind: &str,
        from: &Address,
        recipient: &str,
        body: &[u8],
    ) -> Result<(), SendError> {
        let to: Address = recipient.parse().map_err(|e| {
            SendError::Permanent(format!("invalid recipient address '{recipient}': {e}"))
        })?;
        let envelope = Envelope::new(Some(from.clone()), vec![to])
            .map_err(|e| SendError::Permanent(format!("invalid envelope: {e}")))?;
        match self {
            Transport::Nodelay(pool) => match pool.send(&envelope, body).await {
                Ok(()) => Ok(()),
                Err(PoolError::Permanent(e)) => Err(SendError::Permanent(e)),
                Err(PoolError::Temporary(e)) => Err(SendError::Temporary(e)),
            },
            Transport::Smtp(smtp) => match smtp.send_raw(&envelope, body).await {
                Ok(_) => Ok(()),
                Err(e) if e.is_permanent() => Err(SendError::Permanent(smtp_error_text(&e))),
                Err(e) => Err(SendError::Temporary(smtp_error_text(&e))),
            },
            Transport::Files(dir) => {
                write_file(dir, id, kind, recipient, body)
                    .await
                    .map_err(|e| {
                        SendError::Temporary(format!("could not write to {}: {e}", dir.display()))
                    })
            }
        }
    }
}

/// lettre's Display omits the cause chain ("Connection refused", the server's reply): keep it.
fn smtp_error_text(e: &lettre::transport::smtp::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Write `NNNNNN-kind-recipient.eml`, atomically (temp file + rename), so a reader never sees
/// half a message and a retry after a crash simply overwrites the same file.
async fn write_file(
    dir: &std::path::Path,
    id: OutboxId,
    kind: &str,
    recipient: &str,
    body: &[u8],
) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let safe: String = recipient
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = format!("{:06}-{kind}-{safe}.eml", id.0);
    let tmp = dir.join(format!(".{name}.tmp"));
    tokio::fs::write(&tmp, body).await?;
    tokio::fs::rename(&tmp, dir.join(name)).await
}
