//! Rules of the Guests list: its sort orders, the limits of a selection, and when a bulk
//! action (Incorporate, Delete) may go ahead — all selected guests eligible, or nothing.

use super::{PersonId, PersonKind, PersonState};
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: i64 = super::paging::GUESTS_PAGE;
/// The most guests one bulk action takes.
pub const MAX_SELECTION: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GuestSort {
    FirstName,
    LastName,
    UserId,
    InvitedBy,
    InvitationDate,
    Department,
    Project,
    Permission,
    TimeLeft,
}

impl GuestSort {
    pub const ALL: [GuestSort; 9] = [
        GuestSort::FirstName,
        GuestSort::LastName,
        GuestSort::UserId,
        GuestSort::InvitedBy,
        GuestSort::InvitationDate,
        GuestSort::Department,
        GuestSort::Project,
        GuestSort::Permission,
        GuestSort::TimeLeft,
    ];

    /// Whether the list's order under this sort is by a number (a date) rather than by
    /// text: its page cursors carry a number.
    pub fn numeric_key(self) -> bool {
        matches!(self, GuestSort::InvitationDate | GuestSort::TimeLeft)
    }

    /// A page cursor the client sent back for this sort, or why it is not one.
    pub fn position(self, cursor: Option<&str>) -> Result<super::paging::Position, super::InvalidInput> {
        if self.numeric_key() {
            super::paging::Position::parse_numeric(cursor)
        } else {
            super::paging::Position::parse_text(cursor)
        }
    }

    /// The column header, as the list shows it.
    pub fn label(self) -> &'static str {
        match self {
            GuestSort::FirstName => "First Name",
            GuestSort::LastName => "Last Name",
            GuestSort::UserId => "User ID",
            GuestSort::InvitedBy => "Invited By",
            GuestSort::InvitationDate => "Invitation Date",
            GuestSort::Department => "Group / Department",
            GuestSort::Project => "Project",
            GuestSort::Permission => "Permission",
            GuestSort::TimeLeft => "Time left",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SortDir {
    Asc,
    Desc,
}

impl SortDir {
    pub fn flip(self) -> SortDir {
        match self {
            SortDir::Asc => SortDir::Desc,
            SortDir::Desc => SortDir::Asc,
        }
    }
}

/// A selected person as the database holds them right now, inside the action's
/// transaction. `in_scope` is false for people outside the caller's departments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectedPerson {
    pub id: PersonId,
    pub kind: PersonKind,
    pub state: PersonState,
    pub name: String,
    pub in_scope: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BulkRefusal {
    #[error("Select at least one guest.")]
    Empty,
    #[error("Select at most {MAX_SELECTION} guests at a time.")]
    TooMany,
    /// Unknown ids, ids of another organization and ids outside the caller's scope alike:
    /// their names are not revealed.
    #[error("{0} of the selected guests could not be found. Reload the list and try again.")]
    NotFound(usize),
    #[error("Nothing was changed: {}. Reload the list and try again.", .0.join("; "))]
    NotEligible(Vec<String>),
}

/// The selection itself, before anything is looked up: at least one guest and at most
/// [`MAX_SELECTION`] (counted before duplicates go, so a huge request is refused without
/// any work). Returns the ids sorted, without duplicates.
pub fn check_selection(selected: &[PersonId]) -> Result<Vec<PersonId>, BulkRefusal> {
    if selected.len() > MAX_SELECTION {
        return Err(BulkRefusal::TooMany);
    }
    let mut ids: Vec<PersonId> = selected.to_vec();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Err(BulkRefusal::Empty);
    }
    Ok(ids)
}

/// Decides whether a bulk action on `selected` may go ahead, given what the database
/// holds for those ids (`found`). All or nothing.
pub fn check_bulk(selected: &[PersonId], found: &[SelectedPerson]) -> Result<Vec<PersonId>, BulkRefusal> {
    let ids = check_selection(selected)?;
    let missing = ids
        .iter()
        .filter(|id| !found.iter().any(|f| f.id == **id && f.in_scope))
        .count();
    if missing > 0 {
        return Err(BulkRefusal::NotFound(missing));
    }
    let reasons: Vec<String> = ids
        .iter()
        .filter_map(|id| found.iter().find(|f| f.id == *id))
        .filter_map(|f| match (f.state, f.kind) {
            (PersonState::Removed, _) => Some(format!("{} was already deleted", f.name)),
            (_, PersonKind::Member) => Some(format!("{} is already a member", f.name)),
            _ => None,
        })
        .collect();
    if !reasons.is_empty() {
        return Err(BulkRefusal::NotEligible(reasons));
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: i64, kind: PersonKind, state: PersonState, in_scope: bool) -> SelectedPerson {
        SelectedPerson { id: PersonId(id), kind, state, name: format!("Guest {id}"), in_scope }
    }

    #[test]
    fn eligible_guests_pass_deduplicated() {
        let found = [p(1, PersonKind::Guest, PersonState::Active, true), p(2, PersonKind::Guest, PersonState::Disabled, true)];
        assert_eq!(
            check_bulk(&[PersonId(2), PersonId(1), PersonId(2)], &found).unwrap(),
            vec![PersonId(1), PersonId(2)]
        );
    }

    #[test]
    fn empty_and_oversized_selections_are_refused() {
        assert_eq!(check_bulk(&[], &[]).unwrap_err(), BulkRefusal::Empty);
        let many: Vec<PersonId> = (0..=MAX_SELECTION as i64).map(PersonId).collect();
        assert_eq!(check_bulk(&many, &[]).unwrap_err(), BulkRefusal::TooMany);
        assert_eq!(check_selection(&many).unwrap_err(), BulkRefusal::TooMany);
        // Counted as sent: 40,000 copies of one id are refused without any lookup.
        assert_eq!(check_selection(&vec![PersonId(1); 40_000]).unwrap_err(), BulkRefusal::TooMany);
        assert_eq!(check_selection(&[PersonId(3), PersonId(1), PersonId(3)]).unwrap(), vec![PersonId(1), PersonId(3)]);
    }

    #[test]
    fn unknown_or_out_of_scope_ids_are_not_found_without_names() {
        let found = [p(1, PersonKind::Guest, PersonState::Active, true), p(2, PersonKind::Guest, PersonState::Active, false)];
        let e = check_bulk(&[PersonId(1), PersonId(2), PersonId(3)], &found).unwrap_err();
        assert_eq!(e, BulkRefusal::NotFound(2));
        assert!(!e.to_string().contains("Guest 2"));
    }

    #[test]
    fn one_ineligible_guest_refuses_all_and_says_why() {
        let found = [
            p(1, PersonKind::Guest, PersonState::Active, true),
            p(2, PersonKind::Member, PersonState::Active, true),
            p(3, PersonKind::Guest, PersonState::Removed, true),
        ];
        let e = check_bulk(&[PersonId(1), PersonId(2), PersonId(3)], &found).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Nothing was changed: Guest 2 is already a member; Guest 3 was already deleted. Reload the list and try again."
        );
    }
}
