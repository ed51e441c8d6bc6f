//! Inbound mail taken in (`inbound_message`, listed on `/admin/inbox`), and what bounces mark:
//! the outbox row of the mail that bounced and the address that failed.

use chrono::{DateTime, Utc};

use super::{Conn, execute, rows, values};
use crate::domain::time::now;
use crate::ids::{PersonId, SalonId};

/// One message taken in and what was done with it.
pub struct Taken<'a> {
    pub message_id: Option<&'a str>,
    pub source: &'a str,
    pub sender: &'a str,
    pub subject: &'a str,
    /// applied, ignored or failed.
    pub outcome: &'a str,
    pub detail: &'a str,
    pub salon: Option<SalonId>,
    pub person: Option<PersonId>,
    pub comment: &'a str,
}

/// Was a message with this Message-ID taken in before?
pub async fn seen(c: impl Into<Conn<'_>>, message_id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = values!(
        c,
        fetch_one,
        "select count(*) from inbound_message where message_id = $1",
        message_id
    )?;
    Ok(n > 0)
}

/// Record a message; false when its Message-ID was taken in already (nothing recorded).
pub async fn record(c: impl Into<Conn<'_>>, t: &Taken<'_>) -> Result<bool, sqlx::Error> {
    let n = execute!(
        c,
        "insert into inbound_message (message_id, source, sender, subject, outcome, detail, salon_id, person_id, comment, received_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict do nothing",
        t.message_id,
        t.source,
        t.sender,
        t.subject,
        t.outcome,
        t.detail,
        t.salon,
        t.person,
        t.comment,
        now()
    )?;
    Ok(n == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    pub source: String,
    pub sender: String,
    pub subject: String,
    pub outcome: String,
    pub detail: String,
    pub salon_id: Option<SalonId>,
    pub person: Option<String>,
    pub comment: String,
    pub received_at: DateTime<Utc>,
}

/// The latest messages taken in, newest first.
pub async fn recent(c: impl Into<Conn<'_>>, limit: i64) -> Result<Vec<Listed>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select m.source, m.sender, m.subject, m.outcome, m.detail, m.salon_id, p.name as person, m.comment, m.received_at
         from inbound_message m left join person p on p.id = m.person_id order by m.received_at desc, m.id desc limit $1",
        limit
    )
}

/// What came back by mail about a salon, per person: comments, proposed times, late answers
/// (for the participants page), newest first.
pub async fn notes_for_salon(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
) -> Result<Vec<(PersonId, String, String)>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select person_id, detail, comment from inbound_message
         where salon_id = $1 and person_id is not null and outcome = 'applied' and (comment <> '' or detail like 'note:%')
         order by received_at desc, id desc",
        salon
    )
}

/// A permanent bounce of the mails with these Message-IDs (as written, with angle brackets):
/// the outbox rows are marked bounced and their recipients' addresses failing. Returns the
/// recipients marked.
pub async fn bounced(
    c: impl Into<Conn<'_>>,
    message_ids: &[String],
    status: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let mut conn: Conn<'_> = c.into();
    let mut recipients = Vec::new();
    for id in message_ids {
        let recipient: Option<String> = values!(
            conn.reborrow(),
            fetch_optional,
            "update outbox set bounced_at = coalesce(bounced_at, $1), bounce = coalesce(bounce, $2) where message_id = $3 returning recipient",
            now(),
            status,
            id
        )?;
        if let Some(r) = recipient {
            execute!(
                conn.reborrow(),
                "update person set mail_failing_at = $1 where lower(email) = lower($2)",
                now(),
                &r
            )?;
            recipients.push(r);
        }
    }
    Ok(recipients)
}

/// Which of these Message-IDs are mails Salon sent.
pub async fn known_ids(
    c: impl Into<Conn<'_>>,
    message_ids: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    let mut conn: Conn<'_> = c.into();
    let mut known = Vec::new();
    for id in message_ids {
        let n: i64 = values!(
            conn.reborrow(),
            fetch_one,
            "select count(*) from outbox where message_id = $1",
            id
        )?;
        if n > 0 {
            known.push(id.clone());
        }
    }
    Ok(known)
}
