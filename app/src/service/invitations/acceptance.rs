//! Accepting an invitation by its link (F-ACCEPT): the token is the credential, the
//! world is re-checked, exactly one account per invitation.

use crate::domain::{Permission, PersonKind};
use crate::error::AppError;
use crate::model::invitations::*;
use crate::auth::hash_password_blocking;
use super::token::hash_token;
use crate::data::invitations::{self as db, InvitationRow};
use crate::data::people::{self, NewGuest, NewMember};
use crate::data::{activity, orgs, projects};
use crate::domain::invite::{
    may_accept, InvitationState, ProjectNow,
};
use crate::domain::{Mobile, NewPassword, PersonId, PersonName};
use crate::web::state::AppState;

fn bad_link() -> AppError {
    AppError::NotFound("This invitation link is not valid. Check that you copied all of it.".into())
}

/// A usable invitation by its token, or the message that says why not.
async fn usable(state: &AppState, token: &str) -> Result<InvitationRow, AppError> {
    if token.trim().len() != 64 {
        return Err(bad_link());
    }
    let mut conn = state.db.pool().acquire().await.map_err(crate::data::DbError::from)?;
    let row = db::by_token_hash(&mut conn, &hash_token(token)).await?.ok_or_else(bad_link)?;
    let st = InvitationState::at(row.state, row.validity_ends_at.0, state.now_ms());
    match st.unusable_message() {
        Some(m) => Err(AppError::Conflict(m.to_string())),
        None => Ok(row),
    }
}

pub async fn info(state: &AppState, token: &str) -> Result<InvitationPreview, AppError> {
    let row = usable(state, token).await?;
    let org_name = orgs::org_name(state.db.pool(), row.org_id).await?.unwrap_or_default();
    Ok(InvitationPreview {
        org_name,
        inviter: row.inviter,
        email: row.email,
        is_guest: row.kind == PersonKind::Guest,
        project: row.project,
        permission: row.permission,
    })
}

/// Redeems a link: exactly one account per invitation, however many try at once.
pub async fn accept(state: &AppState, token: &str, first: &str, last: &str, password: &str, mobile: &str) -> Result<PersonId, AppError> {
    let first = PersonName::parse(first, "First name")?;
    let last = PersonName::parse(last, "Last name")?;
    let password = NewPassword::parse(password)?;
    let mobile = Mobile::parse(mobile)?;
    let row = usable(state, token).await?;
    let hash = hash_password_blocking(state, password.expose().to_string()).await?;
    let org = row.org_id;
    let now = state.now_ms();
    let mut tx = state.db.begin_org_write(org).await?;
    if !db::claim(&mut tx, row.id, now).await? {
        // Someone else redeemed it (or it lapsed) between reading and claiming.
        let mut conn = state.db.pool().acquire().await.map_err(crate::data::DbError::from)?;
        drop(tx);
        let again = db::by_token_hash(&mut conn, &hash_token(token)).await?.ok_or_else(bad_link)?;
        let st = InvitationState::at(again.state, again.validity_ends_at.0, now);
        return Err(AppError::Conflict(st.unusable_message().unwrap_or("This invitation can no longer be used.").to_string()));
    }
    // The world may have changed since the invitation was sent.
    let settings = db::settings(tx.conn(), org).await?;
    let inviter = people::load_viewer(state.db.pool(), row.inviter_id, now).await?.map(|(v, _)| v);
    let inviter = inviter.filter(|v| v.org_id == org);
    let project_now = match row.project_id {
        Some(p) => {
            let archived = projects::get(tx.conn(), org, p).await?.is_none_or(|p| p.archived);
            let inviter_permission = match &inviter {
                Some(v) if v.is_admin() => Some(Permission::Edit),
                Some(v) => projects::membership(tx.conn(), v.id, p).await?,
                None => None,
            };
            let given = row.permission.unwrap_or(Permission::ReadOnly);
            Some(ProjectNow { archived, inviter_permission, given })
        }
        None => None,
    };
    let kind = row.kind;
    may_accept(inviter.as_ref(), &settings, kind, project_now).map_err(|e| AppError::Conflict(e.to_string()))?;
    if people::email_in_use_tx(&mut tx, org, &row.email).await? {
        return Err(AppError::Conflict("This email address already belongs to a person of the organization. Sign in instead.".into()));
    }
    let permission = row.permission.unwrap_or(Permission::ReadOnly);
    let project = row.project_id;
    let person = if row.kind == PersonKind::Guest {
        let period = row.expiry_period;
        let expires_at = period.and_then(|p| p.expires_at(state.clock.now())).map(|t| t.timestamp_millis());
        people::insert_guest(
            &mut tx,
            NewGuest {
                org,
                email: &row.email,
                first_name: first.as_str(),
                last_name: last.as_str(),
                mobile: mobile.as_ref().map(|m| m.as_str()),
                password_hash: Some(&hash),
                invited_by: row.inviter_id,
                invited_at: row.created_at.0,
                sponsor_department: row.department_id,
                project,
                permission,
                expires_at,
                expiry_period: period,
                expiry_set_at: now,
                now,
            },
        )
        .await?
    } else {
        let id = people::insert_member(
            &mut tx,
            NewMember {
                org,
                email: &row.email,
                first_name: first.as_str(),
                last_name: last.as_str(),
                mobile: mobile.as_ref().map(|m| m.as_str()),
                department: row.department_id,
                is_company_admin: false,
                authorized_to_invite: false,
                password_hash: Some(&hash),
                now,
            },
        )
        .await?;
        if let Some(p) = project {
            people::add_project_member(&mut tx, p, id, permission).await?;
        }
        id
    };
    db::set_accepted_person(&mut tx, row.id, person).await?;
    activity::record(
        &mut tx,
        activity::Entry { org, at: now, actor: Some(person), subject: Some(person), action: activity::Action::InvitationAccepted, details: row.kind.as_db(), target: None, scope: None },
    )
    .await?;
    tx.commit().await?;
    Ok(person)
}
