//! Mail caused by RSVP changes, queued inside the caller's transaction.

use super::compose;
use crate::config::Config;
use crate::store::people;
use crate::store::salons::Salon;
use crate::store::{Tx, on_tx};

/// Tell each promoted person they now have a seat.
pub async fn promoted(tx: &mut Tx, config: &Config, salon: &Salon, person_ids: &[i64]) -> anyhow::Result<()> {
    for id in person_ids {
        let person: Option<people::Person> =
            on_tx!(tx, |c| sqlx::query_as("select * from person where id = $1").bind(id).fetch_optional(c).await)?;
        let Some(person) = person else { continue };
        let mail = compose::promoted(config, &person, salon)?;
        super::queue(tx, &mail).await?;
    }
    Ok(())
}
