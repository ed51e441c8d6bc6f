//! Proposals with consent (as Loomio has them): a wording put to a series, each person's stance
//! (agree, abstain, disagree or block, with a reason; a block must say why) changeable until the
//! proposal closes, a tally by choice and by organisation, and the outcome the organiser writes
//! at closing, which becomes a decision.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::{text, time};

pub const TITLE_MAX: usize = 300;
pub const BACKGROUND_MAX: usize = 4000;
pub const REASON_MAX: usize = 1000;
/// How far ahead a proposal may close: a year.
pub const LONGEST_OPEN_DAYS: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Choice {
    Agree,
    Abstain,
    Disagree,
    Block,
}

impl Choice {
    /// In the order the form and the tally show them.
    pub const ALL: [Choice; 4] = [
        Choice::Agree,
        Choice::Abstain,
        Choice::Disagree,
        Choice::Block,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Agree => "agree",
            Choice::Abstain => "abstain",
            Choice::Disagree => "disagree",
            Choice::Block => "block",
        }
    }

    pub fn parse(s: &str) -> Option<Choice> {
        Choice::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }
}

/// Where a proposal is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Stances are taken.
    Open,
    /// Its closing time has passed; the organiser has not yet written the outcome.
    AwaitingOutcome,
    /// The outcome is written (and recorded as a decision).
    Closed,
}

impl State {
    pub fn of(
        closes_at: DateTime<Utc>,
        closed_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> State {
        match closed_at {
            Some(_) => State::Closed,
            None if now >= closes_at => State::AwaitingOutcome,
            None => State::Open,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::AwaitingOutcome => "awaiting_outcome",
            State::Closed => "closed",
        }
    }
}

/// A refused field (`proposal.error.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

/// A proposal as its author typed it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalText {
    pub title: String,
    pub background: String,
    pub closes_at: DateTime<Utc>,
}

/// Check a new proposal: `closes` is the closing time as typed (`datetime-local`) in the
/// author's zone `tz`; it must be after `now` and within a year.
pub fn validate(
    title: &str,
    background: &str,
    closes: &str,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<ProposalText, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut refuse = |field, code| errors.push(FieldError { field, code });
    let title = text::line(title, TITLE_MAX, true).unwrap_or_else(|_| {
        refuse("title", "title");
        String::new()
    });
    let background = text::multiline(background, BACKGROUND_MAX, false).unwrap_or_else(|_| {
        refuse("background", "background");
        String::new()
    });
    let closes_at = match time::local_to_utc(closes.trim(), tz) {
        Ok(at) if at <= now => {
            refuse("closes_at", "closes_past");
            None
        }
        Ok(at) if at > now + Duration::days(LONGEST_OPEN_DAYS) => {
            refuse("closes_at", "closes_far");
            None
        }
        Ok(at) => Some(at),
        Err(_) => {
            refuse("closes_at", "closes_invalid");
            None
        }
    };
    match (errors.is_empty(), closes_at) {
        (true, Some(closes_at)) => Ok(ProposalText {
            title,
            background,
            closes_at,
        }),
        _ => Err(errors),
    }
}

/// Check a stance: a known choice, a reason of at most [`REASON_MAX`] characters, and a reason
/// at all for a block (a block stops the proposal: the others must be able to see why).
pub fn stance(choice: &str, reason: &str) -> Result<(Choice, String), FieldError> {
    let choice = Choice::parse(choice).ok_or(FieldError {
        field: "choice",
        code: "choice",
    })?;
    let reason = text::multiline(reason, REASON_MAX, false).map_err(|_| FieldError {
        field: "reason",
        code: "reason",
    })?;
    if choice == Choice::Block && reason.is_empty() {
        return Err(FieldError {
            field: "reason",
            code: "block_needs_reason",
        });
    }
    Ok((choice, reason))
}

/// The outcome statement written at closing (it becomes a decision).
pub fn outcome(raw: &str) -> Result<String, FieldError> {
    text::multiline(raw, super::outcome::DECISION_MAX, true).map_err(|_| FieldError {
        field: "outcome",
        code: "outcome",
    })
}

/// How many took each stance, in [`Choice::ALL`]'s order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(pub [i64; 4]);

impl Counts {
    pub fn add(&mut self, c: Choice) {
        let i = Choice::ALL.iter().position(|x| *x == c).unwrap_or(0);
        self.0[i] += 1;
    }
    pub fn get(&self, c: Choice) -> i64 {
        Choice::ALL
            .iter()
            .position(|x| *x == c)
            .map_or(0, |i| self.0[i])
    }
    pub fn total(&self) -> i64 {
        self.0.iter().sum()
    }
}

/// The tally: in all, and per organisation (by name, in name order; people of no organisation
/// under `None`, last).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub all: Counts,
    pub by_organisation: Vec<(Option<String>, Counts)>,
}

/// Count stances given as (choice, the person's organisation).
pub fn tally<'a>(stances: impl IntoIterator<Item = (Choice, Option<&'a str>)>) -> Tally {
    let mut t = Tally::default();
    for (choice, org) in stances {
        t.all.add(choice);
        let org = org.map(str::to_string);
        match t.by_organisation.iter_mut().find(|(o, _)| *o == org) {
            Some((_, counts)) => counts.add(choice),
            None => {
                let mut counts = Counts::default();
                counts.add(choice);
                t.by_organisation.push((org, counts));
            }
        }
    }
    t.by_organisation
        .sort_by(|(a, _), (b, _)| (a.is_none(), a).cmp(&(b.is_none(), b)));
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_block_needs_a_reason_and_other_stances_do_not() {
        assert_eq!(
            stance("block", "  ").unwrap_err().code,
            "block_needs_reason"
        );
        assert_eq!(
            stance("block", "Det binder kommunerne i fem år").unwrap(),
            (Choice::Block, "Det binder kommunerne i fem år".into())
        );
        assert_eq!(stance("agree", "").unwrap(), (Choice::Agree, String::new()));
        assert_eq!(stance("veto", "").unwrap_err().code, "choice");
        assert_eq!(stance("agree", "a\u{0}b").unwrap_err().code, "reason");
        assert_eq!(
            stance("disagree", &"x".repeat(REASON_MAX + 1))
                .unwrap_err()
                .code,
            "reason"
        );
    }

    #[test]
    fn the_closing_time_is_read_in_the_authors_zone_and_must_be_ahead() {
        let cph = chrono_tz::Europe::Copenhagen;
        let ok = validate("Fælles e-bøger", "", "2027-03-15T12:00", cph, now()).unwrap();
        assert_eq!(ok.closes_at.to_rfc3339(), "2027-03-15T11:00:00+00:00");
        let codes = |r: Result<ProposalText, Vec<FieldError>>| {
            r.unwrap_err().iter().map(|e| e.code).collect::<Vec<_>>()
        };
        assert_eq!(
            codes(validate("x", "", "2027-02-01T12:00", cph, now())),
            ["closes_past"]
        );
        assert_eq!(
            codes(validate("x", "", "2029-02-01T12:00", cph, now())),
            ["closes_far"]
        );
        assert_eq!(
            codes(validate("", "", "soon", cph, now())),
            ["title", "closes_invalid"]
        );
    }

    #[test]
    fn the_state_follows_the_clock_and_the_outcome() {
        let closes = now() + Duration::hours(1);
        assert_eq!(State::of(closes, None, now()), State::Open);
        assert_eq!(State::of(closes, None, closes), State::AwaitingOutcome);
        assert_eq!(State::of(closes, Some(now()), now()), State::Closed);
    }

    #[test]
    fn the_tally_counts_by_choice_and_by_organisation() {
        let t = tally([
            (Choice::Agree, Some("KB")),
            (Choice::Block, Some("DDF")),
            (Choice::Agree, None),
            (Choice::Agree, Some("KB")),
            (Choice::Abstain, Some("DDF")),
        ]);
        assert_eq!(t.all, Counts([3, 1, 0, 1]));
        assert_eq!(t.all.total(), 5);
        let orgs: Vec<_> = t
            .by_organisation
            .iter()
            .map(|(o, c)| (o.as_deref(), c.0))
            .collect();
        assert_eq!(
            orgs,
            [
                (Some("DDF"), [0, 1, 0, 1]),
                (Some("KB"), [2, 0, 0, 0]),
                (None, [1, 0, 0, 0])
            ]
        );
    }
}
