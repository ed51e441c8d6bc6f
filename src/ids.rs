//! Typed ids: a person's id can never be passed where a salon's is meant, and swapping two ids
//! in a call does not compile. Each is the row's `bigint` on both databases (`sqlx(transparent)`)
//! and a plain number in JSON and URLs.

use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => { $(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize, sqlx::Type)]
        #[sqlx(transparent)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )* };
}

id_type!(
    /// A row of `person`.
    PersonId,
    /// A row of `salon`.
    SalonId,
    /// A row of `series`.
    SeriesId,
    /// A row of `organisation`.
    OrganisationId,
    /// A row of `room` (a salon's main room or one an organiser added).
    RoomId,
    /// A message in a room: numbered per room, rising strictly (allocated under the room lock).
    MessageId,
    /// A row of `outbox`.
    OutboxId,
    /// A row of `rsvp`.
    RsvpId,
    /// A theme of a series.
    ThemeId,
    /// A comment on a theme.
    CommentId,
    /// A priority round in a salon.
    RoundId,
    /// An option of a priority round.
    OptionId,
    /// A decision recorded for a salon.
    DecisionId,
    /// An action recorded for a salon.
    ActionId,
    /// A proposal put to a series.
    ProposalId,
    /// A poll of a series.
    PollId,
    /// An option of a poll.
    PollOptionId,
    /// A material of a salon (a link or an uploaded file).
    MaterialId,
    /// A time poll to find a date.
    TimePollId,
    /// A time offered in a time poll.
    TimeSlotId,
    /// A service, system, data set or agreement of the field's landscape.
    ItemId,
    /// A working group of a series.
    GroupId,
    /// A deliverable of a working group.
    DeliverableId,
    /// A working group's status update.
    GroupUpdateId,
);

impl MessageId {
    /// The id after this one in the same room.
    pub fn next(self) -> MessageId {
        MessageId(self.0 + 1)
    }
}
