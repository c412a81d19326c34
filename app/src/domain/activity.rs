//! The activity log's vocabulary: what happened ([`Action`], stored by its key, shown by
//! its label) and what it happened to ([`TargetKind`]). The data layer stores entries;
//! the Activity Report reads them.

/// What happened. Stored by its `key`; later issues add variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    OrganizationCreated,
    MemberAdded,
    GuestAdded,
    PersonDisabled,
    PersonRemoved,
    DepartmentCreated,
    ProjectCreated,
    Incorporated,
    Deleted,
    GuestEdited,
    SettingsChanged,
    Invited,
    InvitationResent,
    InvitationRevoked,
    InvitationAccepted,
    InvitationLapsed,
    RemovedFromProject,
    AddedToProject,
    ProjectChanged,
    ExpiryChanged,
    ExpiredRemoval,
    ExpiryReminder,
    LetExpire,
    /// An admin looked at the directory as another person (View as).
    ViewedAs,
    DepartmentRenamed,
    DepartmentMoved,
    DepartmentDeleted,
    DepartmentAdminAssigned,
    DepartmentAdminRemoved,
    PersonMoved,
    GroupCreated,
    GroupRenamed,
    GroupDeleted,
    GroupMemberAdded,
    GroupMemberRemoved,
    ApiTokenCreated,
    ApiTokenRevoked,
    /// A revoked or expired API token was presented (logged at most hourly per token).
    RefusedTokenUsed,
}

impl Action {
    pub fn key(self) -> &'static str {
        match self {
            Action::OrganizationCreated => "organization_created",
            Action::MemberAdded => "member_added",
            Action::GuestAdded => "guest_added",
            Action::PersonDisabled => "person_disabled",
            Action::PersonRemoved => "person_removed",
            Action::DepartmentCreated => "department_created",
            Action::ProjectCreated => "project_created",
            Action::Incorporated => "incorporation",
            Action::Deleted => "deletion",
            Action::GuestEdited => "guest_edited",
            Action::SettingsChanged => "settings_changed",
            Action::Invited => "invitation",
            Action::InvitationResent => "invitation_resent",
            Action::InvitationRevoked => "invitation_revoked",
            Action::InvitationAccepted => "acceptance",
            Action::InvitationLapsed => "invitation_lapsed",
            Action::RemovedFromProject => "project_removal",
            Action::AddedToProject => "project_addition",
            Action::ProjectChanged => "project_changed",
            Action::ExpiryChanged => "expiry_change",
            Action::ExpiredRemoval => "automatic_removal",
            Action::ExpiryReminder => "expiry_reminder",
            Action::LetExpire => "let_expire",
            Action::ViewedAs => "viewed_as",
            Action::DepartmentRenamed => "department_renamed",
            Action::DepartmentMoved => "department_moved",
            Action::DepartmentDeleted => "department_deleted",
            Action::DepartmentAdminAssigned => "department_admin_assigned",
            Action::DepartmentAdminRemoved => "department_admin_removed",
            Action::PersonMoved => "person_moved",
            Action::GroupCreated => "group_created",
            Action::GroupRenamed => "group_renamed",
            Action::GroupDeleted => "group_deleted",
            Action::GroupMemberAdded => "group_member_added",
            Action::GroupMemberRemoved => "group_member_removed",
            Action::ApiTokenCreated => "api_token_created",
            Action::ApiTokenRevoked => "api_token_revoked",
            Action::RefusedTokenUsed => "refused_token_used",
        }
    }
}

impl Action {
    pub const ALL: [Action; 38] = [
        Action::OrganizationCreated,
        Action::MemberAdded,
        Action::GuestAdded,
        Action::PersonDisabled,
        Action::PersonRemoved,
        Action::DepartmentCreated,
        Action::ProjectCreated,
        Action::Incorporated,
        Action::Deleted,
        Action::GuestEdited,
        Action::SettingsChanged,
        Action::Invited,
        Action::InvitationResent,
        Action::InvitationRevoked,
        Action::InvitationAccepted,
        Action::InvitationLapsed,
        Action::RemovedFromProject,
        Action::AddedToProject,
        Action::ProjectChanged,
        Action::ExpiryChanged,
        Action::ExpiredRemoval,
        Action::ExpiryReminder,
        Action::LetExpire,
        Action::ViewedAs,
        Action::DepartmentRenamed,
        Action::DepartmentMoved,
        Action::DepartmentDeleted,
        Action::DepartmentAdminAssigned,
        Action::DepartmentAdminRemoved,
        Action::PersonMoved,
        Action::GroupCreated,
        Action::GroupRenamed,
        Action::GroupDeleted,
        Action::GroupMemberAdded,
        Action::GroupMemberRemoved,
        Action::ApiTokenCreated,
        Action::ApiTokenRevoked,
        Action::RefusedTokenUsed,
    ];

    pub fn from_key(key: &str) -> Option<Action> {
        Self::ALL.into_iter().find(|a| a.key() == key)
    }

    /// How the Activity Report names it.
    pub fn label(self) -> &'static str {
        match self {
            Action::OrganizationCreated => "Organization created",
            Action::MemberAdded => "Member added",
            Action::GuestAdded => "Guest added",
            Action::PersonDisabled => "Disabled",
            Action::PersonRemoved => "Removed",
            Action::DepartmentCreated => "Department created",
            Action::ProjectCreated => "Project created",
            Action::Incorporated => "Incorporation",
            Action::Deleted => "Deletion",
            Action::GuestEdited => "Guest edited",
            Action::SettingsChanged => "Settings changed",
            Action::Invited => "Invitation",
            Action::InvitationResent => "Invitation resent",
            Action::InvitationRevoked => "Invitation revoked",
            Action::InvitationAccepted => "Acceptance",
            Action::InvitationLapsed => "Invitation lapsed",
            Action::RemovedFromProject => "Removal from a project",
            Action::AddedToProject => "Addition to a project",
            Action::ProjectChanged => "Project changed",
            Action::ExpiryChanged => "Expiry change",
            Action::ExpiredRemoval => "Automatic removal",
            Action::ExpiryReminder => "Expiry reminder",
            Action::LetExpire => "Let expire",
            Action::ViewedAs => "Viewed as",
            Action::DepartmentRenamed => "Department renamed",
            Action::DepartmentMoved => "Department moved",
            Action::DepartmentDeleted => "Department deleted",
            Action::DepartmentAdminAssigned => "Department Admin assigned",
            Action::DepartmentAdminRemoved => "Department Admin removed",
            Action::PersonMoved => "Moved to department",
            Action::GroupCreated => "Group created",
            Action::GroupRenamed => "Group renamed",
            Action::GroupDeleted => "Group deleted",
            Action::GroupMemberAdded => "Added to group",
            Action::GroupMemberRemoved => "Removed from group",
            Action::ApiTokenCreated => "API token created",
            Action::ApiTokenRevoked => "API token revoked",
            Action::RefusedTokenUsed => "Revoked or expired API token used",
        }
    }
}

impl Action {
    /// Which section of the Activity Report an entry belongs to, when the action alone
    /// says: `Some(true)` Guest activity, `Some(false)` Other activity; `None` when it
    /// depends on whether the target (a person, an invitation) is a guest's.
    pub fn about_guest(self) -> Option<bool> {
        use Action::*;
        match self {
            Incorporated | Deleted | ExpiredRemoval | GuestAdded | GuestEdited | ExpiryChanged | ExpiryReminder | LetExpire
            | RemovedFromProject | AddedToProject => Some(true),
            Invited | InvitationResent | InvitationRevoked | InvitationAccepted | InvitationLapsed | PersonDisabled | PersonRemoved => None,
            OrganizationCreated | MemberAdded | DepartmentCreated | ProjectCreated | SettingsChanged | ProjectChanged | ViewedAs
            | DepartmentRenamed | DepartmentMoved | DepartmentDeleted | DepartmentAdminAssigned | DepartmentAdminRemoved | PersonMoved
            | GroupCreated | GroupRenamed | GroupDeleted | GroupMemberAdded | GroupMemberRemoved | ApiTokenCreated | ApiTokenRevoked
            | RefusedTokenUsed => Some(false),
        }
    }

    /// What the report adds after the label and the name of what the entry is about,
    /// from the details logged with it: nothing when the label says it all.
    pub fn note(self, details: &str) -> Option<String> {
        use Action::*;
        let d = details.trim();
        match self {
            Invited | InvitationResent | InvitationRevoked | InvitationLapsed | Incorporated | Deleted | InvitationAccepted
            | ExpiredRemoval | ViewedAs => None,
            GuestEdited if d == "name" => Some("name changed".into()),
            GuestEdited if d == "avatar" => Some("picture changed".into()),
            _ if d.is_empty() => None,
            _ => Some(d.to_string()),
        }
    }
}

/// What an entry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    Person,
    Invitation,
    Project,
    Department,
    Group,
    Token,
    Settings,
}

impl TargetKind {
    pub const ALL: [TargetKind; 7] = [
        TargetKind::Person,
        TargetKind::Invitation,
        TargetKind::Project,
        TargetKind::Department,
        TargetKind::Group,
        TargetKind::Token,
        TargetKind::Settings,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            TargetKind::Person => "person",
            TargetKind::Invitation => "invitation",
            TargetKind::Project => "project",
            TargetKind::Department => "department",
            TargetKind::Group => "group",
            TargetKind::Token => "token",
            TargetKind::Settings => "settings",
        }
    }

    pub fn from_db(s: &str) -> Option<TargetKind> {
        Self::ALL.into_iter().find(|k| k.as_db() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_and_target_round_trips_with_a_unique_key_and_a_label() {
        let mut keys = std::collections::HashSet::new();
        for a in Action::ALL {
            assert!(keys.insert(a.key()), "{a:?}");
            assert_eq!(Action::from_key(a.key()), Some(a));
            assert!(!a.label().is_empty());
        }
        assert_eq!(Action::from_key("nonsense"), None);
        for k in TargetKind::ALL {
            assert_eq!(TargetKind::from_db(k.as_db()), Some(k));
        }
        assert_eq!(Action::Incorporated.label(), "Incorporation");
        assert_eq!(Action::Invited.label(), "Invitation");
        assert_eq!(Action::Deleted.label(), "Deletion");
    }

    #[test]
    fn sections_follow_the_action_or_else_the_target() {
        let table = [
            (Action::Incorporated, Some(true)),
            (Action::Deleted, Some(true)),
            (Action::ExpiredRemoval, Some(true)),
            (Action::ExpiryChanged, Some(true)),
            (Action::RemovedFromProject, Some(true)),
            (Action::Invited, None),
            (Action::InvitationAccepted, None),
            (Action::InvitationLapsed, None),
            (Action::SettingsChanged, Some(false)),
            (Action::DepartmentCreated, Some(false)),
            (Action::GroupMemberAdded, Some(false)),
            (Action::MemberAdded, Some(false)),
        ];
        for (a, want) in table {
            assert_eq!(a.about_guest(), want, "{a:?}");
        }
    }

    #[test]
    fn notes_add_only_what_the_label_does_not_say() {
        assert_eq!(Action::Invited.note("guest invited (a@b.c)"), None);
        assert_eq!(Action::GuestEdited.note("name"), Some("name changed".into()));
        assert_eq!(Action::ExpiryChanged.note(" 1 month "), Some("1 month".into()));
        assert_eq!(Action::SettingsChanged.note(""), None);
        assert_eq!(Action::ProjectChanged.note("Apollo (archived)"), Some("Apollo (archived)".into()));
    }
}
