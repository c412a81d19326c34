//! Who the signed-in person is and what their role lets them reach. The server decides
//! every access with these rules; the browser only uses them to shape the navigation.

use super::{DeptId, OrgId, PersonId, PersonKind, ProjectId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    CompanyAdmin,
    DepartmentAdmin,
    User,
    Guest,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::CompanyAdmin => "Company Admin",
            Role::DepartmentAdmin => "Department Admin",
            Role::User => "User",
            Role::Guest => "Guest",
        }
    }
}

/// The signed-in person as the application sees them. Holds nothing secret: it is sent
/// to the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: PersonId,
    pub org_id: OrgId,
    pub org_name: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub kind: PersonKind,
    pub is_company_admin: bool,
    /// Departments this person administers (each covers its sub-departments).
    pub managed_departments: Vec<DeptId>,
    /// The "authorized to invite" flag of an ordinary user.
    pub authorized_to_invite: bool,
    /// A guest's one project.
    pub project_id: Option<ProjectId>,
}

impl Viewer {
    pub fn role(&self) -> Role {
        super::access::role_of(self.kind, self.is_company_admin, !self.managed_departments.is_empty())
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// Company Admins and Department Admins: they reach the admin console.
    pub fn is_admin(&self) -> bool {
        matches!(self.role(), Role::CompanyAdmin | Role::DepartmentAdmin)
    }

    /// The scope of people this viewer administers.
    pub fn admin_scope(&self) -> Option<AdminScope> {
        match self.role() {
            Role::CompanyAdmin => Some(AdminScope::Organization),
            Role::DepartmentAdmin => Some(AdminScope::Departments),
            Role::User | Role::Guest => None,
        }
    }

    /// The navigation entries this viewer's role opens, in order.
    pub fn navigation(&self) -> Vec<NavItem> {
        match self.role() {
            Role::CompanyAdmin | Role::DepartmentAdmin => vec![
                NavItem::Dashboard,
                NavItem::Users,
                NavItem::Guests,
                NavItem::GroupsAndDepartments,
                NavItem::Projects,
                NavItem::Contacts,
                NavItem::Conversations,
                NavItem::Settings,
                NavItem::ActivityReport,
            ],
            Role::User => vec![NavItem::Projects, NavItem::Contacts, NavItem::Conversations],
            Role::Guest => vec![NavItem::MyProject, NavItem::Contacts, NavItem::Conversations, NavItem::MyProfile],
        }
    }
}

/// How far an admin's reach goes. A Department Admin's departments are resolved on the
/// server (with their sub-departments) from the department tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdminScope {
    Organization,
    Departments,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NavItem {
    Dashboard,
    Users,
    Guests,
    GroupsAndDepartments,
    Projects,
    Contacts,
    Conversations,
    Settings,
    ActivityReport,
    MyProject,
    MyProfile,
}

impl NavItem {
    pub fn label(self) -> &'static str {
        match self {
            NavItem::Dashboard => "Dashboard",
            NavItem::Users => "Users",
            NavItem::Guests => "Guests",
            NavItem::GroupsAndDepartments => "Groups and Departments",
            NavItem::Projects => "Projects",
            NavItem::Contacts => "Contacts",
            NavItem::Conversations => "Conversations",
            NavItem::Settings => "Settings",
            NavItem::ActivityReport => "Activity Report",
            NavItem::MyProject => "My project",
            NavItem::MyProfile => "My profile",
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            NavItem::Dashboard => "/",
            NavItem::Users => "/users",
            NavItem::Guests => "/guests",
            NavItem::GroupsAndDepartments => "/groups",
            NavItem::Projects => "/projects",
            NavItem::Contacts => "/contacts",
            NavItem::Conversations => "/conversations",
            NavItem::Settings => "/settings",
            NavItem::ActivityReport => "/activity",
            NavItem::MyProject => "/my-project",
            NavItem::MyProfile => "/profile",
        }
    }
}

/// The viewer every unit test of the rules starts from: person 1 of organization 1, with
/// the kind and flags given.
#[cfg(test)]
pub(crate) fn test_viewer(kind: PersonKind, company_admin: bool, managed: Vec<i64>, authorized: bool) -> Viewer {
    Viewer {
        id: super::PersonId(1),
        org_id: super::OrgId(1),
        org_name: "Acme".into(),
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: "ada@acme.test".into(),
        kind,
        is_company_admin: company_admin,
        managed_departments: managed.into_iter().map(super::DeptId).collect(),
        authorized_to_invite: authorized,
        project_id: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(kind: PersonKind, company_admin: bool, managed: Vec<i64>) -> Viewer {
        test_viewer(kind, company_admin, managed, false)
    }

    #[test]
    fn roles_follow_flags_with_guest_first() {
        assert_eq!(viewer(PersonKind::Member, true, vec![]).role(), Role::CompanyAdmin);
        assert_eq!(viewer(PersonKind::Member, false, vec![3]).role(), Role::DepartmentAdmin);
        assert_eq!(viewer(PersonKind::Member, false, vec![]).role(), Role::User);
        // A guest is a guest whatever flags a bad row might carry.
        assert_eq!(viewer(PersonKind::Guest, true, vec![3]).role(), Role::Guest);
    }

    #[test]
    fn navigation_by_role() {
        let admin = viewer(PersonKind::Member, true, vec![]).navigation();
        assert_eq!(admin.len(), 9);
        assert!(admin.contains(&NavItem::Conversations));
        assert_eq!(admin[0], NavItem::Dashboard);
        assert!(admin.contains(&NavItem::ActivityReport));
        assert!(admin.contains(&NavItem::Contacts));
        assert_eq!(viewer(PersonKind::Member, false, vec![2]).navigation(), admin);
        assert_eq!(viewer(PersonKind::Member, false, vec![]).navigation(), vec![NavItem::Projects, NavItem::Contacts, NavItem::Conversations]);
        assert_eq!(
            viewer(PersonKind::Guest, false, vec![]).navigation(),
            vec![NavItem::MyProject, NavItem::Contacts, NavItem::Conversations, NavItem::MyProfile]
        );
    }

    #[test]
    fn only_admins_have_an_admin_scope() {
        assert_eq!(viewer(PersonKind::Member, true, vec![]).admin_scope(), Some(AdminScope::Organization));
        assert_eq!(viewer(PersonKind::Member, false, vec![9]).admin_scope(), Some(AdminScope::Departments));
        assert_eq!(viewer(PersonKind::Member, false, vec![]).admin_scope(), None);
        assert_eq!(viewer(PersonKind::Guest, false, vec![]).admin_scope(), None);
    }
}
