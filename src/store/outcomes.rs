//! Outcomes of salons: note-takers, decisions and actions.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Conn, Drafts, execute, rows, values};
use crate::domain::outcome::Status;
use crate::domain::time::now;
use crate::ids::{
    ActionId, DecisionId, MessageId, OrganisationId, PersonId, RoomId, RoundId, SalonId, SeriesId,
    ThemeId,
};

pub async fn add_note_taker(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    person: PersonId,
) -> Result<(), sqlx::Error> {
    execute!(
        c,
        "insert into note_taker (salon_id, person_id) values ($1, $2) on conflict do nothing",
        salon,
        person
    )?;
    Ok(())
}

pub async fn is_note_taker(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    person: PersonId,
) -> Result<bool, sqlx::Error> {
    let n: i64 = values!(
        c,
        fetch_one,
        "select count(*) from note_taker where salon_id = $1 and person_id = $2",
        salon,
        person
    )?;
    Ok(n > 0)
}

/// The note-takers' names.
pub async fn note_takers(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
) -> Result<Vec<String>, sqlx::Error> {
    values!(
        c,
        fetch_all,
        "select p.name from note_taker n join person p on p.id = n.person_id where n.salon_id = $1 order by p.name",
        salon
    )
}

/// A decision, with the theme or priority round it settles, if any.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Decision {
    pub id: DecisionId,
    pub salon_id: SalonId,
    pub body: String,
    pub theme_id: Option<ThemeId>,
    pub theme: Option<String>,
    pub round_id: Option<RoundId>,
    pub round: Option<String>,
    /// The room message it came from (room, message).
    pub message_room_id: Option<RoomId>,
    pub message_id: Option<MessageId>,
    pub created_at: DateTime<Utc>,
    /// Withdrawn by an organiser or note-taker: kept on record, shown as withdrawn, left out of
    /// the board, the summary and the room.
    pub withdrawn_at: Option<DateTime<Utc>>,
}

const DECISION: &str = "select d.id, d.salon_id, d.body, d.theme_id, t.title as theme, d.round_id, r.question as round,
        d.message_room_id, d.message_id, d.created_at, d.withdrawn_at
    from decision d left join theme t on t.id = d.theme_id left join round r on r.id = d.round_id";

pub struct NewDecision<'a> {
    pub salon: SalonId,
    pub body: &'a str,
    pub theme: Option<ThemeId>,
    pub round: Option<RoundId>,
    /// The room message it came from.
    pub message: Option<(RoomId, MessageId)>,
    pub by: PersonId,
}

pub async fn decide(
    c: impl Into<Conn<'_>>,
    d: &NewDecision<'_>,
) -> Result<DecisionId, sqlx::Error> {
    values!(
        c,
        fetch_one,
        "insert into decision (salon_id, body, theme_id, round_id, message_room_id, message_id, recorded_by, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        d.salon,
        d.body,
        d.theme,
        d.round,
        d.message.map(|m| m.0),
        d.message.map(|m| m.1),
        d.by,
        now()
    )
}

pub async fn decision(
    c: impl Into<Conn<'_>>,
    id: DecisionId,
) -> Result<Option<Decision>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        sqlx::AssertSqlSafe(format!("{DECISION} where d.id = $1")),
        id
    )
}

/// The salon's decisions in force (withdrawn ones left out).
pub async fn decisions_of_salon(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
) -> Result<Vec<Decision>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{DECISION} where d.salon_id = $1 and d.withdrawn_at is null order by d.id"
        )),
        salon
    )
}

/// Every decision of the salon on record, withdrawn ones too (the outcomes page).
pub async fn decisions_on_record(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
) -> Result<Vec<Decision>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!("{DECISION} where d.salon_id = $1 order by d.id")),
        salon
    )
}

pub async fn decisions_of_series(
    c: impl Into<Conn<'_>>,
    series: SeriesId,
    drafts: Drafts,
) -> Result<Vec<Decision>, sqlx::Error> {
    let sql = format!(
        "{DECISION} join salon s on s.id = d.salon_id where s.series_id = $1 and (s.status <> 'draft' or $2)
           and d.withdrawn_at is null order by d.id"
    );
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(sql),
        series,
        drafts.included()
    )
}

/// An action with its owner's and organisation's names.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Action {
    pub id: ActionId,
    pub salon_id: SalonId,
    pub what: String,
    pub owner_id: Option<PersonId>,
    pub owner: Option<String>,
    /// The owner's own organisation ("who does what" follows the person).
    pub owner_organisation_id: Option<OrganisationId>,
    pub organisation_id: Option<OrganisationId>,
    pub organisation: Option<String>,
    pub due: Option<NaiveDate>,
    status: String,
    pub created_at: DateTime<Utc>,
    /// The decision it carries out, if named (its id and words).
    pub decision_id: Option<DecisionId>,
    pub decision: Option<String>,
    /// The theme it serves, if named (its id and title).
    pub theme_id: Option<ThemeId>,
    pub theme: Option<String>,
    /// Withdrawn: kept on record, left out of the board, reminders and /me.
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl Action {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Open)
    }

    /// Who does it: the owner and the organisation it was given to, as far as named.
    pub fn who(&self) -> String {
        [self.owner.as_deref(), self.organisation.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub(super) const ACTION: &str = "select a.id, a.salon_id, a.what, a.owner_id, p.name as owner, p.organisation_id as owner_organisation_id,
        a.organisation_id, o.name as organisation,
        a.due, a.status, a.created_at, a.decision_id, d.body as decision, a.theme_id, t.title as theme,
        a.withdrawn_at
    from action a left join person p on p.id = a.owner_id left join organisation o on o.id = a.organisation_id
    left join decision d on d.id = a.decision_id left join theme t on t.id = a.theme_id";

pub struct NewAction<'a> {
    pub salon: SalonId,
    pub what: &'a str,
    pub owner: Option<PersonId>,
    pub organisation: Option<OrganisationId>,
    pub due: Option<NaiveDate>,
    pub decision: Option<DecisionId>,
    pub theme: Option<ThemeId>,
    pub by: PersonId,
}

pub async fn add_action(
    c: impl Into<Conn<'_>>,
    a: &NewAction<'_>,
) -> Result<ActionId, sqlx::Error> {
    values!(
        c,
        fetch_one,
        "insert into action (salon_id, what, owner_id, organisation_id, due, status, recorded_by, created_at, decision_id, theme_id)
         values ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9) returning id",
        a.salon,
        a.what,
        a.owner,
        a.organisation,
        a.due,
        a.by,
        now(),
        a.decision,
        a.theme
    )
}

pub async fn action(c: impl Into<Conn<'_>>, id: ActionId) -> Result<Option<Action>, sqlx::Error> {
    rows!(
        c,
        fetch_optional,
        sqlx::AssertSqlSafe(format!("{ACTION} where a.id = $1")),
        id
    )
}

/// The salon's actions in force (withdrawn ones left out).
pub async fn actions_of_salon(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
) -> Result<Vec<Action>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{ACTION} where a.salon_id = $1 and a.withdrawn_at is null order by a.id"
        )),
        salon
    )
}

/// Every action of the salon on record, withdrawn ones too (the outcomes page).
pub async fn actions_on_record(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
) -> Result<Vec<Action>, sqlx::Error> {
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!("{ACTION} where a.salon_id = $1 order by a.id")),
        salon
    )
}

pub async fn actions_of_series(
    c: impl Into<Conn<'_>>,
    series: SeriesId,
    drafts: Drafts,
) -> Result<Vec<Action>, sqlx::Error> {
    let sql = format!(
        "{ACTION} join salon s on s.id = a.salon_id where s.series_id = $1 and (s.status <> 'draft' or $2)
           and a.withdrawn_at is null order by a.status desc, a.due, a.id"
    );
    rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(sql),
        series,
        drafts.included()
    )
}

/// A person's open actions: their own, and their organisation's without a named owner.
pub async fn open_for(
    c: impl Into<Conn<'_>>,
    person: PersonId,
    organisation: Option<OrganisationId>,
) -> Result<Vec<Action>, sqlx::Error> {
    let sql = format!(
        "{ACTION} where a.status = 'open' and a.withdrawn_at is null
           and (a.owner_id = $1 or (a.owner_id is null and a.organisation_id = $2))
         order by a.due, a.id"
    );
    rows!(c, fetch_all, sqlx::AssertSqlSafe(sql), person, organisation)
}

/// Mark an action of `salon` open or done; false when there is no such action there.
pub async fn set_status(
    c: impl Into<Conn<'_>>,
    salon: SalonId,
    id: ActionId,
    status: Status,
) -> Result<bool, sqlx::Error> {
    Ok(execute!(
        c,
        "update action set status = $1 where id = $2 and salon_id = $3",
        status.as_str(),
        id,
        salon
    )? == 1)
}

/// Open actions with an owner, due on or before `until`, not yet reminded about (oldest first).
pub async fn due_for_reminder(
    c: impl Into<Conn<'_>>,
    until: NaiveDate,
) -> Result<Vec<Action>, sqlx::Error> {
    let sql = format!(
        "{ACTION} where a.status = 'open' and a.withdrawn_at is null and a.owner_id is not null and a.due is not null and a.due <= $1
           and a.reminded_at is null order by a.due, a.id limit 500"
    );
    rows!(c, fetch_all, sqlx::AssertSqlSafe(sql), until)
}

/// Claim an action's reminder (exactly once, also across instances and restarts); false if
/// someone already has.
pub async fn claim_reminder(c: impl Into<Conn<'_>>, id: ActionId) -> Result<bool, sqlx::Error> {
    Ok(execute!(
        c,
        "update action set reminded_at = $1 where id = $2 and reminded_at is null",
        now(),
        id
    )? == 1)
}

/// What a theme led to, in force, in salons the reader may see: decisions that settle it, and
/// actions that serve it (named directly or through their decision).
pub async fn of_theme(
    c: impl Into<Conn<'_>>,
    theme: ThemeId,
    drafts: Drafts,
) -> Result<(Vec<Decision>, Vec<Action>), sqlx::Error> {
    let mut c = c.into();
    let decisions = rows!(
        c.reborrow(),
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{DECISION} join salon s on s.id = d.salon_id
             where d.theme_id = $1 and d.withdrawn_at is null and (s.status <> 'draft' or $2)
             order by d.id"
        )),
        theme,
        drafts.included()
    )?;
    let actions = rows!(
        c,
        fetch_all,
        sqlx::AssertSqlSafe(format!(
            "{ACTION} join salon s on s.id = a.salon_id
             where (a.theme_id = $1 or d.theme_id = $1) and a.withdrawn_at is null
               and (s.status <> 'draft' or $2)
             order by a.status desc, a.due, a.id"
        )),
        theme,
        drafts.included()
    )?;
    Ok((decisions, actions))
}
