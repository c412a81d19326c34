//! Who may see whom. The server decides with these rules; the next issues gather every
//! "who may do what to whom" here.

use super::{PersonId, Role, Viewer};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DeptId, OrgId, PersonKind};

    fn viewer(kind: PersonKind, company_admin: bool, managed: Vec<i64>) -> Viewer {
        Viewer {
            id: PersonId(1),
            org_id: OrgId(1),
            org_name: "Acme".into(),
            first_name: "A".into(),
            last_name: "B".into(),
            email: "a@acme.test".into(),
            kind,
            is_company_admin: company_admin,
            managed_departments: managed.into_iter().map(DeptId).collect(),
            authorized_to_invite: false,
            project_id: None,
        }
    }

    #[test]
    fn project_guests_by_viewer_and_relation() {
        let company = viewer(PersonKind::Member, true, vec![]);
        let dept = viewer(PersonKind::Member, false, vec![7]);
        let user = viewer(PersonKind::Member, false, vec![]);
        let guest = viewer(PersonKind::Guest, false, vec![]);
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
}
