//! API tokens' rules (F-API): their scopes, who may grant which, their names and
//! lifetimes. A token acts for its owner: what a request may do is its scopes
//! intersected with what the owner may do at that moment, so these rules only say what
//! a token may carry; the owner's role and departments are checked by the same access
//! rules as the console's, on every request.

use super::{InvalidInput, Role};
use serde::{Deserialize, Serialize};

/// What a token may be used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    ReadGuests,
    ManageGuests,
    ManageInvitations,
    ReadActivity,
    ManageSettings,
    AskPolicy,
}

impl Scope {
    pub const ALL: [Scope; 6] = [Scope::ReadGuests, Scope::ManageGuests, Scope::ManageInvitations, Scope::ReadActivity, Scope::ManageSettings, Scope::AskPolicy];

    pub fn key(self) -> &'static str {
        match self {
            Scope::ReadGuests => "read_guests",
            Scope::ManageGuests => "manage_guests",
            Scope::ManageInvitations => "manage_invitations",
            Scope::ReadActivity => "read_activity",
            Scope::ManageSettings => "manage_settings",
            Scope::AskPolicy => "ask_policy",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Scope::ReadGuests => "Read guests",
            Scope::ManageGuests => "Manage guests",
            Scope::ManageInvitations => "Manage invitations",
            Scope::ReadActivity => "Read activity",
            Scope::ManageSettings => "Manage settings",
            Scope::AskPolicy => "Ask policy",
        }
    }

    pub fn from_key(key: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Whether a token carrying `self` may do what needs `needed`: managing guests
    /// includes reading them (nobody changes what they may not see).
    pub fn covers(self, needed: Scope) -> bool {
        self == needed || (self == Scope::ManageGuests && needed == Scope::ReadGuests)
    }

    /// Whether a person of `role` may give a token this scope: admins only, and
    /// "Manage settings" only a Company Admin (settings are the organization's).
    pub fn grantable_by(self, role: Role) -> bool {
        match role {
            Role::CompanyAdmin => true,
            Role::DepartmentAdmin => self != Scope::ManageSettings,
            Role::User | Role::Guest => false,
        }
    }
}

/// Whether the scopes of a token allow what needs `needed`.
pub fn allows(scopes: &[Scope], needed: Scope) -> bool {
    scopes.iter().any(|s| s.covers(needed))
}

/// Whether a person of `role` may own a working token at all: a token of someone no
/// longer an admin (demoted, incorporated elsewhere, removed) stops at once.
pub fn owner_may_use(role: Role) -> bool {
    matches!(role, Role::CompanyAdmin | Role::DepartmentAdmin)
}

/// The longest a token may live, in days; every token expires.
pub const MAX_DAYS: i64 = 365;
/// The longest name.
pub const MAX_NAME_CHARS: usize = 80;
/// Days before expiry when the owner is told.
pub const EXPIRY_NOTICE_DAYS: i64 = 7;
/// "Last used" is written at most this often per token (ms).
pub const LAST_USED_EVERY_MS: i64 = 60_000;
/// A refused use of a revoked or expired token is logged at most this often (ms).
pub const REFUSED_LOG_EVERY_MS: i64 = 3_600_000;

/// A token's name: trimmed, 1 to [`MAX_NAME_CHARS`] characters, no control characters.
pub fn check_name(name: &str) -> Result<String, InvalidInput> {
    let n = name.trim();
    if n.is_empty() {
        return Err(InvalidInput("Give the token a name, e.g. what will use it.".into()));
    }
    if n.chars().count() > MAX_NAME_CHARS {
        return Err(InvalidInput(format!("A token's name has at most {MAX_NAME_CHARS} characters.")));
    }
    if n.chars().any(char::is_control) {
        return Err(InvalidInput("A token's name cannot contain control characters.".into()));
    }
    Ok(n.to_string())
}

/// The lifetime in days: 1 to [`MAX_DAYS`].
pub fn check_days(days: i64) -> Result<i64, InvalidInput> {
    if (1..=MAX_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(InvalidInput(format!("A token expires after 1 to {MAX_DAYS} days.")))
    }
}

/// The scopes a person of `role` asks for, from their keys (separated by commas or
/// spaces, as the command line and the stored column write them): at least one, each
/// known and grantable, in a stable order without repeats.
pub fn parse_scopes(keys: &str, role: Role) -> Result<Vec<Scope>, InvalidInput> {
    let mut out = Vec::new();
    for key in keys.split([',', ' ']).map(str::trim).filter(|k| !k.is_empty()) {
        let s = Scope::from_key(key).ok_or_else(|| {
            InvalidInput(format!("Unknown scope \"{}\". Scopes: {}.", key.chars().take(40).collect::<String>(), Scope::ALL.map(Scope::key).join(", ")))
        })?;
        out.push(s);
    }
    check_scopes(out, role)
}

/// [`parse_scopes`] for scopes already typed.
pub fn check_scopes(mut scopes: Vec<Scope>, role: Role) -> Result<Vec<Scope>, InvalidInput> {
    scopes.sort();
    scopes.dedup();
    if scopes.is_empty() {
        return Err(InvalidInput("Choose at least one scope.".into()));
    }
    if let Some(s) = scopes.iter().find(|s| !s.grantable_by(role)) {
        return Err(InvalidInput(format!("A {} cannot give a token \"{}\".", role.label(), s.label())));
    }
    Ok(scopes)
}

/// The stored form of scopes: their keys, space-separated.
pub fn scopes_text(scopes: &[Scope]) -> String {
    scopes.iter().map(|s| s.key()).collect::<Vec<_>>().join(" ")
}

/// Reads the stored form back, ignoring keys this version does not know.
pub fn scopes_of_text(text: &str) -> Vec<Scope> {
    text.split(' ').filter_map(Scope::from_key).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_may_grant_what() {
        use Role::*;
        let table = [
            (CompanyAdmin, Scope::ManageSettings, true),
            (CompanyAdmin, Scope::ReadGuests, true),
            (DepartmentAdmin, Scope::ManageSettings, false),
            (DepartmentAdmin, Scope::ManageInvitations, true),
            (DepartmentAdmin, Scope::AskPolicy, true),
            (User, Scope::ReadGuests, false),
            (Guest, Scope::AskPolicy, false),
        ];
        for (role, scope, want) in table {
            assert_eq!(scope.grantable_by(role), want, "{role:?} {scope:?}");
        }
        assert!(owner_may_use(CompanyAdmin) && owner_may_use(DepartmentAdmin));
        assert!(!owner_may_use(User) && !owner_may_use(Guest));
    }

    #[test]
    fn scopes_cover_what_they_name_and_managing_covers_reading() {
        assert!(allows(&[Scope::ManageGuests], Scope::ReadGuests));
        assert!(allows(&[Scope::ManageGuests], Scope::ManageGuests));
        assert!(!allows(&[Scope::ReadGuests], Scope::ManageGuests));
        assert!(!allows(&[Scope::ManageInvitations], Scope::ReadGuests));
        assert!(!allows(&[], Scope::AskPolicy));
        for s in Scope::ALL {
            assert!(allows(&[s], s));
            assert_eq!(Scope::from_key(s.key()), Some(s));
        }
    }

    #[test]
    fn scope_lists_parse_or_say_why_not() {
        let ok = |k: &str, r| parse_scopes(k, r).unwrap();
        assert_eq!(ok("read_guests,manage_invitations", Role::DepartmentAdmin), [Scope::ReadGuests, Scope::ManageInvitations]);
        assert_eq!(ok(" ask_policy  read_guests ask_policy", Role::CompanyAdmin), [Scope::ReadGuests, Scope::AskPolicy]);
        for (keys, role) in [("", Role::CompanyAdmin), (" , ", Role::CompanyAdmin), ("read_everything", Role::CompanyAdmin), ("manage_settings", Role::DepartmentAdmin), ("read_guests", Role::User)] {
            assert!(parse_scopes(keys, role).is_err(), "{keys:?} {role:?}");
        }
        let all = Scope::ALL.to_vec();
        assert_eq!(scopes_of_text(&scopes_text(&all)), all);
        assert_eq!(scopes_of_text("read_guests retired_scope"), [Scope::ReadGuests]);
    }

    #[test]
    fn names_and_lifetimes_are_bounded() {
        assert_eq!(check_name("  HR offboarding ").unwrap(), "HR offboarding");
        assert!(check_name("   ").is_err());
        assert!(check_name(&"x".repeat(81)).is_err());
        assert!(check_name(&"é".repeat(80)).is_ok());
        assert!(check_name("a\u{7}b").is_err());
        for (days, ok) in [(0, false), (1, true), (90, true), (365, true), (366, false), (-5, false)] {
            assert_eq!(check_days(days).is_ok(), ok, "{days}");
        }
    }
}
