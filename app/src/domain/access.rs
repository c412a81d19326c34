//! Who may do what to whom: every access rule of Lobby, once. The service layer asks
//! these functions with the facts it read (inside the change's transaction when it
//! writes); the browser uses none of them to decide anything.
//!
//! A refusal is either [`Denied::Forbidden`] — the caller's role never allows it (403) —
//! or [`Denied::NotFound`] — the target is unknown, of another organization or outside
//! the caller's scope, and its existence is not revealed (404).

use super::{Permission, PersonId, PersonKind, Role, Viewer};

/// Why an access rule refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    /// The caller's role never allows this (403).
    Forbidden,
    /// The target is not one the caller may know of (404).
    NotFound,
}

/// How a target person or object stands to the viewer, as the data layer found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// The viewer themself.
    Itself,
    /// In the viewer's admin scope: a Company Admin's organization, or (by sponsor for a
    /// guest, by department for a member) a Department Admin's departments and below.
    InScope,
    /// Of the viewer's organization, outside their admin scope (or they have none).
    OutOfScope,
    /// Of another organization (or unknown).
    OtherOrganization,
}

/// Pages and doors for admins only: Company Admins and Department Admins.
pub fn admin_only(viewer: &Viewer) -> Result<(), Denied> {
    if viewer.is_admin() {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}

/// Doors for Company Admins only: settings, the outbox, who may invite.
pub fn company_admin_only(viewer: &Viewer) -> Result<(), Denied> {
    if viewer.role() == Role::CompanyAdmin {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}

/// Doors for every member (not guests): inviting, the invitations list, reminders.
pub fn members_only(viewer: &Viewer) -> Result<(), Denied> {
    if viewer.role() == Role::Guest {
        Err(Denied::Forbidden)
    } else {
        Ok(())
    }
}

/// Acting on a guest as an admin (details, Incorporate, Delete, rename, avatar, project
/// membership): admins, on guests in their scope.
pub fn may_administer_guest(viewer: &Viewer, guest: Relation) -> Result<(), Denied> {
    admin_only(viewer)?;
    match guest {
        Relation::InScope => Ok(()),
        _ => Err(Denied::NotFound),
    }
}

/// Setting a guest's expiry (the Expiration setting, a project's member list, a
/// reminder's Extend and Let expire): admins on guests in their scope, and the person
/// who invited the guest; never a guest.
pub fn may_set_expiry(viewer: &Viewer, guest: Relation, invited_by_viewer: bool) -> Result<(), Denied> {
    members_only(viewer)?;
    if guest == Relation::OtherOrganization {
        return Err(Denied::NotFound);
    }
    if invited_by_viewer || (viewer.is_admin() && guest == Relation::InScope) {
        Ok(())
    } else {
        Err(Denied::NotFound)
    }
}

/// Resending or revoking an invitation: the person who sent it, Company Admins, and
/// Department Admins for invitations of their departments.
pub fn may_manage_invitation(viewer: &Viewer, invitation: Relation, sent_by_viewer: bool) -> Result<(), Denied> {
    members_only(viewer)?;
    match invitation {
        Relation::OtherOrganization => Err(Denied::NotFound),
        _ if sent_by_viewer => Ok(()),
        Relation::InScope if viewer.is_admin() => Ok(()),
        _ => Err(Denied::NotFound),
    }
}

/// Whether the viewer may see a person in a list, a search or a card (F-VISIBILITY):
/// nobody sees another organization; a guest sees themself and members, never another
/// guest; everyone else sees the people of their organization.
pub fn may_see_person(viewer: &Viewer, target: PersonKind, relation: Relation) -> bool {
    match relation {
        Relation::OtherOrganization => false,
        Relation::Itself => true,
        Relation::InScope | Relation::OutOfScope => !(viewer.kind == PersonKind::Guest && target == PersonKind::Guest),
    }
}

/// View as (F-VIEWAS): Company Admins look through the eyes of anyone of their
/// organization, Department Admins of the people in their scope (members by department,
/// guests by sponsor); users and guests never.
pub fn may_view_as(viewer: &Viewer, relation: Relation) -> Result<(), Denied> {
    admin_only(viewer)?;
    match relation {
        Relation::Itself | Relation::InScope => Ok(()),
        Relation::OutOfScope | Relation::OtherOrganization => Err(Denied::NotFound),
    }
}

/// Whether `viewer` sees a guest of a project on the project's page:
/// - a guest sees only themself (a guest never sees another guest);
/// - a Company Admin sees every guest;
/// - a Department Admin only the guests sponsored by the departments they manage
///   (`in_admin_scope`) and the guests they invited themselves, even in a project they
///   work in;
/// - a user sees the guests of the projects they work in (they only reach those pages).
pub fn sees_project_guest(viewer: &Viewer, guest: PersonId, in_admin_scope: bool, invited_by_viewer: bool) -> bool {
    match viewer.role() {
        Role::Guest => guest == viewer.id,
        Role::CompanyAdmin => true,
        Role::DepartmentAdmin => in_admin_scope || invited_by_viewer,
        Role::User => true,
    }
}

/// The viewer's permission in a project of their organization: admins edit every
/// project; anyone else has the permission of their membership, or no access (`None`,
/// answered as "not found").
pub fn project_permission(viewer: &Viewer, membership: Option<Permission>) -> Option<Permission> {
    if viewer.is_admin() {
        Some(Permission::Edit)
    } else {
        membership
    }
}

/// Changing a project's content (tasks): edit permission, and the project not archived.
pub fn may_change_project(permission: Permission, archived: bool) -> Result<(), ProjectRefusal> {
    if permission != Permission::Edit {
        return Err(ProjectRefusal::ReadOnly);
    }
    if archived {
        return Err(ProjectRefusal::Archived);
    }
    Ok(())
}

/// Why a project's content may not change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProjectRefusal {
    #[error("You have read-only access to this project.")]
    ReadOnly,
    #[error("This project is archived.")]
    Archived,
}

/// The role a person has, as lists label it.
pub fn role_of(kind: PersonKind, is_company_admin: bool, manages_departments: bool) -> Role {
    match kind {
        PersonKind::Guest => Role::Guest,
        PersonKind::Member if is_company_admin => Role::CompanyAdmin,
        PersonKind::Member if manages_departments => Role::DepartmentAdmin,
        PersonKind::Member => Role::User,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Relation::*;

    fn viewer(kind: PersonKind, company_admin: bool, managed: Vec<i64>) -> Viewer {
        crate::domain::roles::test_viewer(kind, company_admin, managed, false)
    }

    /// The four kinds of viewer.
    fn viewers() -> [(Role, Viewer); 4] {
        [
            (Role::CompanyAdmin, viewer(PersonKind::Member, true, vec![])),
            (Role::DepartmentAdmin, viewer(PersonKind::Member, false, vec![7])),
            (Role::User, viewer(PersonKind::Member, false, vec![])),
            (Role::Guest, viewer(PersonKind::Guest, false, vec![])),
        ]
    }

    const F: Result<(), Denied> = Err(Denied::Forbidden);
    const N: Result<(), Denied> = Err(Denied::NotFound);
    const OK: Result<(), Denied> = Ok(());

    #[test]
    fn role_doors() {
        // (role, admin_only, company_admin_only, members_only)
        let table = [
            (Role::CompanyAdmin, OK, OK, OK),
            (Role::DepartmentAdmin, OK, F, OK),
            (Role::User, F, F, OK),
            (Role::Guest, F, F, F),
        ];
        for ((role, v), (r, admin, company, members)) in viewers().iter().zip(table) {
            assert_eq!(*role, r);
            assert_eq!(admin_only(v), admin, "{role:?}");
            assert_eq!(company_admin_only(v), company, "{role:?}");
            assert_eq!(members_only(v), members, "{role:?}");
        }
    }

    #[test]
    fn administering_a_guest_by_viewer_and_relation() {
        // Columns: in scope, out of scope, other organization.
        let table = [
            (Role::CompanyAdmin, [OK, N, N]),
            (Role::DepartmentAdmin, [OK, N, N]),
            (Role::User, [F, F, F]),
            (Role::Guest, [F, F, F]),
        ];
        for ((role, v), (r, expect)) in viewers().iter().zip(table) {
            assert_eq!(*role, r);
            for (rel, e) in [InScope, OutOfScope, OtherOrganization].into_iter().zip(expect) {
                assert_eq!(may_administer_guest(v, rel), e, "{role:?} {rel:?}");
            }
        }
    }

    #[test]
    fn setting_expiry_by_viewer_relation_and_inviter() {
        // (in scope, invited by viewer) per relation: in scope, out of scope, other org.
        for (role, v) in viewers() {
            for (rel, invited) in [(InScope, false), (OutOfScope, false), (OutOfScope, true), (OtherOrganization, true)] {
                let got = may_set_expiry(&v, rel, invited);
                let want = match (role, rel, invited) {
                    (Role::Guest, ..) => F,
                    (_, OtherOrganization, _) => N,
                    (_, _, true) => OK,
                    (Role::CompanyAdmin | Role::DepartmentAdmin, InScope, _) => OK,
                    _ => N,
                };
                assert_eq!(got, want, "{role:?} {rel:?} invited={invited}");
            }
        }
    }

    #[test]
    fn managing_an_invitation_by_viewer_relation_and_sender() {
        let table = [
            // (role, in scope not sent, out of scope not sent, out of scope sent, other org sent)
            (Role::CompanyAdmin, [OK, N, OK, N]),
            (Role::DepartmentAdmin, [OK, N, OK, N]),
            (Role::User, [N, N, OK, N]),
            (Role::Guest, [F, F, F, F]),
        ];
        for ((role, v), (r, expect)) in viewers().iter().zip(table) {
            assert_eq!(*role, r);
            let cases = [(InScope, false), (OutOfScope, false), (OutOfScope, true), (OtherOrganization, true)];
            for ((rel, sent), e) in cases.into_iter().zip(expect) {
                assert_eq!(may_manage_invitation(v, rel, sent), e, "{role:?} {rel:?} sent={sent}");
            }
        }
    }

    #[test]
    fn a_guest_never_sees_another_guest_and_nobody_another_organization() {
        for (role, v) in viewers() {
            for target in [PersonKind::Member, PersonKind::Guest] {
                for rel in [Itself, InScope, OutOfScope, OtherOrganization] {
                    let want = match rel {
                        OtherOrganization => false,
                        Itself => true,
                        _ => !(role == Role::Guest && target == PersonKind::Guest),
                    };
                    assert_eq!(may_see_person(&v, target, rel), want, "{role:?} {target:?} {rel:?}");
                }
            }
        }
    }

    #[test]
    fn view_as_by_role_and_relation() {
        // (role, [Itself, InScope, OutOfScope, OtherOrganization])
        let table = [
            (Role::CompanyAdmin, [OK, OK, N, N]),
            (Role::DepartmentAdmin, [OK, OK, N, N]),
            (Role::User, [F, F, F, F]),
            (Role::Guest, [F, F, F, F]),
        ];
        for ((role, v), (r, expect)) in viewers().iter().zip(table) {
            assert_eq!(*role, r);
            for (rel, e) in [Itself, InScope, OutOfScope, OtherOrganization].into_iter().zip(expect) {
                assert_eq!(may_view_as(v, rel), e, "{role:?} {rel:?}");
            }
        }
    }

    #[test]
    fn project_guests_by_viewer_and_relation() {
        let [(_, company), (_, dept), (_, user), (_, guest)] = viewers();
        let me = PersonId(1);
        let other = PersonId(2);
        // (viewer, guest shown, in the viewer's admin scope, invited by the viewer, sees it)
        let table = [
            (&company, other, false, false, true),
            (&company, other, true, false, true),
            (&dept, other, true, false, true),
            (&dept, other, false, false, false),
            (&dept, other, false, true, true),
            (&user, other, false, false, true),
            (&guest, me, false, false, true),
            (&guest, other, false, false, false),
            (&guest, other, true, false, false),
        ];
        for (v, g, in_scope, invited, sees) in table {
            assert_eq!(sees_project_guest(v, g, in_scope, invited), sees, "{:?} {g:?} in_scope={in_scope} invited={invited}", v.role());
        }
    }

    #[test]
    fn project_permission_and_changes() {
        use Permission::{Edit, ReadOnly};
        for (role, v) in viewers() {
            for m in [None, Some(ReadOnly), Some(Edit)] {
                let want = if matches!(role, Role::CompanyAdmin | Role::DepartmentAdmin) { Some(Edit) } else { m };
                assert_eq!(project_permission(&v, m), want, "{role:?} {m:?}");
            }
        }
        assert_eq!(may_change_project(Edit, false), Ok(()));
        assert_eq!(may_change_project(ReadOnly, false), Err(ProjectRefusal::ReadOnly));
        assert_eq!(may_change_project(ReadOnly, true), Err(ProjectRefusal::ReadOnly));
        assert_eq!(may_change_project(Edit, true), Err(ProjectRefusal::Archived));
    }

    #[test]
    fn role_labels_include_department_admins() {
        assert_eq!(role_of(PersonKind::Member, true, true).label(), "Company Admin");
        assert_eq!(role_of(PersonKind::Member, false, true).label(), "Department Admin");
        assert_eq!(role_of(PersonKind::Member, false, false).label(), "User");
        assert_eq!(role_of(PersonKind::Guest, true, true).label(), "Guest");
    }
}
