//! Groups and Departments (F-GUESTDEPT): what the `/groups` page shows an admin and what
//! its forms send.

use super::directory::Contact;
use crate::domain::paging::Page;
use serde::{Deserialize, Serialize};

/// One department of the admin's tree, in tree order (parents before children,
/// siblings by name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeptNode {
    pub id: i64,
    pub parent: Option<i64>,
    pub name: String,
    /// 0 for the top of the admin's tree.
    pub depth: u32,
    /// Live members (never guests).
    pub members: i64,
    /// Rename, move, delete: below the departments a Department Admin manages.
    pub may_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupNode {
    pub id: i64,
    pub name: String,
    pub is_all: bool,
    /// Live members (never guests).
    pub members: i64,
}

/// The Groups and Departments page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructurePage {
    /// The whole tree for a Company Admin; the managed departments and below for a
    /// Department Admin. Never the Guests department.
    pub departments: Vec<DeptNode>,
    pub groups: Vec<GroupNode>,
    /// Company Admins: top-level departments, groups, Department Admins.
    pub company_admin: bool,
}

/// A person in a department's or a group's member list on the admin page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEntry {
    pub contact: Contact,
    /// In the admin's reach: they may move them, or take them out of the group.
    pub may_change: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminEntry {
    pub id: i64,
    pub name: String,
    pub email: String,
}

/// Department details: name, parent, admins, member count and members — never a guest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentDetails {
    pub id: i64,
    pub name: String,
    pub parent: Option<String>,
    pub admins: Vec<AdminEntry>,
    pub member_count: i64,
    pub members: Page<MemberEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupDetails {
    pub id: i64,
    pub name: String,
    pub is_all: bool,
    pub member_count: i64,
    pub members: Page<MemberEntry>,
}
