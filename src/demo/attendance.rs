//! The demo's attendance: two of those with a seat in the salon running now have been in its
//! room, so the participants page and the check-in show who is here. (The kickoff is a week
//! ahead in the demo: its check-in is there to try, with no one checked in yet.)

use crate::domain::Email;
use crate::ids::SalonId;
use crate::store::attendance::{self, How};
use crate::store::{Db, people};

const IN_THE_ROOM: &[&str] = &[
    "lars.brandt@kb.example",
    "ingrid.solberg@bibliotek24.example",
];

pub async fn load(db: &Db, running: SalonId) -> anyhow::Result<()> {
    for email in IN_THE_ROOM {
        let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
        if let Some(p) = people::by_email(db, &email).await? {
            attendance::mark(db, running, p.id, How::Room, None).await?;
        }
    }
    Ok(())
}
