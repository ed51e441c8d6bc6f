//! Leases: one instance at a time does a job (reading the IMAP mailbox). The holder renews it
//! while it works; when it stops renewing (a crash), another instance takes over after it runs out.

use std::time::Duration;

use super::{Conn, execute};
use crate::domain::time::now;

/// Take or renew the lease `name` for `holder` for `ttl`; false when another holder has it.
pub async fn take(
    c: impl Into<Conn<'_>>,
    name: &str,
    holder: &str,
    ttl: Duration,
) -> Result<bool, sqlx::Error> {
    let at = now();
    let until = at + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::seconds(60));
    let n = execute!(
        c,
        "insert into lease (name, holder, expires_at) values ($1, $2, $3)
         on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
         where lease.holder = excluded.holder or lease.expires_at < $4",
        name,
        holder,
        until,
        at
    )?;
    Ok(n == 1)
}

/// Give the lease up (at shutdown), so another instance need not wait for it to run out.
pub async fn release(c: impl Into<Conn<'_>>, name: &str, holder: &str) -> Result<(), sqlx::Error> {
    execute!(
        c,
        "delete from lease where name = $1 and holder = $2",
        name,
        holder
    )?;
    Ok(())
}
