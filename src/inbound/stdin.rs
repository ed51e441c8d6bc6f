//! One inbound mail on standard input (`salon mail ingest`, for an MTA's pipe such as
//! Postfix's `"|salon mail ingest"`): read it, take it in, and say how it went in the exit
//! code the MTA understands.

use tokio::io::AsyncReadExt;

use crate::config::Config;
use crate::usecases::{self, inbound::Source};

/// EX_TEMPFAIL (sysexits.h): the MTA keeps the message and delivers it again later.
pub const EX_TEMPFAIL: u8 = 75;

/// Why the mail was not taken in: the exit code for the MTA, and a line for its log.
#[derive(Debug)]
pub struct NotTaken {
    pub exit: u8,
    pub reason: String,
}

/// Read one message from standard input and take it in; what was done with it (for the log).
pub async fn ingest(config: Config) -> Result<String, NotTaken> {
    let tempfail = |reason: String| NotTaken {
        exit: EX_TEMPFAIL,
        reason,
    };
    let mut raw = Vec::new();
    // One byte over the limit is enough to know the message is too large.
    let limit = (crate::mail::inbound::MAX_BYTES + 1) as u64;
    tokio::io::stdin()
        .take(limit)
        .read_to_end(&mut raw)
        .await
        .map_err(|e| tempfail(format!("reading stdin: {e}")))?;
    let app = crate::build(config)
        .await
        .map_err(|e| tempfail(format!("{e:#}")))?;
    match usecases::inbound::ingest(&app, &raw, Source::Pipe).await {
        Ok(handled) => Ok(format!("{handled:?}")),
        Err(usecases::Failure::Db(e)) => Err(tempfail(format!("database: {e}"))),
        Err(e) => Err(NotTaken {
            exit: 1,
            reason: format!("{e}"),
        }),
    }
}
