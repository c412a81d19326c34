//! Organizations and their structure: departments (with the closure table that scopes
//! Department Admins), groups (with the built-in All) and projects.

use super::{as_flag, flag, DbResult, WriteTx};
use crate::domain::dept_tree::DeptTree;
use crate::domain::{DeptId, GroupId, OrgId, ProjectId};
use sqlx::{AnyConnection, AnyPool};

/// Creates an organization with its special Guests department and its All group.
/// New organizations have the *Invitation of External Users* feature on and only
/// admins inviting.
pub async fn create_org(tx: &mut WriteTx, name: &str, now: i64) -> DbResult<OrgId> {
    let org: i64 = sqlx::query_scalar(
        "INSERT INTO organizations (name, created_at) VALUES ($1, $2) RETURNING id",
    )
    .bind(name)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    let org = OrgId(org);
    sqlx::query("INSERT INTO departments (org_id, parent_id, name, is_guests) VALUES ($1, NULL, 'Guests', 1)")
        .bind(org.0)
        .execute(tx.conn())
        .await?;
    sqlx::query("INSERT INTO org_groups (org_id, name, is_all) VALUES ($1, 'All', 1)")
        .bind(org.0)
        .execute(tx.conn())
        .await?;
    rebuild_closure(tx.conn(), org).await?;
    Ok(org)
}

pub async fn org_name(pool: &AnyPool, org: OrgId) -> DbResult<Option<String>> {
    Ok(sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
        .bind(org.0)
        .fetch_optional(pool)
        .await?)
}

/// The organization with this name (names are compared case-insensitively).
/// When an organization was created (unix ms); 0 when it does not exist.
pub async fn created_at(pool: &AnyPool, org: OrgId) -> DbResult<i64> {
    let t: Option<i64> = sqlx::query_scalar("SELECT created_at FROM organizations WHERE id = $1").bind(org.0).fetch_optional(pool).await?;
    Ok(t.unwrap_or(0))
}

pub async fn org_named(pool: &AnyPool, name: &str) -> DbResult<Option<OrgId>> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM organizations WHERE LOWER(name) = LOWER($1) ORDER BY id LIMIT 1")
        .bind(name)
        .fetch_optional(pool)
        .await?;
    Ok(id.map(OrgId))
}

pub async fn org_exists_named(pool: &AnyPool, name: &str) -> DbResult<bool> {
    Ok(org_named(pool, name).await?.is_some())
}

pub async fn count_orgs(pool: &AnyPool) -> DbResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM organizations").fetch_one(pool).await?)
}

/// The organization's special Guests department, which holds every guest.
pub async fn guests_department(conn: &mut AnyConnection, org: OrgId) -> DbResult<DeptId> {
    let id: i64 = sqlx::query_scalar("SELECT id FROM departments WHERE org_id = $1 AND is_guests = 1")
        .bind(org.0)
        .fetch_one(conn)
        .await?;
    Ok(DeptId(id))
}

/// Adds a department under `parent` (or as a root) and refreshes the closure table.
pub async fn create_department(
    tx: &mut WriteTx,
    org: OrgId,
    parent: Option<DeptId>,
    name: &str,
) -> DbResult<DeptId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO departments (org_id, parent_id, name, is_guests) VALUES ($1, $2, $3, 0) RETURNING id",
    )
    .bind(org.0)
    .bind(parent.map(|p| p.0))
    .bind(name)
    .fetch_one(tx.conn())
    .await?;
    // Its channel (F-MESSAGES), dated with the organization so a new department's
    // channel does not jump ahead of conversations with messages.
    sqlx::query(
        "INSERT INTO conversations (org_id, kind, department_id, created_at, last_activity_at)
         SELECT o.id, 'department', $2, o.created_at, o.created_at FROM organizations o WHERE o.id = $1",
    )
    .bind(org.0)
    .bind(id)
    .execute(tx.conn())
    .await?;
    rebuild_closure(tx.conn(), org).await?;
    Ok(DeptId(id))
}

/// Recomputes one organization's (ancestor, descendant) pairs from the parent links of
/// its live departments with the domain's tree rule: a deleted department is in no
/// admin's scope. Departments are few, so a full rebuild is cheap.
pub async fn rebuild_closure(conn: &mut AnyConnection, org: OrgId) -> DbResult<()> {
    let edges: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, parent_id FROM departments WHERE org_id = $1 AND removed_at IS NULL")
            .bind(org.0)
            .fetch_all(&mut *conn)
            .await?;
    let tree = DeptTree::new(edges.into_iter().map(|(id, p)| (DeptId(id), p.map(DeptId))));
    sqlx::query(
        "DELETE FROM department_closure WHERE ancestor_id IN (SELECT id FROM departments WHERE org_id = $1)",
    )
    .bind(org.0)
    .execute(&mut *conn)
    .await?;
    for (a, d) in tree.closure() {
        sqlx::query("INSERT INTO department_closure (ancestor_id, descendant_id) VALUES ($1, $2)")
            .bind(a.0)
            .bind(d.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepartmentRow {
    pub id: DeptId,
    pub parent: Option<DeptId>,
    pub name: String,
    pub is_guests: bool,
}

pub async fn departments(pool: &AnyPool, org: OrgId) -> DbResult<Vec<DepartmentRow>> {
    let rows: Vec<(i64, Option<i64>, String, i64)> = sqlx::query_as(
        "SELECT id, parent_id, name, is_guests FROM departments WHERE org_id = $1 AND removed_at IS NULL ORDER BY name, id",
    )
    .bind(org.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, p, name, g)| DepartmentRow { id: DeptId(id), parent: p.map(DeptId), name, is_guests: flag(g) })
        .collect())
}

/// Whether `dept` belongs to `org` (and is an ordinary department, not Guests).
pub async fn is_ordinary_department(conn: &mut AnyConnection, org: OrgId, dept: DeptId) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM departments WHERE id = $1 AND org_id = $2 AND is_guests = 0 AND removed_at IS NULL",
    )
    .bind(dept.0)
    .bind(org.0)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

pub async fn create_group(tx: &mut WriteTx, org: OrgId, name: &str) -> DbResult<GroupId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO org_groups (org_id, name, is_all) VALUES ($1, $2, 0) RETURNING id",
    )
    .bind(org.0)
    .bind(name)
    .fetch_one(tx.conn())
    .await?;
    Ok(GroupId(id))
}

pub async fn add_group_member(tx: &mut WriteTx, group: GroupId, person: crate::domain::PersonId) -> DbResult<()> {
    sqlx::query("INSERT INTO group_members (group_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(group.0)
        .bind(person.0)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn create_project(
    tx: &mut WriteTx,
    org: OrgId,
    name: &str,
    description: &str,
    now: i64,
) -> DbResult<ProjectId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO projects (org_id, name, description, archived, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(org.0)
    .bind(name)
    .bind(description)
    .bind(as_flag(false))
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    Ok(ProjectId(id))
}


/// Turns one Guest Profile feature on or off (demo data; admins save the whole profile
/// with the settings).
pub async fn set_guest_feature(tx: &mut WriteTx, org: OrgId, feature: crate::domain::profile::Feature, active: bool) -> DbResult<()> {
    let sql = format!("UPDATE organizations SET guest_{} = $1 WHERE id = $2", feature.key());
    sqlx::query(&sql).bind(super::as_flag(active)).bind(org.0).execute(tx.conn()).await?;
    Ok(())
}
