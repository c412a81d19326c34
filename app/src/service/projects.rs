//! Projects (workspaces): the list, creating, renaming and archiving (admins), a
//! project's page with its members, guests and task list, and moving a guest out of or
//! into a project (F-ONEPROJECT). Edit permission may add and tick tasks; read-only
//! may only look — checked here on the server, not only by hiding the controls.

use crate::domain::Permission;
use crate::error::AppError;
use crate::model::projects::*;
use crate::data::guests as guest_db;
use crate::data::people::ScopeOf;
use crate::data::{orgs, projects as db};
use crate::domain::access::{self, sees_project_guest, ProjectRefusal, Relation};
use crate::domain::{PersonId, PersonKind, ProjectId, Timestamp, Title, Viewer};
use crate::web::state::AppState;

fn not_found() -> AppError {
    AppError::NotFound("This project was not found.".into())
}

fn require_admin(viewer: &Viewer) -> Result<(), AppError> {
    access::admin_only(viewer).map_err(|d| AppError::denied(d, "This project was not found."))
}

/// Admins see every project of the organization; users the projects they belong to;
/// a guest only their one project.
pub async fn my_projects(state: &AppState, viewer: &Viewer) -> Result<Vec<ProjectSummary>, AppError> {
    let rows = crate::data::projects::projects_of_person(state.db.pool(), viewer.org_id, viewer.id, viewer.is_admin()).await?;
    Ok(rows
        .into_iter()
        .map(|p| ProjectSummary { id: p.id.0, name: p.name, description: p.description, archived: p.archived })
        .collect())
}

fn description(input: &str) -> Result<String, AppError> {
    let d = input.trim();
    if d.chars().count() > 500 {
        return Err(AppError::Invalid("A description has at most 500 characters.".into()));
    }
    Ok(d.to_string())
}

pub async fn create(state: &AppState, viewer: &Viewer, name: &str, desc: &str) -> Result<i64, AppError> {
    require_admin(viewer)?;
    let name = Title::parse(name, "Project name")?;
    let desc = description(desc)?;
    let now = state.now_ms();
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let id = orgs::create_project(&mut tx, viewer.org_id, name.as_str(), &desc, now).await?;
    crate::data::activity::record(
        &mut tx,
        crate::data::activity::Entry { org: viewer.org_id, at: now, actor: Some(viewer.id), subject: None, action: crate::data::activity::Action::ProjectCreated, details: name.as_str(), target: Some((crate::data::activity::TargetKind::Project, Some(id.0))), scope: None },
    )
    .await?;
    tx.commit().await?;
    Ok(id.0)
}

pub async fn update(state: &AppState, viewer: &Viewer, id: i64, name: &str, desc: &str, archived: bool) -> Result<(), AppError> {
    require_admin(viewer)?;
    let name = Title::parse(name, "Project name")?;
    let desc = description(desc)?;
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    if !db::update(&mut tx, viewer.org_id, ProjectId(id), name.as_str(), &desc, archived, viewer.id, state.now_ms()).await? {
        return Err(not_found());
    }
    tx.commit().await?;
    Ok(())
}

/// The viewer's permission in a project of their organization: admins edit every
/// project; others need to be in it. `NotFound` otherwise, so nothing leaks.
async fn project_access(state: &AppState, viewer: &Viewer, id: i64) -> Result<(db::ProjectRow, Permission), AppError> {
    let mut conn = state.db.pool().acquire().await.map_err(crate::data::DbError::from)?;
    let info = db::get(&mut conn, viewer.org_id, ProjectId(id)).await?.ok_or_else(not_found)?;
    let membership = if viewer.is_admin() { None } else { db::membership(&mut conn, viewer.id, ProjectId(id)).await? };
    let p = access::project_permission(viewer, membership).ok_or_else(not_found)?;
    Ok((info, p))
}

pub async fn page(state: &AppState, viewer: &Viewer, id: i64) -> Result<ProjectView, AppError> {
    let (info, permission) = project_access(state, viewer, id).await?;
    let members = db::people(state.db.pool(), crate::data::people::ScopeOf::of(viewer), ProjectId(id))
        .await?
        .into_iter()
        // F-VISIBILITY and the admin's scope: a guest never sees other guests; a
        // Department Admin sees only the guests of their departments.
        .filter(|p| {
            p.kind != PersonKind::Guest || sees_project_guest(viewer, p.id, p.in_admin_scope, p.invited_by == Some(viewer.id))
        })
        .map(|p| ProjectMember {
            is_guest: p.kind == PersonKind::Guest,
            name: format!("{} {}", p.first_name, p.last_name),
            id: p.id.0,
            email: p.email,
            permission: p.permission,
            expires_at: p.expires_at.map(Timestamp::millis),
            may_set_expiry: p.kind == PersonKind::Guest && {
                let rel = if p.in_admin_scope { Relation::InScope } else { Relation::OutOfScope };
                access::may_set_expiry(viewer, rel, p.invited_by == Some(viewer.id)).is_ok()
            },
        })
        .collect();
    let tasks = db::tasks(state.db.pool(), ProjectId(id))
        .await?
        .into_iter()
        .map(|t| Task { id: t.id, title: t.title, done: t.done })
        .collect();
    Ok(ProjectView {
        project: ProjectSummary { id: info.id.0, name: info.name, description: info.description, archived: info.archived },
        permission,
        can_manage: viewer.is_admin(),
        members,
        tasks,
        now: state.now_ms(),
    })
}

fn project_refusal(r: ProjectRefusal) -> AppError {
    match r {
        ProjectRefusal::ReadOnly => AppError::Refused(r.to_string()),
        ProjectRefusal::Archived => AppError::Invalid(r.to_string()),
    }
}

pub async fn add_task(state: &AppState, viewer: &Viewer, project: i64, title: &str) -> Result<(), AppError> {
    let (info, permission) = project_access(state, viewer, project).await?;
    access::may_change_project(permission, info.archived).map_err(project_refusal)?;
    let title = Title::parse(title, "Task")?;
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    db::add_task(&mut tx, ProjectId(project), title.as_str(), viewer.id, state.now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_task_done(state: &AppState, viewer: &Viewer, project: i64, task: i64, done: bool) -> Result<(), AppError> {
    let (info, permission) = project_access(state, viewer, project).await?;
    access::may_change_project(permission, info.archived).map_err(project_refusal)?;
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    if !db::set_task_done(&mut tx, ProjectId(project), task, done).await? {
        return Err(AppError::NotFound("This task was not found.".into()));
    }
    tx.commit().await?;
    Ok(())
}

/// A guest in the admin's scope, inside the write transaction.
async fn guest_in_scope(tx: &mut crate::data::WriteTx, viewer: &Viewer, guest: i64) -> Result<(), AppError> {
    require_admin(viewer)?;
    let found = guest_db::selected(tx, ScopeOf::of(viewer), &[PersonId(guest)]).await?;
    crate::domain::guests::check_bulk(&[PersonId(guest)], &found)
        .map_err(|_| AppError::NotFound("This guest was not found.".into()))?;
    Ok(())
}

/// "Remove from workspace": the guest leaves their project and stays in the organization.
pub async fn remove_guest(state: &AppState, viewer: &Viewer, guest: i64) -> Result<(), AppError> {
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    guest_in_scope(&mut tx, viewer, guest).await?;
    if !db::remove_guest(&mut tx, viewer.org_id, PersonId(guest), viewer.id, state.now_ms()).await? {
        return Err(AppError::Conflict("This guest is not in a project.".into()));
    }
    tx.commit().await?;
    Ok(())
}

/// "Add to project": only for a guest without a project (a guest has at most one).
pub async fn add_guest(state: &AppState, viewer: &Viewer, guest: i64, project: i64, permission: Permission) -> Result<(), AppError> {
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    guest_in_scope(&mut tx, viewer, guest).await?;
    let info = db::get(tx.conn(), viewer.org_id, ProjectId(project)).await?.ok_or_else(not_found)?;
    if info.archived {
        return Err(AppError::Invalid(format!("The project “{}” is archived.", info.name)));
    }
    if !db::add_guest(&mut tx, viewer.org_id, PersonId(guest), ProjectId(project), permission, viewer.id, state.now_ms()).await? {
        return Err(AppError::Conflict(
            "A guest belongs to one project at most: remove them from their current project first.".into(),
        ));
    }
    tx.commit().await?;
    Ok(())
}
