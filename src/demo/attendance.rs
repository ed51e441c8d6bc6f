//! The demo's attendance. The kickoff, two weeks ago, was checked in at the door by the
//! secretariat as people arrived: three of the four who answered came (Jens, who answered
//! "maybe", did not). Two of those with a seat in the salon running now have been in its room.
//! So the participants pages, the check-in and the series' participation per organisation all
//! have something to show.

use chrono::Duration;

use crate::domain::Email;
use crate::ids::SalonId;
use crate::store::attendance::{self, How};
use crate::store::{Db, people, salons};

const AT_THE_DOOR: &[(&str, i64)] = &[
    ("lars.brandt@kb.example", 12),
    ("birgitte.noergaard@cb.example", 20),
    ("ingrid.solberg@bibliotek24.example", 31),
];

const IN_THE_ROOM: &[&str] = &[
    "lars.brandt@kb.example",
    "ingrid.solberg@bibliotek24.example",
];

pub async fn load(db: &Db, kickoff: SalonId, running: SalonId) -> anyhow::Result<()> {
    let secretariat = person(db, super::ORGANISER_EMAIL).await?;
    if let Some(k) = salons::get(db, kickoff).await? {
        // Checked in as they arrived: minutes before the start, when the coffee was on.
        for (email, minutes_early) in AT_THE_DOOR {
            if let Some(p) = person(db, email).await? {
                let at = k.starts_at - Duration::minutes(*minutes_early);
                attendance::mark(db, kickoff, p, How::Door, secretariat, at).await?;
            }
        }
    }
    let now = crate::domain::time::now();
    for email in IN_THE_ROOM {
        if let Some(p) = person(db, email).await? {
            attendance::mark(db, running, p, How::Room, None, now).await?;
        }
    }
    Ok(())
}

async fn person(db: &Db, email: &str) -> anyhow::Result<Option<crate::ids::PersonId>> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(people::by_email(db, &email).await?.map(|p| p.id))
}
