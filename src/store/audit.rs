//! The audit trail (`audit_event`): written inside the transaction of the action it records,
//! read by admins at `/admin/audit`, kept `SALON_RETENTION_AUDIT_DAYS`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Conn, execute, rows};
use crate::domain::audit::Kind;
use crate::domain::time::now;
use crate::ids::{PersonId, SalonId};

/// Someone named in a row: their id and their name as it was.
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    pub id: PersonId,
    pub name: &'a str,
}

impl<'a> From<&'a crate::store::people::Person> for Named<'a> {
    fn from(p: &'a crate::store::people::Person) -> Self {
        Named {
            id: p.id,
            name: &p.name,
        }
    }
}

/// One action to record. `detail` never holds an e-mail address or a secret.
pub struct Event<'a> {
    pub actor: Named<'a>,
    pub kind: Kind,
    pub subject: Option<Named<'a>>,
    pub salon: Option<SalonId>,
    pub detail: &'a str,
}

impl<'a> Event<'a> {
    /// An action on no person in particular (an item, a group): who did it, what, where.
    pub fn by(
        actor: &'a crate::store::people::Person,
        kind: Kind,
        salon: Option<SalonId>,
        detail: &'a str,
    ) -> Event<'a> {
        Event {
            actor: actor.into(),
            kind,
            subject: None,
            salon,
            detail,
        }
    }
}

pub async fn record(c: impl Into<Conn<'_>>, e: &Event<'_>) -> Result<(), sqlx::Error> {
    execute!(
        c,
        "insert into audit_event (at, actor_id, actor_name, kind, subject_person_id, subject_name, salon_id, detail)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        now(),
        e.actor.id,
        e.actor.name,
        e.kind.code(),
        e.subject.map(|s| s.id),
        e.subject.map(|s| s.name).unwrap_or(""),
        e.salon,
        e.detail
    )?;
    Ok(())
}

/// A recorded action as listed.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Listed {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<PersonId>,
    pub actor_name: String,
    pub kind: String,
    pub subject_person_id: Option<PersonId>,
    pub subject_name: String,
    pub salon_id: Option<SalonId>,
    pub detail: String,
}

/// Which rows to list: by a person (as actor or subject) and by kind; newest first.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    pub person: Option<PersonId>,
    pub kind: Option<Kind>,
}

pub async fn list(
    c: impl Into<Conn<'_>>,
    f: Filter,
    limit: i64,
) -> Result<Vec<Listed>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        "select id, at, actor_id, actor_name, kind, subject_person_id, subject_name, salon_id, detail from audit_event
         where ($1 is null or actor_id = $1 or subject_person_id = $1) and ($2 is null or kind = $2)
         order by at desc, id desc limit $3",
        f.person,
        f.kind.map(Kind::code),
        limit
    )
}

/// Rows about a person (their export shows what was done with their data).
pub async fn about(c: impl Into<Conn<'_>>, person: PersonId) -> Result<Vec<Listed>, sqlx::Error> {
    list(
        c,
        Filter {
            person: Some(person),
            kind: None,
        },
        10_000,
    )
    .await
}

/// A deleted account's name leaves the trail; the rows stay, naming only the old id.
pub async fn forget_name(c: impl Into<Conn<'_>>, person: PersonId) -> Result<u64, sqlx::Error> {
    execute!(
        c,
        "update audit_event set
             actor_name = case when actor_id = $1 then '' else actor_name end,
             subject_name = case when subject_person_id = $1 then '' else subject_name end
         where actor_id = $1 or subject_person_id = $1",
        person
    )
}

/// Remove rows older than `before` (the retention job).
pub async fn purge_before(
    c: impl Into<Conn<'_>>,
    before: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    execute!(c, "delete from audit_event where at < $1", before)
}
