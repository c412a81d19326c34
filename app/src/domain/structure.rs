//! Groups and Departments (F-GUESTDEPT): who may change the department tree, move a
//! person between departments, manage groups and their members. Pure: the service layer
//! reads the organization's live departments into a [`DeptTree`] (inside the change's
//! transaction) and asks these rules with the facts it found.
//!
//! - Company Admins change the whole tree, never putting a department under itself or
//!   one of its descendants.
//! - Department Admins change the tree strictly below the departments they manage: never
//!   a managed department itself, never anything out of their subtree.
//! - The special Guests department is never changed; guests never move department and
//!   never join a group; the built-in group All is never edited.

use super::dept_tree::DeptTree;
use super::{DeptId, PersonKind, Role, Viewer};
use std::collections::BTreeSet;

/// Why a change to the organization's structure is refused, in words for the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StructureRefusal {
    /// The caller's role never allows it (403).
    #[error("Only admins manage departments and groups.")]
    NotAdmin,
    #[error("Only a Company Admin may do this.")]
    CompanyAdminOnly,
    /// The department is unknown, removed, of another organization or outside the
    /// caller's scope (404).
    #[error("This department was not found.")]
    DepartmentNotFound,
    #[error("This person was not found.")]
    PersonNotFound,
    /// The department named to move one under is unknown (the request's fault: 422, not
    /// a 404 of the department being moved).
    #[error("The department to move it under was not found.")]
    ParentNotFound,
    #[error("You manage this department: only a Company Admin may rename, move or delete it.")]
    ManagedDepartment,
    #[error("Only a Company Admin may add a top-level department.")]
    TopLevel,
    #[error("A department stays within the departments you manage.")]
    OutsideYourDepartments,
    #[error("A department cannot move under itself or one of its sub-departments.")]
    Cycle,
    #[error("The Guests department cannot be renamed, moved or deleted, and holds no other department.")]
    GuestsDepartment,
    #[error("Guests stay in the Guests department.")]
    GuestMoved,
    #[error("Guests cannot be added to groups.")]
    GuestInGroup,
    #[error("The group All holds every member automatically and cannot be edited.")]
    AllGroup,
    #[error("Guests cannot administer departments.")]
    GuestAdmin,
}

impl StructureRefusal {
    /// The HTTP status class: the caller's role (403), a target not theirs to know of
    /// (404), a rule of the structure (403 with its message), a bad request (400).
    pub fn kind(self) -> RefusalKind {
        use StructureRefusal::*;
        match self {
            NotAdmin | CompanyAdminOnly => RefusalKind::Forbidden,
            DepartmentNotFound | PersonNotFound => RefusalKind::NotFound,
            Cycle | ParentNotFound => RefusalKind::Invalid,
            ManagedDepartment | TopLevel | OutsideYourDepartments | GuestsDepartment | GuestMoved | GuestInGroup | AllGroup | GuestAdmin => {
                RefusalKind::Refused
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefusalKind {
    Forbidden,
    NotFound,
    Refused,
    Invalid,
}

/// A change to the department tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeptChange {
    /// A new department under `parent`, or at the top.
    Create { parent: Option<DeptId> },
    Rename(DeptId),
    /// `dept` moves under `to`, or to the top.
    Move { dept: DeptId, to: Option<DeptId> },
    Delete(DeptId),
}

/// The organization's live departments as the rules need them: the tree (the Guests
/// department included, as a root) and which one is the Guests department.
#[derive(Clone, Debug)]
pub struct Structure {
    pub tree: DeptTree,
    pub guests: DeptId,
}

impl Structure {
    /// The departments `viewer` administers: `None` for all of them (a Company Admin),
    /// the managed ones and their descendants for a Department Admin, none for anyone
    /// else.
    pub fn reach(&self, viewer: &Viewer) -> Option<BTreeSet<DeptId>> {
        match viewer.role() {
            Role::CompanyAdmin => None,
            Role::DepartmentAdmin => Some(self.tree.subtree(&viewer.managed_departments)),
            Role::User | Role::Guest => Some(BTreeSet::new()),
        }
    }

    /// Whether `dept` is an ordinary live department in `viewer`'s reach.
    pub fn reaches(&self, viewer: &Viewer, dept: DeptId) -> bool {
        self.ordinary(dept) && self.reach(viewer).is_none_or(|r| r.contains(&dept))
    }

    /// A live department of the organization other than Guests.
    pub fn ordinary(&self, dept: DeptId) -> bool {
        dept != self.guests && self.tree.contains(dept)
    }

    /// May `viewer` make this change to the tree?
    pub fn may_change(&self, viewer: &Viewer, change: DeptChange) -> Result<(), StructureRefusal> {
        use StructureRefusal::*;
        if !viewer.is_admin() {
            return Err(NotAdmin);
        }
        let known = |d: DeptId| if self.tree.contains(d) { Ok(()) } else { Err(DepartmentNotFound) };
        let not_guests = |d: DeptId| if d == self.guests { Err(GuestsDepartment) } else { Ok(()) };
        let reach = self.reach(viewer);
        let company = reach.is_none();
        let inside = |d: DeptId| reach.as_ref().is_none_or(|r| r.contains(&d));
        let managed = |d: DeptId| viewer.managed_departments.contains(&d);
        // The department changed itself: known, not Guests, in reach, not a managed one.
        let own = |d: DeptId| -> Result<(), StructureRefusal> {
            known(d)?;
            not_guests(d)?;
            if !inside(d) {
                return Err(DepartmentNotFound);
            }
            if !company && managed(d) {
                return Err(ManagedDepartment);
            }
            Ok(())
        };
        // A department something goes under: known, not Guests, in reach.
        let place = |p: Option<DeptId>| -> Result<(), StructureRefusal> {
            match p {
                None if company => Ok(()),
                None => Err(TopLevel),
                Some(p) => {
                    known(p)?;
                    not_guests(p)?;
                    if inside(p) {
                        Ok(())
                    } else {
                        Err(OutsideYourDepartments)
                    }
                }
            }
        };
        match change {
            DeptChange::Create { parent } => {
                if let Some(p) = parent {
                    // A Department Admin does not learn of departments outside their reach.
                    known(p)?;
                    if !company && p != self.guests && !inside(p) {
                        return Err(DepartmentNotFound);
                    }
                }
                place(parent)
            }
            DeptChange::Rename(d) | DeptChange::Delete(d) => own(d),
            DeptChange::Move { dept, to } => {
                own(dept)?;
                if let Some(p) = to {
                    if !self.tree.contains(p) {
                        return Err(ParentNotFound);
                    }
                }
                place(to)?;
                match to {
                    Some(p) if self.tree.would_cycle(dept, p) => Err(Cycle),
                    _ => Ok(()),
                }
            }
        }
    }

    /// May `viewer` move a person of `kind` from department `from` to `to`? Both must
    /// be in their reach; a guest never moves.
    pub fn may_move_person(&self, viewer: &Viewer, kind: PersonKind, from: DeptId, to: DeptId) -> Result<(), StructureRefusal> {
        use StructureRefusal::*;
        if !viewer.is_admin() {
            return Err(NotAdmin);
        }
        if kind == PersonKind::Guest {
            return Err(GuestMoved);
        }
        if !self.reaches(viewer, from) {
            return Err(PersonNotFound);
        }
        if to == self.guests {
            return Err(GuestsDepartment);
        }
        if !self.tree.contains(to) {
            return Err(DepartmentNotFound);
        }
        if !self.reaches(viewer, to) {
            return Err(OutsideYourDepartments);
        }
        Ok(())
    }

    /// May `viewer` add a person of `kind` in department `dept` to a group, or remove
    /// them from it? Company Admins for any member; Department Admins for the members of
    /// their reach; never a guest, never the group All.
    pub fn may_change_membership(&self, viewer: &Viewer, group_is_all: bool, kind: PersonKind, dept: DeptId) -> Result<(), StructureRefusal> {
        use StructureRefusal::*;
        if !viewer.is_admin() {
            return Err(NotAdmin);
        }
        if group_is_all {
            return Err(AllGroup);
        }
        if kind == PersonKind::Guest {
            return Err(GuestInGroup);
        }
        if !self.reaches(viewer, dept) {
            return Err(PersonNotFound);
        }
        Ok(())
    }
}

/// Creating, renaming and deleting groups: Company Admins, never the group All.
pub fn may_edit_group(viewer: &Viewer, group_is_all: bool) -> Result<(), StructureRefusal> {
    if viewer.role() != Role::CompanyAdmin {
        return Err(if viewer.is_admin() { StructureRefusal::CompanyAdminOnly } else { StructureRefusal::NotAdmin });
    }
    if group_is_all {
        return Err(StructureRefusal::AllGroup);
    }
    Ok(())
}

/// Assigning or removing a Department Admin: Company Admins, and only a member.
pub fn may_assign_admin(viewer: &Viewer, person: PersonKind) -> Result<(), StructureRefusal> {
    if viewer.role() != Role::CompanyAdmin {
        return Err(if viewer.is_admin() { StructureRefusal::CompanyAdminOnly } else { StructureRefusal::NotAdmin });
    }
    if person == PersonKind::Guest {
        return Err(StructureRefusal::GuestAdmin);
    }
    Ok(())
}

/// Why a department cannot be deleted yet, in words; `None` when it is empty.
pub fn deletion_blocked(members: i64, sub_departments: i64, guests: i64, invitations: i64) -> Option<String> {
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut keeps = Vec::new();
    if members > 0 {
        keeps.push(plural(members, "member", "members"));
    }
    if sub_departments > 0 {
        keeps.push(plural(sub_departments, "sub-department", "sub-departments"));
    }
    if guests > 0 {
        keeps.push(plural(guests, "sponsored guest", "sponsored guests"));
    }
    if invitations > 0 {
        keeps.push(plural(invitations, "pending invitation", "pending invitations"));
    }
    if keeps.is_empty() {
        return None;
    }
    let list = match keeps.len() {
        1 => keeps[0].clone(),
        n => format!("{} and {}", keeps[..n - 1].join(", "), keeps[n - 1]),
    };
    Some(format!("This department still has {list}: only an empty department can be deleted."))
}

#[cfg(test)]
mod tests {
    use super::DeptChange::*;
    use super::StructureRefusal::*;
    use super::*;
    use crate::domain::roles::test_viewer;

    // Root 1 ─┬─ Child 2 ── Grandchild 3
    //         └─ Sibling 4
    // Other 5; Guests 9.
    fn structure() -> Structure {
        let d = |i| DeptId(i);
        Structure {
            tree: DeptTree::new([(d(1), None), (d(2), Some(d(1))), (d(3), Some(d(2))), (d(4), Some(d(1))), (d(5), None), (d(9), None)]),
            guests: d(9),
        }
    }

    fn company() -> Viewer {
        test_viewer(PersonKind::Member, true, vec![], false)
    }
    /// Manages Child (2).
    fn dept_admin() -> Viewer {
        test_viewer(PersonKind::Member, false, vec![2], false)
    }
    fn user() -> Viewer {
        test_viewer(PersonKind::Member, false, vec![], true)
    }
    fn guest() -> Viewer {
        test_viewer(PersonKind::Guest, false, vec![], false)
    }

    fn d(i: i64) -> DeptId {
        DeptId(i)
    }

    #[test]
    fn tree_changes_by_role_and_place() {
        let s = structure();
        let ok = Ok(());
        // (change, by a Company Admin, by the Department Admin of Child); users and
        // guests never.
        let table: Vec<(DeptChange, Result<(), StructureRefusal>, Result<(), StructureRefusal>)> = vec![
            (Create { parent: None }, ok, Err(TopLevel)),
            (Create { parent: Some(d(1)) }, ok, Err(DepartmentNotFound)),
            (Create { parent: Some(d(2)) }, ok, ok),
            (Create { parent: Some(d(3)) }, ok, ok),
            (Create { parent: Some(d(9)) }, Err(GuestsDepartment), Err(GuestsDepartment)),
            (Create { parent: Some(d(77)) }, Err(DepartmentNotFound), Err(DepartmentNotFound)),
            (Rename(d(1)), ok, Err(DepartmentNotFound)),
            (Rename(d(2)), ok, Err(ManagedDepartment)),
            (Rename(d(3)), ok, ok),
            (Rename(d(9)), Err(GuestsDepartment), Err(GuestsDepartment)),
            (Rename(d(77)), Err(DepartmentNotFound), Err(DepartmentNotFound)),
            (Delete(d(2)), ok, Err(ManagedDepartment)),
            (Delete(d(3)), ok, ok),
            (Delete(d(5)), ok, Err(DepartmentNotFound)),
            (Delete(d(9)), Err(GuestsDepartment), Err(GuestsDepartment)),
            (Move { dept: d(3), to: None }, ok, Err(TopLevel)),
            (Move { dept: d(3), to: Some(d(2)) }, ok, ok),
            (Move { dept: d(3), to: Some(d(4)) }, ok, Err(OutsideYourDepartments)),
            (Move { dept: d(3), to: Some(d(9)) }, Err(GuestsDepartment), Err(GuestsDepartment)),
            (Move { dept: d(2), to: Some(d(3)) }, Err(Cycle), Err(ManagedDepartment)),
            (Move { dept: d(2), to: Some(d(2)) }, Err(Cycle), Err(ManagedDepartment)),
            (Move { dept: d(1), to: Some(d(3)) }, Err(Cycle), Err(DepartmentNotFound)),
            (Move { dept: d(4), to: Some(d(5)) }, ok, Err(DepartmentNotFound)),
            (Move { dept: d(9), to: Some(d(1)) }, Err(GuestsDepartment), Err(GuestsDepartment)),
            (Move { dept: d(3), to: Some(d(77)) }, Err(ParentNotFound), Err(ParentNotFound)),
            (Move { dept: d(4), to: Some(d(77)) }, Err(ParentNotFound), Err(DepartmentNotFound)),
        ];
        for (change, by_company, by_dept_admin) in table {
            assert_eq!(s.may_change(&company(), change), by_company, "Company Admin: {change:?}");
            assert_eq!(s.may_change(&dept_admin(), change), by_dept_admin, "Department Admin: {change:?}");
            assert_eq!(s.may_change(&user(), change), Err(NotAdmin), "user: {change:?}");
            assert_eq!(s.may_change(&guest(), change), Err(NotAdmin), "guest: {change:?}");
        }
    }

    #[test]
    fn a_department_admin_moving_a_grandchild_under_its_own_child_is_a_cycle() {
        let s = Structure { tree: DeptTree::new([(d(1), None), (d(2), Some(d(1))), (d(3), Some(d(2))), (d(6), Some(d(3))), (d(9), None)]), guests: d(9) };
        assert_eq!(s.may_change(&test_viewer(PersonKind::Member, false, vec![1], false), Move { dept: d(2), to: Some(d(6)) }), Err(Cycle));
    }

    #[test]
    fn moving_people() {
        let s = structure();
        let m = PersonKind::Member;
        let g = PersonKind::Guest;
        let table = [
            (company(), m, 1, 5, Ok(())),
            (company(), m, 1, 9, Err(GuestsDepartment)),
            (company(), m, 1, 77, Err(DepartmentNotFound)),
            (company(), g, 9, 1, Err(GuestMoved)),
            (dept_admin(), m, 2, 3, Ok(())),
            (dept_admin(), m, 3, 2, Ok(())),
            (dept_admin(), m, 3, 1, Err(OutsideYourDepartments)),
            (dept_admin(), m, 1, 3, Err(PersonNotFound)),
            (dept_admin(), g, 9, 3, Err(GuestMoved)),
            (user(), m, 1, 5, Err(NotAdmin)),
            (guest(), m, 1, 5, Err(NotAdmin)),
        ];
        for (viewer, kind, from, to, expected) in table {
            assert_eq!(s.may_move_person(&viewer, kind, d(from), d(to)), expected, "{:?} {kind:?} {from}→{to}", viewer.role());
        }
    }

    #[test]
    fn group_membership() {
        let s = structure();
        let m = PersonKind::Member;
        let g = PersonKind::Guest;
        let table = [
            (company(), false, m, 1, Ok(())),
            (company(), true, m, 1, Err(AllGroup)),
            (company(), false, g, 9, Err(GuestInGroup)),
            (dept_admin(), false, m, 3, Ok(())),
            (dept_admin(), false, m, 1, Err(PersonNotFound)),
            (dept_admin(), false, g, 9, Err(GuestInGroup)),
            (dept_admin(), true, m, 3, Err(AllGroup)),
            (user(), false, m, 1, Err(NotAdmin)),
            (guest(), false, m, 1, Err(NotAdmin)),
        ];
        for (viewer, is_all, kind, dept, expected) in table {
            assert_eq!(s.may_change_membership(&viewer, is_all, kind, d(dept)), expected, "{:?} all={is_all} {kind:?} in {dept}", viewer.role());
        }
    }

    #[test]
    fn editing_groups_and_assigning_admins_is_for_company_admins() {
        assert_eq!(may_edit_group(&company(), false), Ok(()));
        assert_eq!(may_edit_group(&company(), true), Err(AllGroup));
        assert_eq!(may_edit_group(&dept_admin(), false), Err(CompanyAdminOnly));
        assert_eq!(may_edit_group(&user(), false), Err(NotAdmin));
        assert_eq!(may_edit_group(&guest(), false), Err(NotAdmin));
        assert_eq!(may_assign_admin(&company(), PersonKind::Member), Ok(()));
        assert_eq!(may_assign_admin(&company(), PersonKind::Guest), Err(GuestAdmin));
        assert_eq!(may_assign_admin(&dept_admin(), PersonKind::Member), Err(CompanyAdminOnly));
        assert_eq!(may_assign_admin(&guest(), PersonKind::Member), Err(NotAdmin));
    }

    #[test]
    fn reach_by_role() {
        let s = structure();
        assert_eq!(s.reach(&company()), None);
        assert_eq!(s.reach(&dept_admin()), Some([d(2), d(3)].into_iter().collect()));
        assert_eq!(s.reach(&user()), Some(BTreeSet::new()));
        assert!(s.reaches(&company(), d(5)));
        assert!(!s.reaches(&company(), d(9)), "Guests is not an ordinary department");
        assert!(!s.reaches(&dept_admin(), d(1)));
        assert!(s.reaches(&dept_admin(), d(3)));
    }

    #[test]
    fn what_keeps_a_department() {
        assert_eq!(deletion_blocked(0, 0, 0, 0), None);
        assert_eq!(
            deletion_blocked(1, 0, 0, 0).as_deref(),
            Some("This department still has 1 member: only an empty department can be deleted.")
        );
        assert_eq!(
            deletion_blocked(2, 1, 3, 0).as_deref(),
            Some("This department still has 2 members, 1 sub-department and 3 sponsored guests: only an empty department can be deleted.")
        );
        assert!(deletion_blocked(0, 0, 0, 2).unwrap().contains("2 pending invitations"));
    }

    #[test]
    fn every_refusal_has_a_status_class() {
        assert_eq!(GuestMoved.kind(), RefusalKind::Refused);
        assert_eq!(GuestMoved.to_string(), "Guests stay in the Guests department.");
        assert_eq!(DepartmentNotFound.kind(), RefusalKind::NotFound);
        assert_eq!(Cycle.kind(), RefusalKind::Invalid);
        assert_eq!(NotAdmin.kind(), RefusalKind::Forbidden);
    }
}
