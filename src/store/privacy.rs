//! A person's data, all of it: read for their export (`/me/export.json`), and erased when their
//! account is deleted. Secrets (token hashes, session ids) and mail bodies are never read here;
//! other people appear by name only where the record needs it (who did something to my data).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Conn, execute, on_conn, rows};
use crate::domain::time::now;
use crate::ids::{MessageId, PersonId, SalonId};

/// The query for one section of the export, and the type of its rows. Every query takes both
/// the person's id ($1) and address ($2); one that needs only one still names the other
/// (`$2 <> ''`, `$1 > 0`), so both binds always belong to the statement on both backends.
macro_rules! section {
    ($(#[$doc:meta])* $fn:ident -> $row:ident { $($field:ident: $ty:ty),* $(,)? } = $sql:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Serialize, sqlx::FromRow)]
        pub struct $row { $(pub $field: $ty),* }

        pub async fn $fn(c: impl Into<Conn<'_>>, person: PersonId, email: &str) -> Result<Vec<$row>, sqlx::Error> {
            rows!(c, fetch_all, $sql, person, email)
        }
    };
}

type At = DateTime<Utc>;

section!(
    /// The person and their organisation.
    profile -> Profile { id: PersonId, email: String, name: String, title: Option<String>, role: String, locale: String,
        time_zone: String, created_at: At, mail_failing_at: Option<At>, organisation: Option<String>, organisation_name: Option<String>, country: Option<String> }
    = "select p.id, p.email, p.name, p.title, p.role, p.locale, p.time_zone, p.created_at, p.mail_failing_at,
              o.short_name as organisation, o.name as organisation_name, o.country
       from person p left join organisation o on o.id = p.organisation_id where p.id = $1 and p.email = $2"
);
section!(
    /// Invitations and answers.
    rsvps -> RsvpRow { salon_id: SalonId, salon: String, response: Option<String>, waitlist_seq: Option<i64>, show_in_list: bool,
        invited_at: Option<At>, answered_at: Option<At>, created_at: At }
    = "select r.salon_id, s.title as salon, r.response, r.waitlist_seq, r.show_in_list, r.invited_at, r.answered_at, r.created_at
       from rsvp r join salon s on s.id = r.salon_id where r.person_id = $1 and $2 <> '' order by r.created_at"
);
section!(
    /// Registrations for open salons under this address (pending or used).
    registrations -> RegistrationRow { salon_id: SalonId, name: String, organisation: String, title: String, locale: String,
        created_at: At, expires_at: At, used_at: Option<At> }
    = "select salon_id, name, organisation, title, locale, created_at, expires_at, used_at from registration
       where email = $2 and $1 > 0 order by created_at"
);
section!(
    /// Room messages written (hidden ones too).
    messages -> MessageRow { salon_id: SalonId, room: String, id: MessageId, body: String, is_question: bool, answered: bool, hidden: bool, created_at: At }
    = "select r.salon_id, r.name as room, m.id, m.body, m.is_question, m.answered, m.hidden, m.created_at
       from message m join room r on r.id = m.room_id where m.author_id = $1 and $2 <> '' order by m.created_at"
);
section!(
    /// Questions voted up.
    question_votes -> VoteRow { salon_id: SalonId, message_id: MessageId, created_at: At }
    = "select r.salon_id, v.message_id, v.created_at from question_vote v join room r on r.id = v.room_id
       where v.person_id = $1 and $2 <> '' order by v.created_at"
);
section!(
    /// Rooms where an organiser muted the person.
    room_mutes -> MuteRow { salon_id: SalonId, created_at: At }
    = "select r.salon_id, m.created_at from room_mute m join room r on r.id = m.room_id where m.person_id = $1 and $2 <> ''"
);
section!(
    /// Themes proposed.
    themes -> ThemeRow { id: i64, series_id: i64, title: String, why: String, state: String, created_at: At }
    = "select id, series_id, title, why, state, created_at from theme where proposed_by = $1 and $2 <> '' order by created_at"
);
section!(
    /// Themes supported.
    theme_support -> SupportRow { theme_id: i64, title: String, created_at: At }
    = "select s.theme_id, t.title, s.created_at from theme_support s join theme t on t.id = s.theme_id
       where s.person_id = $1 and $2 <> '' order by s.created_at"
);
section!(
    /// Comments on themes.
    theme_comments -> CommentRow { theme_id: i64, body: String, created_at: At }
    = "select theme_id, body, created_at from theme_comment where author_id = $1 and $2 <> '' order by created_at"
);
section!(
    /// Proposals put to a series.
    proposals -> ProposalRow { id: i64, series_id: i64, title: String, background: String, created_at: At }
    = "select id, series_id, title, background, created_at from proposal where proposed_by = $1 and $2 <> '' order by created_at"
);
section!(
    /// Stances taken on proposals, with their reasons.
    stances -> StanceRow { proposal_id: i64, title: String, choice: String, reason: String, updated_at: At }
    = "select s.proposal_id, p.title, s.choice, s.reason, s.updated_at from stance s join proposal p on p.id = s.proposal_id
       where s.person_id = $1 and $2 <> '' order by s.updated_at"
);
section!(
    /// Polls put to a series.
    polls -> PollRow { id: i64, series_id: i64, question: String, kind: String, created_at: At }
    = "select id, series_id, question, kind, created_at from poll where proposed_by = $1 and $2 <> '' order by created_at"
);
section!(
    /// Answers given in polls: per option, the choice (1), the rank or the score.
    poll_answers -> PollAnswerRow { poll_id: i64, question: String, option: String, value: i64, updated_at: At }
    = "select a.poll_id, p.question, o.label as option, a.value, a.updated_at from poll_answer a
       join poll p on p.id = a.poll_id join poll_option o on o.id = a.option_id
       where a.person_id = $1 and $2 <> '' order by a.poll_id, o.position"
);
section!(
    /// Materials the person added to salons (links and files; the files themselves are at
    /// their address on the salon's materials page).
    materials -> MaterialRow { id: i64, salon_id: i64, title: String, url: Option<String>, file_name: Option<String>, size: Option<i64>, added_at: At }
    = "select id, salon_id, title, url, file_name, size, added_at from material where added_by = $1 and $2 <> '' order by added_at"
);
section!(
    /// Changes the person saved to items of the landscape (once the account is deleted, the
    /// items keep them with no author).
    landscape_revisions -> RevisionRow { item_id: i64, name: String, fields: String, at: At }
    = "select r.item_id, i.name, r.fields, r.at from landscape_revision r
       join landscape_item i on i.id = r.item_id where r.person_id = $1 and $2 <> '' order by r.id"
);
section!(
    /// Items of the landscape the person is a steward of.
    stewardships -> StewardRow { item_id: i64, name: String }
    = "select s.item_id, i.name from landscape_steward s join landscape_item i on i.id = s.item_id
       where s.person_id = $1 and $2 <> '' order by s.item_id"
);
section!(
    /// Working groups the person is a member of (and whether they coordinate it).
    group_memberships -> GroupMemberRow { group_id: i64, name: String, coordinator: bool }
    = "select g.id as group_id, g.name, coalesce(g.coordinator_id = $1, false) as coordinator
       from group_member m join working_group g on g.id = m.group_id
       where m.person_id = $1 and $2 <> '' order by g.id"
);
section!(
    /// Status updates the person posted in working groups (once the account is deleted, the
    /// group keeps them with no author).
    group_updates -> GroupUpdateRow { group_id: i64, name: String, status: String, body: String, created_at: At }
    = "select u.group_id, g.name, u.status, u.body, u.created_at from group_update u
       join working_group g on g.id = u.group_id where u.author_id = $1 and $2 <> '' order by u.id"
);
section!(
    /// Answers in time polls, per offered time.
    time_answers -> TimeAnswerRow { poll_id: i64, title: String, starts_at: At, answer: String, at: At }
    = "select s.poll_id, t.title, s.starts_at, a.answer, a.at from time_answer a
       join time_slot s on s.id = a.slot_id join time_poll t on t.id = s.poll_id
       where a.person_id = $1 and $2 <> '' order by s.poll_id, s.starts_at"
);
section!(
    /// Salons the person was at, and how (in the room, checked in at the door).
    attendance -> AttendanceRow { salon_id: i64, how: String, at: At }
    = "select salon_id, how, at from attendance where person_id = $1 and $2 <> '' order by at"
);
section!(
    /// Points given in priority rounds.
    ballots -> BallotRow { round_id: i64, question: String, option: String, points: i64 }
    = "select b.round_id, r.question, o.label as option, b.points from ballot_point b
       join round r on r.id = b.round_id join round_option o on o.id = b.option_id
       where b.person_id = $1 and $2 <> '' order by b.round_id, o.position"
);
section!(
    /// Salons where the person takes notes.
    note_taker -> NoteTakerRow { salon_id: SalonId }
    = "select salon_id from note_taker where person_id = $1 and $2 <> ''"
);
section!(
    /// Decisions recorded.
    decisions -> DecisionRow { id: i64, salon_id: SalonId, body: String, created_at: At }
    = "select id, salon_id, body, created_at from decision where recorded_by = $1 and $2 <> '' order by created_at"
);
section!(
    /// Actions owned or recorded.
    actions -> ActionRow { id: i64, salon_id: SalonId, what: String, due: Option<chrono::NaiveDate>, status: String, owner: bool, recorder: bool, created_at: At }
    = "select id, salon_id, what, due, status, coalesce(owner_id = $1, false) as owner, coalesce(recorded_by = $1, false) as recorder, created_at from action
       where (owner_id = $1 or recorded_by = $1) and $2 <> '' order by created_at"
);
section!(
    /// Salons organised.
    salons_organised -> OrganisedRow { id: SalonId, title: String, created_at: At }
    = "select id, title, created_at from salon where organiser_id = $1 and $2 <> '' order by created_at"
);
section!(
    /// Answer links in invitation mails (metadata only: the links themselves are secrets).
    answer_links -> AnswerLinkRow { salon_id: SalonId, created_at: At, revoked_at: Option<At> }
    = "select salon_id, created_at, revoked_at from rsvp_token where person_id = $1 and $2 <> '' order by created_at"
);
section!(
    /// The personal reply addresses of calendar invitations (metadata only).
    reply_addresses -> ReplyAddressRow { salon_id: SalonId, created_at: At, revoked_at: Option<At>, last_partstat: Option<String> }
    = "select salon_id, created_at, revoked_at, last_partstat from reply_address where person_id = $1 and $2 <> ''"
);
section!(
    /// Personal calendar feed links (metadata only).
    feed_links -> FeedLinkRow { created_at: At, revoked_at: Option<At> }
    = "select created_at, revoked_at from feed_token where person_id = $1 and $2 <> '' order by created_at"
);
section!(
    /// Signed-in browsers (metadata only).
    sessions -> SessionRow { created_at: At, last_seen_at: Option<At>, expires_at: At }
    = "select created_at, last_seen_at, expires_at from session where person_id = $1 and $2 <> '' order by created_at"
);
section!(
    /// Sign-in links mailed (metadata only).
    sign_in_links -> SignInRow { created_at: At, expires_at: At, used_at: Option<At> }
    = "select created_at, expires_at, used_at from login_token where person_id = $1 and $2 <> '' order by created_at"
);
section!(
    /// Mail sent (or to be sent) to the person, with its state; not the bodies.
    mails -> MailRow { kind: String, subject: String, status: String, created_at: At, sent_at: Option<At>, bounced_at: Option<At> }
    = "select kind, subject, status, created_at, sent_at, bounced_at from outbox where recipient = $2 and $1 > 0 order by created_at"
);
section!(
    /// Mail received from the person (calendar replies) and what was done with it.
    mail_received -> ReceivedRow { received_at: At, subject: String, outcome: String, detail: String, comment: String, salon_id: Option<SalonId> }
    = "select received_at, subject, outcome, detail, comment, salon_id from inbound_message
       where person_id = $1 or sender = $2 order by received_at"
);
section!(
    /// Reminders sent.
    reminders -> ReminderRow { salon_id: SalonId, sent_at: At }
    = "select salon_id, sent_at from reminder_sent where person_id = $1 and $2 <> '' order by sent_at"
);

/// What deleting an account removed or anonymised, for the log.
#[derive(Debug, Default, Clone, Copy)]
pub struct Erased {
    pub mails: u64,
    pub bodies_cleared: u64,
    pub registrations: u64,
    pub received: u64,
}

/// Remove the person and every trace of their address, inside the caller's transaction. Their
/// room messages, comments, themes and recorded outcomes stay for the record with no author
/// (the foreign keys set it to null: pages show "former participant"); their answers, votes,
/// support, ballots, stances, poll and time poll answers, attendance, links and sessions go with the person row
/// (cascade); proposals and polls they put, materials they added and their working groups'
/// status updates stay with no author; their group memberships go.
pub async fn erase(
    tx: &mut super::Tx,
    person: PersonId,
    email: &str,
) -> Result<Erased, sqlx::Error> {
    let at = now();
    // Mail to them, queued or sent: the rows hold their address.
    let mails = execute!(&mut *tx, "delete from outbox where recipient = $1", email)?;
    // Mail to others that names their address (an organiser's notice of a calendar comment).
    let bodies_cleared = on_conn!(
        &mut *tx,
        |c| sqlx::query(
            "update outbox set body = $1, body_cleared_at = $2 where instr(body, $3) > 0"
        )
        .bind(Vec::<u8>::new())
        .bind(at)
        .bind(email.as_bytes())
        .execute(c)
        .await
        .map(|r| r.rows_affected()),
        sqlx::query(
            "update outbox set body = $1, body_cleared_at = $2 where position($3 in body) > 0"
        )
        .bind(Vec::<u8>::new())
        .bind(at)
        .bind(email.as_bytes())
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    )?;
    let registrations = execute!(&mut *tx, "delete from registration where email = $1", email)?;
    let lowered = email.to_lowercase();
    let mut received = execute!(
        &mut *tx,
        "update inbound_message set sender = '', subject = '', comment = '', person_id = null
         where person_id = $1 or replace(lower(sender), $2, '') <> lower(sender)",
        person,
        &lowered
    )?;
    // A bounce's record names the address in its detail ("bounced 5.1.1 name@org").
    received += execute!(
        &mut *tx,
        "update inbound_message set detail = replace(lower(detail), $1, '') where replace(lower(detail), $1, '') <> lower(detail)",
        &lowered
    )?;
    execute!(&mut *tx, "delete from person where id = $1", person)?;
    Ok(Erased {
        mails,
        bodies_cleared,
        registrations,
        received,
    })
}
