//! What the audit trail records: every organiser and admin action on people's data or on the
//! record, and each person's own export and deletion. The codes are stored; the names shown
//! are translated (`audit.kind.<code>`).

/// One kind of audited action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An admin added a person.
    PersonAdded,
    /// An admin changed someone's role.
    RoleChanged,
    /// An organiser downloaded a salon's participant list (CSV).
    ParticipantsExported,
    /// An organiser sent invitations (detail: how many).
    InvitationsSent,
    /// An organiser recorded an answer on someone's behalf.
    AnswerSet,
    /// An organiser revoked someone's answer links.
    LinksRevoked,
    /// An organiser hid a room message.
    MessageHidden,
    /// An organiser muted someone in a room.
    PersonMuted,
    /// Someone downloaded a room transcript.
    TranscriptDownloaded,
    /// A person's data was exported (by themselves or an admin).
    DataExported,
    /// A person's account was deleted (by themselves or an admin).
    AccountDeleted,
    /// An organiser reworded a theme (detail: the theme).
    ThemeReworded,
    /// An organiser moved a theme on (detail: the theme and its new state).
    ThemeMovedOn,
    /// An organiser scheduled a theme into a salon.
    ThemeScheduled,
    /// An organiser merged a duplicate theme into another (detail: both themes).
    ThemesMerged,
    /// An organiser or note-taker reworded a decision (detail: the decision, its earlier words).
    DecisionReworded,
    /// An organiser or note-taker withdrew a decision.
    DecisionWithdrawn,
    /// An organiser or note-taker changed an action (detail: the action, its earlier state).
    ActionChanged,
    /// An organiser or note-taker withdrew an action.
    ActionWithdrawn,
    /// An organiser or note-taker added a material to a salon (detail: its title).
    MaterialAdded,
    /// An organiser or note-taker removed a material (detail: its title).
    MaterialRemoved,
    /// An organiser added an item to the landscape (detail: its name).
    LandscapeItemAdded,
    /// An organiser or a steward changed a landscape item (detail: its name; the item keeps
    /// the revision).
    LandscapeItemChanged,
    /// An organiser changed an organisation's profile (detail: its short name).
    OrganisationChanged,
    /// An organiser set up a working group (detail: its name).
    GroupCreated,
    /// An organiser changed a working group: mandate, members, coordinator (detail: its name).
    GroupChanged,
    /// A salon was made (or unmade) a working group's meeting (detail: the group's name).
    GroupMeetingSet,
}

impl Kind {
    pub const ALL: [Kind; 27] = [
        Kind::PersonAdded,
        Kind::RoleChanged,
        Kind::ParticipantsExported,
        Kind::InvitationsSent,
        Kind::AnswerSet,
        Kind::LinksRevoked,
        Kind::MessageHidden,
        Kind::PersonMuted,
        Kind::TranscriptDownloaded,
        Kind::DataExported,
        Kind::AccountDeleted,
        Kind::ThemeReworded,
        Kind::ThemeMovedOn,
        Kind::ThemeScheduled,
        Kind::ThemesMerged,
        Kind::DecisionReworded,
        Kind::DecisionWithdrawn,
        Kind::ActionChanged,
        Kind::ActionWithdrawn,
        Kind::MaterialAdded,
        Kind::MaterialRemoved,
        Kind::LandscapeItemAdded,
        Kind::LandscapeItemChanged,
        Kind::OrganisationChanged,
        Kind::GroupCreated,
        Kind::GroupChanged,
        Kind::GroupMeetingSet,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::PersonAdded => "person_added",
            Kind::RoleChanged => "role_changed",
            Kind::ParticipantsExported => "participants_exported",
            Kind::InvitationsSent => "invitations_sent",
            Kind::AnswerSet => "answer_set",
            Kind::LinksRevoked => "links_revoked",
            Kind::MessageHidden => "message_hidden",
            Kind::PersonMuted => "person_muted",
            Kind::TranscriptDownloaded => "transcript_downloaded",
            Kind::DataExported => "data_exported",
            Kind::AccountDeleted => "account_deleted",
            Kind::ThemeReworded => "theme_reworded",
            Kind::ThemeMovedOn => "theme_moved_on",
            Kind::ThemeScheduled => "theme_scheduled",
            Kind::ThemesMerged => "themes_merged",
            Kind::DecisionReworded => "decision_reworded",
            Kind::DecisionWithdrawn => "decision_withdrawn",
            Kind::ActionChanged => "action_changed",
            Kind::ActionWithdrawn => "action_withdrawn",
            Kind::MaterialAdded => "material_added",
            Kind::MaterialRemoved => "material_removed",
            Kind::LandscapeItemAdded => "landscape_item_added",
            Kind::LandscapeItemChanged => "landscape_item_changed",
            Kind::OrganisationChanged => "organisation_changed",
            Kind::GroupCreated => "group_created",
            Kind::GroupChanged => "group_changed",
            Kind::GroupMeetingSet => "group_meeting_set",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_code(k.code()), Some(k));
        }
        assert_eq!(Kind::from_code("nope"), None);
    }
}
