//! Groups and Departments (F-GUESTDEPT): the department tree and its changes, Department
//! Admins, moving members, groups and their members. Every change reads the live tree
//! inside its write transaction, asks [`crate::domain::structure`], writes, and logs.

use crate::data::activity::{self, Action, Entry, TargetKind};
use crate::data::directory as dir_db;
use crate::data::structure as db;
use crate::data::WriteTx;
use crate::domain::paging::{page_of, Position};
use crate::domain::structure::{may_assign_admin, may_edit_group, deletion_blocked, DeptChange, RefusalKind, Structure, StructureRefusal};
use crate::domain::{search, DeptId, GroupId, PersonId, Title, Viewer};
use crate::error::AppError;
use crate::model::directory::Contact;
use crate::model::invitations::Choice;
use crate::model::structure::*;
use crate::web::state::AppState;
use std::collections::HashMap;

/// People per page of a department's or a group's member list.
pub const PAGE_SIZE: i64 = 50;
/// Results of the member picker's search.
pub const CANDIDATES: i64 = 20;
/// People added to a group at once.
pub const MAX_ADDED: usize = 100;

fn refused(r: StructureRefusal) -> AppError {
    match r.kind() {
        RefusalKind::Forbidden => AppError::Forbidden,
        RefusalKind::NotFound => AppError::NotFound(r.to_string()),
        RefusalKind::Refused => AppError::Refused(r.to_string()),
        RefusalKind::Invalid => AppError::Invalid(r.to_string()),
    }
}

fn group_not_found() -> AppError {
    AppError::NotFound("This group was not found.".into())
}

fn require_admin(viewer: &Viewer) -> Result<(), AppError> {
    if viewer.is_admin() {
        Ok(())
    } else {
        Err(refused(StructureRefusal::NotAdmin))
    }
}

async fn log(tx: &mut WriteTx, viewer: &Viewer, now: i64, action: Action, subject: Option<PersonId>, target: (TargetKind, i64), scope: Option<DeptId>, details: &str) -> Result<(), AppError> {
    activity::record(
        tx,
        Entry { org: viewer.org_id, at: now, actor: Some(viewer.id), subject, action, details, target: Some((target.0, Some(target.1))), scope },
    )
    .await?;
    Ok(())
}

/// The departments `viewer` may pick (inviting, incorporating, moving someone): every
/// ordinary one for a Company Admin, their reach for a Department Admin, none for others;
/// in tree order.
pub async fn choices(state: &AppState, viewer: &Viewer) -> Result<Vec<Choice>, AppError> {
    if !viewer.is_admin() {
        return Ok(Vec::new());
    }
    Ok(tree_nodes(state, viewer).await?.into_iter().map(|d| Choice { id: d.id, name: d.name }).collect())
}

/// The admin's departments in tree order: from the top for a Company Admin, from each
/// managed department (not below another) for a Department Admin.
async fn tree_nodes(state: &AppState, viewer: &Viewer) -> Result<Vec<DeptNode>, AppError> {
    let pool = state.db.pool();
    let mut conn = pool.acquire().await.map_err(crate::data::DbError::from)?;
    let s = db::structure(&mut conn, viewer.org_id).await?;
    drop(conn);
    let rows = dir_db::departments(pool, viewer.org_id, state.now_ms()).await?;
    let mut children: HashMap<Option<DeptId>, Vec<&dir_db::DepartmentRow>> = HashMap::new();
    for r in &rows {
        children.entry(r.parent_id).or_default().push(r);
    }
    let reach = s.reach(viewer);
    let tops: Vec<&dir_db::DepartmentRow> = match &reach {
        None => children.get(&None).cloned().unwrap_or_default(),
        Some(r) => rows.iter().filter(|d| r.contains(&d.id) && !d.parent_id.is_some_and(|p| r.contains(&p))).collect(),
    };
    let mut out = Vec::new();
    let mut stack: Vec<(&dir_db::DepartmentRow, u32)> = tops.into_iter().rev().map(|d| (d, 0)).collect();
    while let Some((d, depth)) = stack.pop() {
        out.push(DeptNode {
            id: d.id.0,
            parent: d.parent_id.map(|p| p.0),
            name: d.name.clone(),
            depth,
            members: d.members,
            may_edit: s.may_change(viewer, DeptChange::Rename(d.id)).is_ok(),
        });
        if let Some(kids) = children.get(&Some(d.id)) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
        }
    }
    Ok(out)
}

/// The Groups and Departments page (admins).
pub async fn page(state: &AppState, viewer: &Viewer) -> Result<StructurePage, AppError> {
    require_admin(viewer)?;
    let departments = tree_nodes(state, viewer).await?;
    let groups = db::groups(state.db.pool(), viewer.org_id, state.now_ms())
        .await?
        .into_iter()
        .map(|g| GroupNode { id: g.id.0, name: g.name, is_all: g.is_all, members: g.members })
        .collect();
    Ok(StructurePage { departments, groups, company_admin: viewer.is_company_admin })
}

fn member(r: dir_db::ContactRow, may_change: bool) -> MemberEntry {
    MemberEntry { contact: super::directory::contact(r), may_change }
}

/// A department's details for an admin whose reach holds it: never a guest.
pub async fn department_details(state: &AppState, viewer: &Viewer, id: i64, cursor: Option<&str>) -> Result<DepartmentDetails, AppError> {
    require_admin(viewer)?;
    let pos = Position::parse_text(cursor)?;
    let pool = state.db.pool();
    let now = state.now_ms();
    let mut conn = pool.acquire().await.map_err(crate::data::DbError::from)?;
    let s = db::structure(&mut conn, viewer.org_id).await?;
    let dept = DeptId(id);
    if !s.reaches(viewer, dept) {
        return Err(refused(StructureRefusal::DepartmentNotFound));
    }
    let info = db::department(&mut conn, viewer.org_id, dept).await?.ok_or_else(|| refused(StructureRefusal::DepartmentNotFound))?;
    let parent = match info.parent {
        Some(p) => db::department(&mut conn, viewer.org_id, p).await?.map(|d| d.name),
        None => None,
    };
    drop(conn);
    let admins = db::department_admins(pool, dept)
        .await?
        .into_iter()
        .map(|a| AdminEntry { id: a.id.0, name: format!("{} {}", a.first_name, a.last_name).trim().to_string(), email: a.email })
        .collect();
    let member_count = dir_db::departments(pool, viewer.org_id, now).await?.into_iter().find(|d| d.id == dept).map_or(0, |d| d.members);
    let rows = dir_db::department_members(pool, viewer.org_id, dept, now, &pos, PAGE_SIZE + 1).await?.unwrap_or_default();
    let members = page_of(rows, &pos, PAGE_SIZE, dir_db::contact_key).map(|r| member(r, true));
    Ok(DepartmentDetails { id, name: info.name, parent, admins, member_count, members })
}

/// A new department under `parent` (or at the top, Company Admins).
pub async fn create_department(state: &AppState, viewer: &Viewer, name: &str, parent: Option<i64>) -> Result<i64, AppError> {
    require_admin(viewer)?;
    let name = Title::parse(name, "Department name")?;
    let parent = parent.map(DeptId);
    let now = state.now_ms();
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let s = db::structure(tx.conn(), viewer.org_id).await?;
    s.may_change(viewer, DeptChange::Create { parent }).map_err(refused)?;
    unique_sibling(&mut tx, viewer, parent, name.as_str(), None).await?;
    let id = crate::data::orgs::create_department(&mut tx, viewer.org_id, parent, name.as_str()).await?;
    log(&mut tx, viewer, now, Action::DepartmentCreated, None, (TargetKind::Department, id.0), Some(id), name.as_str()).await?;
    tx.commit().await?;
    Ok(id.0)
}

async fn unique_sibling(tx: &mut WriteTx, viewer: &Viewer, parent: Option<DeptId>, name: &str, except: Option<DeptId>) -> Result<(), AppError> {
    if parent.is_none() && name.to_lowercase() == "guests" {
        return Err(AppError::Conflict("“Guests” is the special department that holds the guests: choose another name.".into()));
    }
    if db::sibling_named(tx.conn(), viewer.org_id, parent, name, except).await? {
        return Err(AppError::Conflict(format!("A department called “{name}” is already there: sibling departments have different names.")));
    }
    Ok(())
}

pub async fn rename_department(state: &AppState, viewer: &Viewer, id: i64, name: &str) -> Result<(), AppError> {
    require_admin(viewer)?;
    let name = Title::parse(name, "Department name")?;
    let dept = DeptId(id);
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let s = db::structure(tx.conn(), viewer.org_id).await?;
    s.may_change(viewer, DeptChange::Rename(dept)).map_err(refused)?;
    let info = db::department(tx.conn(), viewer.org_id, dept).await?.ok_or_else(|| refused(StructureRefusal::DepartmentNotFound))?;
    if info.name == name.as_str() {
        return Ok(());
    }
    unique_sibling(&mut tx, viewer, info.parent, name.as_str(), Some(dept)).await?;
    db::rename_department(&mut tx, viewer.org_id, dept, name.as_str()).await?;
    let details = format!("{} → {}", info.name, name.as_str());
    log(&mut tx, viewer, state.now_ms(), Action::DepartmentRenamed, None, (TargetKind::Department, id), Some(dept), &details).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a department under `parent` (or to the top).
pub async fn move_department(state: &AppState, viewer: &Viewer, id: i64, parent: Option<i64>) -> Result<(), AppError> {
    require_admin(viewer)?;
    let dept = DeptId(id);
    let to = parent.map(DeptId);
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let s = db::structure(tx.conn(), viewer.org_id).await?;
    s.may_change(viewer, DeptChange::Move { dept, to }).map_err(refused)?;
    let info = db::department(tx.conn(), viewer.org_id, dept).await?.ok_or_else(|| refused(StructureRefusal::DepartmentNotFound))?;
    if info.parent == to {
        return Ok(());
    }
    unique_sibling(&mut tx, viewer, to, &info.name, Some(dept)).await?;
    let under = match to {
        Some(p) => db::department(tx.conn(), viewer.org_id, p).await?.map(|d| d.name).unwrap_or_default(),
        None => "the top".to_string(),
    };
    db::move_department(&mut tx, viewer.org_id, dept, to).await?;
    let details = format!("{} → under {under}", info.name);
    log(&mut tx, viewer, state.now_ms(), Action::DepartmentMoved, None, (TargetKind::Department, id), Some(dept), &details).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an empty department (softly); a message says what keeps one that is not.
pub async fn delete_department(state: &AppState, viewer: &Viewer, id: i64) -> Result<(), AppError> {
    require_admin(viewer)?;
    let dept = DeptId(id);
    let now = state.now_ms();
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let s = db::structure(tx.conn(), viewer.org_id).await?;
    s.may_change(viewer, DeptChange::Delete(dept)).map_err(refused)?;
    let info = db::department(tx.conn(), viewer.org_id, dept).await?.ok_or_else(|| refused(StructureRefusal::DepartmentNotFound))?;
    let (members, subs, guests, invitations) = db::occupants(tx.conn(), dept).await?;
    if let Some(why) = deletion_blocked(members, subs, guests, invitations) {
        return Err(AppError::Conflict(why));
    }
    db::remove_department(&mut tx, viewer.org_id, dept, now).await?;
    log(&mut tx, viewer, now, Action::DepartmentDeleted, None, (TargetKind::Department, id), Some(dept), &info.name).await?;
    tx.commit().await?;
    Ok(())
}

/// A live person of the organization, or "not found".
async fn placed(tx: &mut WriteTx, viewer: &Viewer, person: i64) -> Result<db::Placed, AppError> {
    db::placed(tx.conn(), viewer.org_id, PersonId(person)).await?.ok_or_else(|| refused(StructureRefusal::PersonNotFound))
}

fn full_name(p: &db::Placed) -> String {
    crate::domain::people::full_name(&p.first_name, &p.last_name)
}

/// Company Admins make a member a Department Admin of an ordinary department.
pub async fn assign_admin(state: &AppState, viewer: &Viewer, dept: i64, person: i64) -> Result<(), AppError> {
    set_admin(state, viewer, dept, person, true).await
}

pub async fn remove_admin(state: &AppState, viewer: &Viewer, dept: i64, person: i64) -> Result<(), AppError> {
    set_admin(state, viewer, dept, person, false).await
}

async fn set_admin(state: &AppState, viewer: &Viewer, dept: i64, person: i64, assign: bool) -> Result<(), AppError> {
    // The role first: a Department Admin is refused whatever the department.
    may_assign_admin(viewer, crate::domain::PersonKind::Member).map_err(refused)?;
    let dept = DeptId(dept);
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let s = db::structure(tx.conn(), viewer.org_id).await?;
    if !s.reaches(viewer, dept) {
        return Err(refused(StructureRefusal::DepartmentNotFound));
    }
    let p = placed(&mut tx, viewer, person).await?;
    may_assign_admin(viewer, p.kind).map_err(refused)?;
    let changed = if assign { db::assign_admin(&mut tx, p.id, dept).await? } else { db::remove_admin(&mut tx, p.id, dept).await? };
    if !changed {
        return Err(AppError::Conflict(if assign {
            "This person already administers this department.".into()
        } else {
            "This person does not administer this department.".into()
        }));
    }
    let name = db::department(tx.conn(), viewer.org_id, dept).await?.map(|d| d.name).unwrap_or_default();
    let action = if assign { Action::DepartmentAdminAssigned } else { Action::DepartmentAdminRemoved };
    let details = format!("{} — {name}", full_name(&p));
    log(&mut tx, viewer, state.now_ms(), action, Some(p.id), (TargetKind::Department, dept.0), Some(dept), &details).await?;
    tx.commit().await?;
    Ok(())
}

/// "Move to department": a member, between two departments of the admin's reach. A
/// guest never moves.
pub async fn move_person(state: &AppState, viewer: &Viewer, person: i64, dept: i64) -> Result<(), AppError> {
    require_admin(viewer)?;
    let to = DeptId(dept);
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let s = db::structure(tx.conn(), viewer.org_id).await?;
    let p = placed(&mut tx, viewer, person).await?;
    s.may_move_person(viewer, p.kind, p.department_id, to).map_err(refused)?;
    if p.department_id == to {
        return Ok(());
    }
    db::move_person(&mut tx, viewer.org_id, p.id, to).await?;
    let name = db::department(tx.conn(), viewer.org_id, to).await?.map(|d| d.name).unwrap_or_default();
    let details = format!("{} → {name}", full_name(&p));
    log(&mut tx, viewer, state.now_ms(), Action::PersonMoved, Some(p.id), (TargetKind::Person, p.id.0), Some(to), &details).await?;
    tx.commit().await?;
    Ok(())
}

/// A group's details: its live members (never a guest), each marked when the admin may
/// take them out.
pub async fn group_details(state: &AppState, viewer: &Viewer, id: i64, cursor: Option<&str>) -> Result<GroupDetails, AppError> {
    require_admin(viewer)?;
    let pos = Position::parse_text(cursor)?;
    let pool = state.db.pool();
    let now = state.now_ms();
    let group = db::groups(pool, viewer.org_id, now).await?.into_iter().find(|g| g.id.0 == id).ok_or_else(group_not_found)?;
    let mut conn = pool.acquire().await.map_err(crate::data::DbError::from)?;
    let s = db::structure(&mut conn, viewer.org_id).await?;
    drop(conn);
    let (_, rows) = dir_db::group_members(pool, viewer.org_id, group.id, now, &pos, PAGE_SIZE + 1).await?.ok_or_else(group_not_found)?;
    let members = page_of(rows, &pos, PAGE_SIZE, dir_db::contact_key).map(|r| {
        let may = s.may_change_membership(viewer, group.is_all, r.kind, r.department_id).is_ok();
        member(r, may)
    });
    Ok(GroupDetails { id, name: group.name, is_all: group.is_all, member_count: group.members, members })
}

async fn unique_group(tx: &mut WriteTx, viewer: &Viewer, name: &str, except: Option<GroupId>) -> Result<(), AppError> {
    if db::group_named(tx.conn(), viewer.org_id, name, except).await? {
        return Err(AppError::Conflict(format!("A group called “{name}” already exists.")));
    }
    Ok(())
}

pub async fn create_group(state: &AppState, viewer: &Viewer, name: &str) -> Result<i64, AppError> {
    may_edit_group(viewer, false).map_err(refused)?;
    let name = Title::parse(name, "Group name")?;
    let now = state.now_ms();
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    unique_group(&mut tx, viewer, name.as_str(), None).await?;
    let id = crate::data::orgs::create_group(&mut tx, viewer.org_id, name.as_str()).await?;
    log(&mut tx, viewer, now, Action::GroupCreated, None, (TargetKind::Group, id.0), None, name.as_str()).await?;
    tx.commit().await?;
    Ok(id.0)
}

/// A live group of the organization: (name, is All).
async fn group(tx: &mut WriteTx, viewer: &Viewer, id: i64) -> Result<(String, bool), AppError> {
    db::group(tx.conn(), viewer.org_id, GroupId(id)).await?.ok_or_else(group_not_found)
}

pub async fn rename_group(state: &AppState, viewer: &Viewer, id: i64, name: &str) -> Result<(), AppError> {
    require_admin(viewer)?;
    let name = Title::parse(name, "Group name")?;
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let (old, is_all) = group(&mut tx, viewer, id).await?;
    may_edit_group(viewer, is_all).map_err(refused)?;
    if old == name.as_str() {
        return Ok(());
    }
    unique_group(&mut tx, viewer, name.as_str(), Some(GroupId(id))).await?;
    db::rename_group(&mut tx, viewer.org_id, GroupId(id), name.as_str()).await?;
    let details = format!("{old} → {}", name.as_str());
    log(&mut tx, viewer, state.now_ms(), Action::GroupRenamed, None, (TargetKind::Group, id), None, &details).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_group(state: &AppState, viewer: &Viewer, id: i64) -> Result<(), AppError> {
    require_admin(viewer)?;
    let now = state.now_ms();
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let (name, is_all) = group(&mut tx, viewer, id).await?;
    may_edit_group(viewer, is_all).map_err(refused)?;
    db::remove_group(&mut tx, viewer.org_id, GroupId(id), now).await?;
    log(&mut tx, viewer, now, Action::GroupDeleted, None, (TargetKind::Group, id), None, &name).await?;
    tx.commit().await?;
    Ok(())
}

/// "Add members": all the chosen people or none. Each must be a live member of the
/// admin's reach; a guest is refused with a message.
pub async fn add_group_members(state: &AppState, viewer: &Viewer, id: i64, people: &[i64]) -> Result<usize, AppError> {
    require_admin(viewer)?;
    let mut people = people.to_vec();
    people.sort_unstable();
    people.dedup();
    if people.is_empty() {
        return Err(AppError::Invalid("Choose at least one person to add.".into()));
    }
    if people.len() > MAX_ADDED {
        return Err(AppError::Invalid(format!("Add at most {MAX_ADDED} people at a time.")));
    }
    let now = state.now_ms();
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let (name, is_all) = group(&mut tx, viewer, id).await?;
    let s = db::structure(tx.conn(), viewer.org_id).await?;
    let mut added = 0;
    for person in people {
        let p = placed(&mut tx, viewer, person).await?;
        s.may_change_membership(viewer, is_all, p.kind, p.department_id).map_err(refused)?;
        if db::add_member(&mut tx, GroupId(id), p.id).await? {
            added += 1;
            let details = format!("{} — {name}", full_name(&p));
            log(&mut tx, viewer, now, Action::GroupMemberAdded, Some(p.id), (TargetKind::Group, id), Some(p.department_id), &details).await?;
        }
    }
    tx.commit().await?;
    Ok(added)
}

pub async fn remove_group_member(state: &AppState, viewer: &Viewer, id: i64, person: i64) -> Result<(), AppError> {
    require_admin(viewer)?;
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let (name, is_all) = group(&mut tx, viewer, id).await?;
    let s = db::structure(tx.conn(), viewer.org_id).await?;
    let p = placed(&mut tx, viewer, person).await?;
    s.may_change_membership(viewer, is_all, p.kind, p.department_id).map_err(refused)?;
    if !db::remove_member(&mut tx, GroupId(id), p.id).await? {
        return Err(AppError::Conflict("This person is not in this group.".into()));
    }
    let details = format!("{} — {name}", full_name(&p));
    log(&mut tx, viewer, state.now_ms(), Action::GroupMemberRemoved, Some(p.id), (TargetKind::Group, id), Some(p.department_id), &details).await?;
    tx.commit().await?;
    Ok(())
}

/// The member picker ("Add members", Department Admins): live members of the admin's
/// reach whose words start with the words typed (from two characters). Never a guest.
pub async fn member_candidates(state: &AppState, viewer: &Viewer, query: &str) -> Result<Vec<Contact>, AppError> {
    require_admin(viewer)?;
    let Some(prefixes) = search::query_prefixes(query) else { return Ok(Vec::new()) };
    let scoped = !viewer.is_company_admin;
    // A Company Admin may pick themself; the scoped search needs the admin's id.
    let person = if scoped { viewer.id } else { PersonId(0) };
    let seer = dir_db::Seer { org: viewer.org_id, person, sees_guests: false };
    let rows = dir_db::search(state.db.pool(), seer, state.now_ms(), &prefixes, CANDIDATES, scoped).await?;
    Ok(rows.into_iter().map(super::directory::contact).collect())
}

/// A department chosen when incorporating guests: an ordinary live department in the
/// admin's reach. Read inside the incorporation's transaction.
pub async fn check_destination(tx: &mut WriteTx, viewer: &Viewer, dept: DeptId) -> Result<(), AppError> {
    let s: Structure = db::structure(tx.conn(), viewer.org_id).await?;
    if dept == s.guests {
        return Err(refused(StructureRefusal::GuestsDepartment));
    }
    if !s.reaches(viewer, dept) {
        return Err(refused(StructureRefusal::DepartmentNotFound));
    }
    Ok(())
}
