//! Sending invitations: what the invite dialog offers, Send (all or none, under the
//! quota and the organization's lock), the list with Resend (limited) and Revoke.

use crate::domain::expiry::ExpiryPeriod;
use crate::domain::paging::{page_of, Page, Position, INVITATIONS_PAGE};
use crate::domain::{Permission, PersonKind};
use crate::error::AppError;
use crate::model::invitations::*;
use super::token::new_token;
use crate::data::invitations::{self as db, InvitationRow, NewInvitation};
use crate::data::{orgs, projects, WriteTx};
use crate::domain::invite::{
    may_grant, may_invite, parse_emails, resend_allowed, InvitationState,
    INVITATION_VALIDITY_DAYS, INVITATION_VALIDITY_MS,
};
use crate::domain::{DeptId, InvitationId, MailId, ProjectId, Role, Viewer};
use crate::mail;
use crate::domain::access::{self, Relation};
use crate::web::state::AppState;

const NOT_FOUND: &str = "This invitation was not found.";

pub(crate) fn refusal(e: crate::domain::invite::InviteRefusal) -> AppError {
    AppError::Refused(e.to_string())
}

/// Projects one may invite into: all open ones for admins, one's own for others.
pub async fn project_choices(state: &AppState, viewer: &Viewer) -> Result<Vec<Choice>, AppError> {
    let rows = crate::data::projects::projects_of_person(state.db.pool(), viewer.org_id, viewer.id, viewer.is_admin()).await?;
    Ok(rows.into_iter().filter(|p| !p.archived).map(|p| Choice { id: p.id.0, name: p.name }).collect())
}

pub async fn options(state: &AppState, viewer: &Viewer) -> Result<InviteChoices, AppError> {
    access::members_only(viewer).map_err(|d| AppError::denied(d, NOT_FOUND))?;
    let mut conn = state.db.pool().acquire().await.map_err(crate::data::DbError::from)?;
    let settings = db::settings(&mut conn, viewer.org_id).await?;
    let quota = db::quota(&mut conn, viewer.org_id, state.now_ms()).await?;
    drop(conn);
    let guest_refusal = may_invite(viewer, &settings, PersonKind::Guest).err().map(|e| e.to_string());
    Ok(InviteChoices {
        may_invite_members: may_invite(viewer, &settings, PersonKind::Member).is_ok(),
        guest_refusal,
        projects: project_choices(state, viewer).await?,
        departments: crate::service::structure::choices(state, viewer).await?,
        quota_limit: quota.limit(),
        quota_remaining: quota.remaining(),
        read_only_projects: if viewer.is_admin() {
            Vec::new()
        } else {
            projects::read_only_projects(state.db.pool(), viewer.id).await?.into_iter().map(|p| p.0).collect()
        },
    })
}

/// The department an invitation is fixed to: for a guest its sponsor, for a member the
/// one they join. Admins may choose within their reach; without a choice a Department
/// Admin gets their first managed department and everyone else their own.
async fn department_for(tx: &mut WriteTx, viewer: &Viewer, chosen: Option<i64>) -> Result<DeptId, AppError> {
    let own = db::department_of(tx.conn(), viewer.id).await?;
    match (viewer.role(), chosen) {
        (Role::CompanyAdmin, Some(d)) => {
            if orgs::is_ordinary_department(tx.conn(), viewer.org_id, DeptId(d)).await? {
                Ok(DeptId(d))
            } else {
                Err(AppError::NotFound("This department was not found.".into()))
            }
        }
        (Role::DepartmentAdmin, Some(d)) => {
            if db::manages(tx.conn(), viewer.id, DeptId(d)).await? {
                Ok(DeptId(d))
            } else {
                Err(AppError::NotFound("This department was not found.".into()))
            }
        }
        (Role::DepartmentAdmin, None) => viewer
            .managed_departments
            .first()
            .copied()
            .ok_or_else(|| AppError::Invalid("Choose a department.".into())),
        _ => Ok(own),
    }
}

/// A project of the organization, open, that the inviter works in (admins: any),
/// where the inviter has at least the permission they give.
async fn project_for(tx: &mut WriteTx, viewer: &Viewer, id: i64, permission: Permission) -> Result<ProjectId, AppError> {
    let not_found = || AppError::NotFound("This project was not found.".into());
    let p = projects::get(tx.conn(), viewer.org_id, ProjectId(id)).await?.ok_or_else(not_found)?;
    if p.archived {
        return Err(AppError::Invalid(format!("The project “{}” is archived.", p.name)));
    }
    let own = if viewer.is_admin() {
        Permission::Edit
    } else {
        projects::membership(tx.conn(), viewer.id, ProjectId(id)).await?.ok_or_else(not_found)?
    };
    may_grant(viewer, own, permission).map_err(refusal)?;
    Ok(ProjectId(id))
}

fn link(state: &AppState, token: &str) -> String {
    format!("{}/invite/{token}", state.config.public_url.trim_end_matches('/'))
}

async fn queue_invitation_mail(
    tx: &mut WriteTx,
    state: &AppState,
    viewer: &Viewer,
    email: &str,
    kind: PersonKind,
    project: Option<&str>,
    permission: Option<Permission>,
    token: &str,
) -> Result<MailId, AppError> {
    let what = match (kind, project) {
        (PersonKind::Guest, Some(p)) => format!(
            "as a guest in the project “{p}” ({})",
            permission.map(|p| p.label().to_lowercase()).unwrap_or_default()
        ),
        (PersonKind::Guest, None) => "as a guest".to_string(),
        (PersonKind::Member, _) => "as a member".to_string(),
    };
    let letter = mail::invitation_letter(&viewer.org_name, &viewer.full_name(), &what, &link(state, token), INVITATION_VALIDITY_DAYS);
    Ok(mail::queue(tx, viewer.org_id, email, &letter, state.now_ms()).await?)
}

/// Sends invitations, all or none: every address valid and free, the inviter allowed,
/// and for guests the quota not exceeded — checked under the organization's write
/// lock, so concurrent invitations cannot pass it together.
pub async fn send(state: &AppState, viewer: &Viewer, input: InviteInput) -> Result<usize, AppError> {
    Ok(send_ids(state, viewer, input).await?.len())
}

/// [`send`], answering the new invitations' ids (in the order of the addresses).
pub async fn send_ids(state: &AppState, viewer: &Viewer, input: InviteInput) -> Result<Vec<InvitationId>, AppError> {
    let emails = parse_emails(&input.emails)?;
    let now = state.now_ms();
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let settings = db::settings(tx.conn(), viewer.org_id).await?;
    may_invite(viewer, &settings, input.role).map_err(refusal)?;
    let project = match (input.role, input.project) {
        (_, Some(p)) => Some(project_for(&mut tx, viewer, p, input.permission).await?),
        (PersonKind::Guest, None) => return Err(AppError::Invalid("Choose the project the guest joins.".into())),
        (PersonKind::Member, None) => None,
    };
    let project_name = match project {
        Some(p) => projects::get(tx.conn(), viewer.org_id, p).await?.map(|p| p.name),
        None => None,
    };
    let department = department_for(&mut tx, viewer, input.department).await?;
    let mut taken = Vec::new();
    for e in &emails {
        if let Some(why) = db::email_taken(&mut tx, viewer.org_id, e.as_str(), now).await? {
            taken.push(format!("{e} {why}"));
        }
    }
    if !taken.is_empty() {
        return Err(AppError::Conflict(format!("Nothing was sent: {}.", taken.join("; "))));
    }
    if input.role == PersonKind::Guest {
        db::quota(tx.conn(), viewer.org_id, now).await?.admit(emails.len() as i64)?;
    }
    let permission = Some(input.permission);
    let expiry = (input.role == PersonKind::Guest && input.expiry != ExpiryPeriod::Never).then(|| input.expiry.key());
    let mut mails = Vec::new();
    let mut ids = Vec::with_capacity(emails.len());
    for e in &emails {
        let (token, token_hash) = new_token();
        let id = db::insert(
            &mut tx,
            NewInvitation {
                org: viewer.org_id,
                email: e.as_str(),
                kind: input.role,
                project,
                permission,
                department,
                inviter: viewer.id,
                token_hash: &token_hash,
                expiry_period: expiry,
                now,
                validity_ends_at: now + INVITATION_VALIDITY_MS,
            },
        )
        .await?;
        ids.push(id);
        mails.push(queue_invitation_mail(&mut tx, state, viewer, e.as_str(), input.role, project_name.as_deref(), permission, &token).await?);
    }
    tx.commit().await?;
    state.deliver(&mails).await;
    Ok(ids)
}

fn item(r: InvitationRow, now: i64) -> InvitationItem {
    let st = InvitationState::at(r.state, r.validity_ends_at.0, now);
    InvitationItem {
        id: r.id.0,
        email: r.email,
        is_guest: r.kind == PersonKind::Guest,
        inviter: r.inviter,
        created_at: r.created_at.0,
        project: r.project,
        permission: r.permission,
        state: st,
        may_resend: matches!(st, InvitationState::Pending | InvitationState::Lapsed),
    }
}

/// Admins see the invitations of their reach; others the ones they sent.
pub async fn list(state: &AppState, viewer: &Viewer, cursor: Option<&str>) -> Result<Page<InvitationItem>, AppError> {
    list_in(state, viewer, None, cursor).await
}

/// [`list`], all of them or those in one state (as [`InvitationState::at`] has it).
pub async fn list_in(state: &AppState, viewer: &Viewer, only: Option<InvitationState>, cursor: Option<&str>) -> Result<Page<InvitationItem>, AppError> {
    access::members_only(viewer).map_err(|d| AppError::denied(d, NOT_FOUND))?;
    let pos = Position::parse_numeric(cursor)?;
    let now = state.now_ms();
    let rows = db::list(state.db.pool(), viewer.org_id, viewer.is_company_admin, viewer.id, !viewer.is_admin(), only, now, &pos, INVITATIONS_PAGE + 1).await?;
    let page = page_of(rows, &pos, INVITATIONS_PAGE, db::list_key);
    Ok(Page { items: page.items.into_iter().map(|r| item(r, now)).collect(), next: page.next, prev: page.prev })
}

/// An invitation this viewer may resend or revoke: their own, or one in their reach.
async fn manageable(tx: &mut WriteTx, viewer: &Viewer, id: i64) -> Result<InvitationRow, AppError> {
    manageable_on(tx.conn(), viewer, id).await
}

async fn manageable_on(conn: &mut sqlx::AnyConnection, viewer: &Viewer, id: i64) -> Result<InvitationRow, AppError> {
    access::members_only(viewer).map_err(|d| AppError::denied(d, NOT_FOUND))?;
    let row = db::by_id(conn, viewer.org_id, InvitationId(id)).await?.ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
    let in_scope = viewer.is_company_admin || (viewer.is_admin() && db::manages(conn, viewer.id, row.department_id).await?);
    let relation = if in_scope { Relation::InScope } else { Relation::OutOfScope };
    access::may_manage_invitation(viewer, relation, row.inviter_id == viewer.id).map_err(|d| AppError::denied(d, NOT_FOUND))?;
    Ok(row)
}

/// Sends an invitation again with a new link: at most once a minute and five times a
/// day, and a lapsed guest invitation takes a place in the quota again, checked like a
/// new one.
pub async fn resend(state: &AppState, viewer: &Viewer, id: i64) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let row = manageable(&mut tx, viewer, id).await?;
    let kind = row.kind;
    may_invite(viewer, &db::settings(tx.conn(), viewer.org_id).await?, kind).map_err(refusal)?;
    let st = InvitationState::at(row.state, row.validity_ends_at.0, now);
    if !matches!(st, InvitationState::Pending | InvitationState::Lapsed) {
        return Err(AppError::Conflict("This invitation was already accepted or revoked.".into()));
    }
    if !crate::data::structure::is_live(tx.conn(), viewer.org_id, row.department_id).await? {
        return Err(AppError::Conflict("The department of this invitation was deleted: send a new invitation instead.".into()));
    }
    let permission = row.permission;
    // The same project rules as a new invitation: open, and no more than the sender has.
    if let Some(p) = row.project_id {
        project_for(&mut tx, viewer, p.0, permission.unwrap_or(Permission::ReadOnly)).await?;
    }
    let (day_start, resends) = resend_allowed(row.sent_at.0, row.resend_day_start.0, row.resends_in_day, now)
        .map_err(|e| AppError::RateLimited { message: e.to_string(), retry_after_secs: e.retry_after_secs() })?;
    if kind == PersonKind::Guest && st == InvitationState::Lapsed {
        db::quota(tx.conn(), viewer.org_id, now).await?.admit(1)?;
    }
    let (token, token_hash) = new_token();
    let renewal = db::Renewal {
        token_hash: &token_hash,
        now,
        validity_ends_at: now + INVITATION_VALIDITY_MS,
        resend_day_start: day_start,
        resends_in_day: resends,
    };
    if !db::renew(&mut tx, viewer.org_id, InvitationId(id), renewal, viewer.id).await? {
        return Err(AppError::Conflict("This invitation was already accepted or revoked.".into()));
    }
    let mail = queue_invitation_mail(&mut tx, state, viewer, &row.email, kind, row.project.as_deref(), permission, &token).await?;
    tx.commit().await?;
    state.deliver(&[mail]).await;
    Ok(())
}

/// One invitation the viewer may manage (their own, or one in their reach), as listed.
pub async fn get(state: &AppState, viewer: &Viewer, id: i64) -> Result<InvitationItem, AppError> {
    let mut conn = state.db.pool().acquire().await.map_err(crate::data::DbError::from)?;
    let row = manageable_on(&mut conn, viewer, id).await?;
    Ok(item(row, state.now_ms()))
}

pub async fn revoke(state: &AppState, viewer: &Viewer, id: i64) -> Result<(), AppError> {
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    manageable(&mut tx, viewer, id).await?;
    if !db::revoke(&mut tx, viewer.org_id, InvitationId(id), viewer.id, state.now_ms()).await? {
        return Err(AppError::Conflict("This invitation was already accepted, revoked or lapsed.".into()));
    }
    tx.commit().await?;
    Ok(())
}
