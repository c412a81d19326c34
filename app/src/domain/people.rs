//! What a person is: member or guest, active or removed, and a guest's project permission.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PersonKind {
    Member,
    Guest,
}

impl PersonKind {
    pub fn as_db(self) -> &'static str {
        match self {
            PersonKind::Member => "member",
            PersonKind::Guest => "guest",
        }
    }

    pub fn from_db(s: &str) -> Option<PersonKind> {
        match s {
            "member" => Some(PersonKind::Member),
            "guest" => Some(PersonKind::Guest),
            _ => None,
        }
    }
}

/// Removed people stay as records (the activity log keeps their names) but appear in no
/// list, count or quota and cannot sign in. Disabled people are kept in lists but cannot
/// sign in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PersonState {
    Active,
    Disabled,
    Removed,
}

impl PersonState {
    pub fn as_db(self) -> &'static str {
        match self {
            PersonState::Active => "active",
            PersonState::Disabled => "disabled",
            PersonState::Removed => "removed",
        }
    }

    pub fn from_db(s: &str) -> Option<PersonState> {
        match s {
            "active" => Some(PersonState::Active),
            "disabled" => Some(PersonState::Disabled),
            "removed" => Some(PersonState::Removed),
            _ => None,
        }
    }
}

/// What a person may do in a project: edit (add and tick tasks) or only look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    Edit,
    ReadOnly,
}

impl Permission {
    pub fn as_db(self) -> &'static str {
        match self {
            Permission::Edit => "edit",
            Permission::ReadOnly => "read_only",
        }
    }

    pub fn from_db(s: &str) -> Option<Permission> {
        match s {
            "edit" => Some(Permission::Edit),
            "read_only" => Some(Permission::ReadOnly),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Permission::Edit => "Edit",
            Permission::ReadOnly => "Read-only",
        }
    }
}

/// The "User ID" column: the mobile number when known, else the number Lobby assigned.
pub fn user_id_label(mobile: Option<&str>, person_number: i64) -> String {
    match mobile {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => person_number.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn db_names_round_trip() {
        for k in [PersonKind::Member, PersonKind::Guest] {
            assert_eq!(PersonKind::from_db(k.as_db()), Some(k));
        }
        for s in [PersonState::Active, PersonState::Disabled, PersonState::Removed] {
            assert_eq!(PersonState::from_db(s.as_db()), Some(s));
        }
        for p in [Permission::Edit, Permission::ReadOnly] {
            assert_eq!(Permission::from_db(p.as_db()), Some(p));
        }
        // The data layer decodes these columns through `from_db`: anything else stored
        // is a decoding error, not a default.
        assert_eq!(PersonKind::from_db("admin"), None);
        assert_eq!(Permission::from_db("Edit"), None);
    }

    #[test]
    fn user_id_prefers_the_mobile_number() {
        assert_eq!(user_id_label(Some("+33612345678"), 4588), "+33612345678");
        assert_eq!(user_id_label(None, 4588), "4588");
        assert_eq!(user_id_label(Some(""), 4588), "4588");
    }
}

/// When a person last signed in, as Lobby can tell (recorded since the
/// `last_seen_recorded_since` date of the database).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LastSignIn {
    /// At this time (unix ms).
    At(i64),
    /// Not once since they joined, which was after recording began.
    Never,
    /// Not since recording began (unix ms); they may have before.
    UnknownBefore(i64),
}

impl LastSignIn {
    /// From the stored `last_seen_at`, when the person joined and when recording began.
    pub fn of(last_seen_at: Option<i64>, joined_at: i64, recorded_since: i64) -> LastSignIn {
        match last_seen_at {
            Some(t) => LastSignIn::At(t),
            None if joined_at >= recorded_since => LastSignIn::Never,
            None => LastSignIn::UnknownBefore(recorded_since),
        }
    }

    pub fn label(self) -> String {
        match self {
            LastSignIn::At(t) => crate::domain::expiry::format_utc(t),
            LastSignIn::Never => "Never signed in".to_string(),
            LastSignIn::UnknownBefore(since) => format!(
                "Unknown (before {})",
                chrono::DateTime::from_timestamp_millis(since).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
            ),
        }
    }
}

#[cfg(test)]
mod last_sign_in_tests {
    use super::*;

    #[test]
    fn last_sign_in_is_never_only_when_recording_covers_the_whole_membership() {
        let since = 1_795_000_000_000; // 2026-11-18 11:06:40 UTC
        assert_eq!(LastSignIn::of(Some(5), 0, since), LastSignIn::At(5));
        assert_eq!(LastSignIn::of(None, since + 1, since), LastSignIn::Never);
        assert_eq!(LastSignIn::of(None, since, since), LastSignIn::Never);
        assert_eq!(LastSignIn::of(None, since - 1, since), LastSignIn::UnknownBefore(since));
        assert_eq!(LastSignIn::UnknownBefore(since).label(), "Unknown (before 2026-11-18)");
        assert_eq!(LastSignIn::Never.label(), "Never signed in");
        assert_eq!(LastSignIn::At(since).label(), "2026-11-18 11:06 UTC");
    }
}

/// "First Last" as a person is shown and named in messages: either part may be empty
/// (a member known by one name), never a stray space.
pub fn full_name(first: &str, last: &str) -> String {
    format!("{first} {last}").trim().to_string()
}
