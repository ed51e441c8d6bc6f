//! The agenda item a salon is at, as its organiser moved it from the room (no row: the clock
//! decides, from the items' start times).

use super::{Conn, execute, values};
use crate::domain::time::now;
use crate::ids::SalonId;

/// The item (its position in the agenda, from 0) the organiser moved the salon to, if any.
pub async fn get(c: impl Into<Conn<'_>>, salon: SalonId) -> Result<Option<i64>, sqlx::Error> {
    values!(
        c,
        fetch_optional,
        "select position from agenda_now where salon_id = $1",
        salon
    )
}

/// Move the salon to item `position`, or back to the clock (None).
pub async fn set(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    position: Option<i64>,
) -> Result<(), sqlx::Error> {
    match position {
        Some(p) => execute!(
            c,
            "insert into agenda_now (salon_id, position, moved_at) values ($1, $2, $3)
             on conflict (salon_id) do update set position = excluded.position, moved_at = excluded.moved_at",
            salon,
            p,
            now()
        )?,
        None => execute!(c, "delete from agenda_now where salon_id = $1", salon)?,
    };
    Ok(())
}
