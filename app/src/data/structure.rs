//! Groups and Departments (F-GUESTDEPT): the live department tree, its changes (the
//! closure table refreshed with each), Department Admins, moving a member, groups and
//! their members. Departments and groups are removed softly: `removed_at` is set, the
//! row stays for the people and the log that name it.

use super::directory::{GroupRow, NAME_KEY};
use super::{flag, DbResult, WriteTx};
use crate::domain::dept_tree::DeptTree;
use crate::domain::structure::Structure;
use crate::domain::{DeptId, GroupId, OrgId, PersonId, PersonKind, PersonState};
use sqlx::{AnyConnection, AnyPool};

/// The organization's live departments as the rules need them.
pub async fn structure(conn: &mut AnyConnection, org: OrgId) -> DbResult<Structure> {
    let rows: Vec<(i64, Option<i64>, i64)> =
        sqlx::query_as("SELECT id, parent_id, is_guests FROM departments WHERE org_id = $1 AND removed_at IS NULL")
            .bind(org.0)
            .fetch_all(conn)
            .await?;
    let guests = rows.iter().find(|r| flag(r.2)).map(|r| DeptId(r.0)).unwrap_or(DeptId(0));
    let tree = DeptTree::new(rows.into_iter().map(|(id, p, _)| (DeptId(id), p.map(DeptId))));
    Ok(Structure { tree, guests })
}

/// A live department of `org`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeptInfo {
    pub id: DeptId,
    pub parent: Option<DeptId>,
    pub name: String,
    pub is_guests: bool,
}

pub async fn department(conn: &mut AnyConnection, org: OrgId, id: DeptId) -> DbResult<Option<DeptInfo>> {
    let row: Option<(i64, Option<i64>, String, i64)> = sqlx::query_as(
        "SELECT id, parent_id, name, is_guests FROM departments WHERE id = $1 AND org_id = $2 AND removed_at IS NULL",
    )
    .bind(id.0)
    .bind(org.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, p, name, g)| DeptInfo { id: DeptId(id), parent: p.map(DeptId), name, is_guests: flag(g) }))
}

/// Whether a live department under `parent` (or at the top) other than `except` is
/// already called `name` (case-insensitively).
pub async fn sibling_named(conn: &mut AnyConnection, org: OrgId, parent: Option<DeptId>, name: &str, except: Option<DeptId>) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM departments WHERE org_id = $1 AND COALESCE(parent_id, 0) = $2 AND LOWER(name) = LOWER($3)
           AND removed_at IS NULL AND id <> $4",
    )
    .bind(org.0)
    .bind(parent.map_or(0, |p| p.0))
    .bind(name)
    .bind(except.map_or(0, |d| d.0))
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

pub async fn rename_department(tx: &mut WriteTx, org: OrgId, id: DeptId, name: &str) -> DbResult<()> {
    sqlx::query("UPDATE departments SET name = $1 WHERE id = $2 AND org_id = $3")
        .bind(name)
        .bind(id.0)
        .bind(org.0)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Puts `id` under `parent` (or at the top) and refreshes the closure table. The caller
/// has checked that no cycle results.
pub async fn move_department(tx: &mut WriteTx, org: OrgId, id: DeptId, parent: Option<DeptId>) -> DbResult<()> {
    sqlx::query("UPDATE departments SET parent_id = $1 WHERE id = $2 AND org_id = $3")
        .bind(parent.map(|p| p.0))
        .bind(id.0)
        .bind(org.0)
        .execute(tx.conn())
        .await?;
    super::orgs::rebuild_closure(tx.conn(), org).await
}

/// What keeps a department from being deleted: (active or disabled members, live
/// sub-departments, sponsored guests not removed, pending invitations).
pub async fn occupants(conn: &mut AnyConnection, id: DeptId) -> DbResult<(i64, i64, i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT
           (SELECT COUNT(*) FROM people WHERE department_id = $1 AND kind = 'member' AND state <> 'removed'),
           (SELECT COUNT(*) FROM departments WHERE parent_id = $1 AND removed_at IS NULL),
           (SELECT COUNT(*) FROM people WHERE sponsor_department_id = $1 AND kind = 'guest' AND state <> 'removed'),
           (SELECT COUNT(*) FROM invitations WHERE department_id = $1 AND state = 'pending')",
    )
    .bind(id.0)
    .fetch_one(conn)
    .await?)
}

/// Removes an empty department softly: it leaves the closure table (no admin's scope
/// holds it) and its Department Admins no longer manage it.
pub async fn remove_department(tx: &mut WriteTx, org: OrgId, id: DeptId, now: i64) -> DbResult<()> {
    sqlx::query("UPDATE departments SET removed_at = $1 WHERE id = $2 AND org_id = $3")
        .bind(now)
        .bind(id.0)
        .bind(org.0)
        .execute(tx.conn())
        .await?;
    sqlx::query("DELETE FROM department_admins WHERE department_id = $1").bind(id.0).execute(tx.conn()).await?;
    super::orgs::rebuild_closure(tx.conn(), org).await
}

/// Whether `id` is a live department of `org`.
pub async fn is_live(conn: &mut AnyConnection, org: OrgId, id: DeptId) -> DbResult<bool> {
    Ok(department(conn, org, id).await?.is_some())
}

/// A person as the structure's rules need them: live (active) people of `org` only.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Placed {
    pub id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub kind: PersonKind,
    pub department_id: DeptId,
    pub state: PersonState,
}

pub async fn placed(conn: &mut AnyConnection, org: OrgId, id: PersonId) -> DbResult<Option<Placed>> {
    Ok(sqlx::query_as(
        "SELECT id, first_name, last_name, kind, department_id, state FROM people
         WHERE id = $1 AND org_id = $2 AND state = 'active'",
    )
    .bind(id.0)
    .bind(org.0)
    .fetch_optional(conn)
    .await?)
}

pub async fn move_person(tx: &mut WriteTx, org: OrgId, id: PersonId, dept: DeptId) -> DbResult<()> {
    sqlx::query("UPDATE people SET department_id = $1 WHERE id = $2 AND org_id = $3 AND kind = 'member'")
        .bind(dept.0)
        .bind(id.0)
        .bind(org.0)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// A Department Admin of a department.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AdminRow {
    pub id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

/// The live people who administer `dept`, by name.
pub async fn department_admins(pool: &AnyPool, dept: DeptId) -> DbResult<Vec<AdminRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT p.id, p.first_name, p.last_name, p.email FROM department_admins a JOIN people p ON p.id = a.person_id
         WHERE a.department_id = $1 AND p.state = 'active' ORDER BY {NAME_KEY}, p.id"
    ))
    .bind(dept.0)
    .fetch_all(pool)
    .await?)
}

/// Makes `person` a Department Admin of `dept`; false when they already were.
pub async fn assign_admin(tx: &mut WriteTx, person: PersonId, dept: DeptId) -> DbResult<bool> {
    changed(tx, "INSERT INTO department_admins (person_id, department_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", person.0, dept.0).await
}

/// Ends `person`'s administration of `dept`; false when they did not administer it.
pub async fn remove_admin(tx: &mut WriteTx, person: PersonId, dept: DeptId) -> DbResult<bool> {
    changed(tx, "DELETE FROM department_admins WHERE person_id = $1 AND department_id = $2", person.0, dept.0).await
}

/// Every live group of `org` with its live members counted: All first, then by name.
pub async fn groups(pool: &AnyPool, org: OrgId, now: i64) -> DbResult<Vec<GroupRow>> {
    let members = super::directory::group_member_filter();
    Ok(sqlx::query_as(&format!(
        "SELECT g.id, g.name, g.is_all, (SELECT COUNT(*) FROM people p WHERE {members}) AS members
         FROM org_groups g WHERE g.org_id = $1 AND g.removed_at IS NULL
         ORDER BY g.is_all DESC, LOWER(g.name), g.id"
    ))
    .bind(org.0)
    .bind(now)
    .fetch_all(pool)
    .await?)
}

/// A live group of `org`: (name, is All).
pub async fn group(conn: &mut AnyConnection, org: OrgId, id: GroupId) -> DbResult<Option<(String, bool)>> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT name, is_all FROM org_groups WHERE id = $1 AND org_id = $2 AND removed_at IS NULL")
            .bind(id.0)
            .bind(org.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(n, a)| (n, flag(a))))
}

/// Whether a live group of `org` other than `except` is called `name` (case-insensitively).
pub async fn group_named(conn: &mut AnyConnection, org: OrgId, name: &str, except: Option<GroupId>) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM org_groups WHERE org_id = $1 AND LOWER(name) = LOWER($2) AND removed_at IS NULL AND id <> $3",
    )
    .bind(org.0)
    .bind(name)
    .bind(except.map_or(0, |g| g.0))
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

pub async fn rename_group(tx: &mut WriteTx, org: OrgId, id: GroupId, name: &str) -> DbResult<()> {
    sqlx::query("UPDATE org_groups SET name = $1 WHERE id = $2 AND org_id = $3")
        .bind(name)
        .bind(id.0)
        .bind(org.0)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Removes a group softly; its members leave it.
pub async fn remove_group(tx: &mut WriteTx, org: OrgId, id: GroupId, now: i64) -> DbResult<()> {
    sqlx::query("UPDATE org_groups SET removed_at = $1 WHERE id = $2 AND org_id = $3")
        .bind(now)
        .bind(id.0)
        .bind(org.0)
        .execute(tx.conn())
        .await?;
    sqlx::query("DELETE FROM group_members WHERE group_id = $1").bind(id.0).execute(tx.conn()).await?;
    Ok(())
}

/// Adds `person` to `group`; false when they already were in it.
pub async fn add_member(tx: &mut WriteTx, group: GroupId, person: PersonId) -> DbResult<bool> {
    changed(tx, "INSERT INTO group_members (group_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", group.0, person.0).await
}

/// Takes `person` out of `group`; false when they were not in it.
pub async fn remove_member(tx: &mut WriteTx, group: GroupId, person: PersonId) -> DbResult<bool> {
    changed(tx, "DELETE FROM group_members WHERE group_id = $1 AND person_id = $2", group.0, person.0).await
}

/// Runs one statement on two ids; whether it changed a row.
async fn changed(tx: &mut WriteTx, sql: &'static str, a: i64, b: i64) -> DbResult<bool> {
    Ok(sqlx::query(sql).bind(a).bind(b).execute(tx.conn()).await?.rows_affected() > 0)
}
