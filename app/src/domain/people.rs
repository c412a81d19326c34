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
        assert_eq!(PersonKind::from_db("admin"), None);
    }

    #[test]
    fn user_id_prefers_the_mobile_number() {
        assert_eq!(user_id_label(Some("+33612345678"), 4588), "+33612345678");
        assert_eq!(user_id_label(None, 4588), "4588");
        assert_eq!(user_id_label(Some(""), 4588), "4588");
    }
}
