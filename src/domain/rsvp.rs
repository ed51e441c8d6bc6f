//! RSVP rules: who may answer, when, and what an answer does to seats and the waitlist.
//! The store applies these under a per-salon lock, so the counts they see are the truth.

use chrono::{DateTime, Utc};

use super::salon::{Registration, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    Yes,
    Maybe,
    No,
}

impl Response {
    pub const ALL: [Response; 3] = [Response::Yes, Response::Maybe, Response::No];
    pub fn as_str(self) -> &'static str {
        match self {
            Response::Yes => "yes",
            Response::Maybe => "maybe",
            Response::No => "no",
        }
    }
    pub fn parse(s: &str) -> Option<Response> {
        Response::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A person's standing for one salon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Invited, not answered.
    Invited,
    /// Yes, with a seat.
    Seated,
    /// Yes, waiting for a seat; the number is the place in line (lower goes first).
    Waitlisted(i64),
    Maybe,
    No,
}

impl Standing {
    pub fn from_row(response: Option<&str>, waitlist_seq: Option<i64>) -> Standing {
        match (response.and_then(Response::parse), waitlist_seq) {
            (None, _) => Standing::Invited,
            (Some(Response::Yes), Some(n)) => Standing::Waitlisted(n),
            (Some(Response::Yes), None) => Standing::Seated,
            (Some(Response::Maybe), _) => Standing::Maybe,
            (Some(Response::No), _) => Standing::No,
        }
    }

    /// Registered for the salon: may see the meeting link and enter the room.
    pub fn is_registered(self) -> bool {
        matches!(self, Standing::Seated | Standing::Maybe)
    }
}

/// Why an answer is not accepted (`rsvp.error.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAccepted {
    NotOpen,
    DeadlinePassed,
    NotInvited,
}

impl NotAccepted {
    pub fn code(self) -> &'static str {
        match self {
            NotAccepted::NotOpen => "not_open",
            NotAccepted::DeadlinePassed => "deadline_passed",
            NotAccepted::NotInvited => "not_invited",
        }
    }

    /// The translation key of the reason (`rsvp.error.<code>`).
    pub fn message_key(self) -> &'static str {
        match self {
            NotAccepted::NotOpen => "rsvp.error.not_open",
            NotAccepted::DeadlinePassed => "rsvp.error.deadline_passed",
            NotAccepted::NotInvited => "rsvp.error.not_invited",
        }
    }
}

/// What the RSVP rules need to know about the salon.
pub struct SalonFacts {
    pub status: Status,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Online or hybrid: people may join while it runs.
    pub joinable_online: bool,
    pub rsvp_deadline: Option<DateTime<Utc>>,
    pub registration: Registration,
    pub capacity: Option<i64>,
}

impl SalonFacts {
    /// When answers close: the reply-by date the organiser set (up to the end), else the end
    /// for an online or hybrid salon (latecomers join while it runs, with a seat if there is
    /// one), else the start.
    pub fn answers_close(&self) -> DateTime<Utc> {
        self.rsvp_deadline.unwrap_or(if self.joinable_online {
            self.ends_at
        } else {
            self.starts_at
        })
    }

    /// Whether the room's door is open to the registered now: from half an hour before the
    /// start (to test sound and find the room) until the end.
    pub fn room_door_open(&self, now: DateTime<Utc>) -> bool {
        self.status == Status::Published
            && now >= self.starts_at - chrono::Duration::minutes(30)
            && now < self.ends_at
    }
}

/// May this person answer now? `current` is their standing, if they have a row.
pub fn may_answer(
    salon: &SalonFacts,
    current: Option<Standing>,
    now: DateTime<Utc>,
) -> Result<(), NotAccepted> {
    if salon.status != Status::Published {
        return Err(NotAccepted::NotOpen);
    }
    if now >= salon.answers_close() {
        return Err(NotAccepted::DeadlinePassed);
    }
    if salon.registration == Registration::Invitation && current.is_none() {
        return Err(NotAccepted::NotInvited);
    }
    Ok(())
}

/// The new standing after answering `response`; `seated` is how many hold a seat now (not
/// counting this person) and `next_in_line` the waitlist number to hand out if needed.
pub fn answer(
    current: Option<Standing>,
    response: Response,
    capacity: Option<i64>,
    seated: i64,
    next_in_line: i64,
) -> Standing {
    match response {
        Response::Maybe => Standing::Maybe,
        Response::No => Standing::No,
        Response::Yes => match current {
            // Saying yes again keeps the seat, or the place in line.
            Some(Standing::Seated) => Standing::Seated,
            Some(Standing::Waitlisted(n)) => Standing::Waitlisted(n),
            _ => {
                if capacity.is_none_or(|c| seated < c) {
                    Standing::Seated
                } else {
                    Standing::Waitlisted(next_in_line)
                }
            }
        },
    }
}

/// How many from the waitlist get a seat now.
pub fn seats_to_fill(capacity: Option<i64>, seated: i64, waiting: i64) -> i64 {
    match capacity {
        None => waiting,
        Some(c) => (c - seated).clamp(0, waiting),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn salon(capacity: Option<i64>) -> SalonFacts {
        SalonFacts {
            status: Status::Published,
            starts_at: Utc::now() + Duration::days(7),
            ends_at: Utc::now() + Duration::days(7) + Duration::hours(3),
            joinable_online: false,
            rsvp_deadline: None,
            registration: Registration::Open,
            capacity,
        }
    }

    #[test]
    fn yes_takes_a_seat_until_they_are_gone() {
        assert_eq!(answer(None, Response::Yes, Some(2), 1, 1), Standing::Seated);
        assert_eq!(
            answer(None, Response::Yes, Some(2), 2, 7),
            Standing::Waitlisted(7)
        );
        assert_eq!(answer(None, Response::Yes, None, 500, 1), Standing::Seated);
        assert_eq!(
            answer(Some(Standing::Waitlisted(3)), Response::Yes, Some(2), 1, 9),
            Standing::Waitlisted(3)
        );
        assert_eq!(
            answer(Some(Standing::Seated), Response::No, Some(2), 1, 9),
            Standing::No
        );
    }

    #[test]
    fn answers_close_at_the_deadline_and_need_an_invitation_when_closed() {
        let now = Utc::now();
        let mut s = salon(None);
        assert_eq!(may_answer(&s, None, now), Ok(()));
        s.rsvp_deadline = Some(now - Duration::minutes(1));
        assert_eq!(may_answer(&s, None, now), Err(NotAccepted::DeadlinePassed));
        // Running: an in-person salon has closed its answers, an online one takes them.
        let mut s = salon(None);
        s.starts_at = now - Duration::minutes(10);
        s.ends_at = now + Duration::hours(2);
        assert_eq!(may_answer(&s, None, now), Err(NotAccepted::DeadlinePassed));
        s.joinable_online = true;
        assert_eq!(may_answer(&s, None, now), Ok(()));
        s.ends_at = now;
        assert_eq!(may_answer(&s, None, now), Err(NotAccepted::DeadlinePassed));
        let mut s = salon(None);
        s.registration = Registration::Invitation;
        assert_eq!(may_answer(&s, None, now), Err(NotAccepted::NotInvited));
        assert_eq!(may_answer(&s, Some(Standing::Invited), now), Ok(()));
        s.status = Status::Cancelled;
        assert_eq!(
            may_answer(&s, Some(Standing::Invited), now),
            Err(NotAccepted::NotOpen)
        );
    }

    #[test]
    fn freed_seats_go_to_the_waitlist() {
        assert_eq!(seats_to_fill(Some(10), 9, 5), 1);
        assert_eq!(seats_to_fill(Some(10), 10, 5), 0);
        assert_eq!(seats_to_fill(Some(12), 9, 2), 2);
        assert_eq!(seats_to_fill(None, 9, 2), 2);
    }
}
