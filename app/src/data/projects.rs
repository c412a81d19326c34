//! Projects (workspaces): renaming and archiving, who is in one (members through
//! `project_members`, a guest through their own `project_id`), and its task list.

use super::activity::{self, Action, Entry, TargetKind};
use super::people::{managed_depts, ScopeOf};
use super::{as_flag, flag, DbFlag, DbResult, WriteTx};
use crate::domain::{OrgId, Permission, PersonId, PersonKind, ProjectId, Timestamp};
use sqlx::{AnyConnection, AnyPool};

/// A project as every list and page reads it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ProjectRow {
    pub id: ProjectId,
    pub name: String,
    pub description: String,
    #[sqlx(try_from = "DbFlag")]
    pub archived: bool,
}

/// Projects of the organization that `person` works in: every project when `all`
/// (admins), the ones they belong to for users, their one project for guests.
pub async fn projects_of_person(pool: &AnyPool, org: OrgId, person: PersonId, all: bool) -> DbResult<Vec<ProjectRow>> {
    Ok(sqlx::query_as(
        "SELECT pr.id, pr.name, pr.description, pr.archived FROM projects pr
         WHERE pr.org_id = $1 AND (
             $2 = 1
             OR pr.id IN (SELECT pm.project_id FROM project_members pm WHERE pm.person_id = $3)
             OR pr.id IN (SELECT g.project_id FROM people g WHERE g.id = $3 AND g.state = 'active')
         )
         ORDER BY pr.archived, pr.name, pr.id",
    )
    .bind(org.0)
    .bind(as_flag(all))
    .bind(person.0)
    .fetch_all(pool)
    .await?)
}

pub async fn get(conn: &mut AnyConnection, org: OrgId, id: ProjectId) -> DbResult<Option<ProjectRow>> {
    Ok(sqlx::query_as("SELECT id, name, description, archived FROM projects WHERE id = $1 AND org_id = $2")
        .bind(id.0)
        .bind(org.0)
        .fetch_optional(conn)
        .await?)
}

pub async fn update(tx: &mut WriteTx, org: OrgId, id: ProjectId, name: &str, description: &str, archived: bool, actor: PersonId, now: i64) -> DbResult<bool> {
    let details = format!("{name}{}", if archived { " (archived)" } else { "" });
    activity::change_logged(
        tx,
        sqlx::query("UPDATE projects SET name = $1, description = $2, archived = $3 WHERE id = $4 AND org_id = $5")
        .bind(name)
        .bind(description)
        .bind(as_flag(archived))
        .bind(id.0)
        .bind(org.0),
        Entry { org, at: now, actor: Some(actor), subject: None, action: Action::ProjectChanged, details: &details, target: Some((TargetKind::Project, Some(id.0))), scope: None },
    )
    .await
}

/// A person's permission in a project: a member's `project_members` row, or a live
/// guest's own project.
pub async fn membership(conn: &mut AnyConnection, person: PersonId, project: ProjectId) -> DbResult<Option<Permission>> {
    let p: Option<String> = sqlx::query_scalar(
        "SELECT permission FROM project_members WHERE person_id = $1 AND project_id = $2
         UNION ALL
         SELECT permission FROM people WHERE id = $1 AND project_id = $2 AND kind = 'guest' AND state = 'active'",
    )
    .bind(person.0)
    .bind(project.0)
    .fetch_optional(conn)
    .await?;
    Ok(p.as_deref().and_then(Permission::from_db))
}

/// The projects where a member has read-only access.
pub async fn read_only_projects(pool: &AnyPool, person: PersonId) -> DbResult<Vec<ProjectId>> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT project_id FROM project_members WHERE person_id = $1 AND permission = 'read_only' ORDER BY project_id")
        .bind(person.0)
        .fetch_all(pool)
        .await?;
    Ok(ids.into_iter().map(ProjectId).collect())
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ProjectPerson {
    pub id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub kind: PersonKind,
    pub permission: Permission,
    pub expires_at: Option<Timestamp>,
    /// Guests: who invited them.
    pub invited_by: Option<PersonId>,
    /// Guests: whether the viewer is a Company Admin or manages the sponsor department.
    #[sqlx(try_from = "DbFlag")]
    pub in_admin_scope: bool,
}

/// The live members and guests of a project, members first, by name; for each guest
/// whether it is within the viewer's admin scope.
pub async fn people(pool: &AnyPool, s: ScopeOf, project: ProjectId) -> DbResult<Vec<ProjectPerson>> {
    let managed = managed_depts("$3");
    Ok(sqlx::query_as(&format!(
        "SELECT id, first_name, last_name, email, kind, permission, expires_at, invited_by, in_admin_scope FROM (
            SELECT p.id, p.first_name, p.last_name, p.email, p.kind, pm.permission, p.expires_at, p.invited_by, 0 AS in_admin_scope
            FROM project_members pm JOIN people p ON p.id = pm.person_id
            WHERE pm.project_id = $4 AND p.org_id = $1 AND p.state = 'active' AND p.kind = 'member'
            UNION ALL
            SELECT p.id, p.first_name, p.last_name, p.email, p.kind, p.permission, p.expires_at, p.invited_by,
                   CASE WHEN $2 = 1 OR p.sponsor_department_id IN ({managed}) THEN 1 ELSE 0 END
            FROM people p WHERE p.project_id = $4 AND p.org_id = $1 AND p.state = 'active' AND p.kind = 'guest'
         ) x ORDER BY kind DESC, last_name, first_name, id"
    ))
    .bind(s.org.0)
    .bind(as_flag(s.whole_org))
    .bind(s.viewer.0)
    .bind(project.0)
    .fetch_all(pool)
    .await?)
}

/// Takes a guest out of their project; they stay in the organization.
pub async fn remove_guest(tx: &mut WriteTx, org: OrgId, guest: PersonId, actor: PersonId, now: i64) -> DbResult<bool> {
    activity::change_logged(
        tx,
        sqlx::query(
        "UPDATE people SET project_id = NULL, permission = NULL
         WHERE id = $1 AND org_id = $2 AND kind = 'guest' AND state = 'active' AND project_id IS NOT NULL",
    )
    .bind(guest.0)
    .bind(org.0),
        Entry { org, at: now, actor: Some(actor), subject: Some(guest), action: Action::RemovedFromProject, details: "", target: None, scope: None },
    )
    .await
}

/// Puts a guest without a project into one; false if they already have one (a guest
/// belongs to at most one project).
pub async fn add_guest(tx: &mut WriteTx, org: OrgId, guest: PersonId, project: ProjectId, permission: Permission, actor: PersonId, now: i64) -> DbResult<bool> {
    activity::change_logged(
        tx,
        sqlx::query(
        "UPDATE people SET project_id = $1, permission = $2
         WHERE id = $3 AND org_id = $4 AND kind = 'guest' AND state = 'active' AND project_id IS NULL",
    )
    .bind(project.0)
    .bind(permission.as_db())
    .bind(guest.0)
    .bind(org.0),
        Entry { org, at: now, actor: Some(actor), subject: Some(guest), action: Action::AddedToProject, details: &format!("project {}", project.0), target: None, scope: None },
    )
    .await
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskRow {
    pub id: i64,
    pub title: String,
    pub done: bool,
}

pub async fn tasks(pool: &AnyPool, project: ProjectId) -> DbResult<Vec<TaskRow>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as("SELECT id, title, done FROM tasks WHERE project_id = $1 ORDER BY id")
        .bind(project.0)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|(id, title, done)| TaskRow { id, title, done: flag(done) }).collect())
}

pub async fn add_task(tx: &mut WriteTx, project: ProjectId, title: &str, by: PersonId, now: i64) -> DbResult<i64> {
    Ok(sqlx::query_scalar("INSERT INTO tasks (project_id, title, done, created_by, created_at) VALUES ($1, $2, 0, $3, $4) RETURNING id")
        .bind(project.0)
        .bind(title)
        .bind(by.0)
        .bind(now)
        .fetch_one(tx.conn())
        .await?)
}

/// Ticks or unticks a task of `project`; false when the task is not in it.
pub async fn set_task_done(tx: &mut WriteTx, project: ProjectId, task: i64, done: bool) -> DbResult<bool> {
    let n = sqlx::query("UPDATE tasks SET done = $1 WHERE id = $2 AND project_id = $3")
        .bind(as_flag(done))
        .bind(task)
        .bind(project.0)
        .execute(tx.conn())
        .await?
        .rows_affected();
    Ok(n == 1)
}
