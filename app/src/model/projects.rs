//! Projects (workspaces): the list, creating, renaming and archiving (admins), a
//! project's page with its members, guests and task list, and moving a guest out of or
//! into a project (F-ONEPROJECT). Edit permission may add and tick tasks; read-only
//! may only look — checked here on the server, not only by hiding the controls.
//!
//! These are the types the console and the server exchange (shared by both).

use crate::domain::Permission;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub archived: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectMember {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub is_guest: bool,
    pub permission: Permission,
    /// Unix ms, guests only.
    pub expires_at: Option<i64>,
    /// A guest whose expiry the viewer may set: admins, and the person who invited them.
    pub may_set_expiry: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: i64,
    pub title: String,
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectView {
    pub project: ProjectSummary,
    /// The viewer's own permission here.
    pub permission: Permission,
    /// Admins rename, archive and remove guests.
    pub can_manage: bool,
    pub members: Vec<ProjectMember>,
    pub tasks: Vec<Task>,
    pub now: i64,
}
