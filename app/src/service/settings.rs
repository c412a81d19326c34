//! Settings → Users Authorization (Company Admin only): the *Invitation of External
//! Users* feature, who may invite guests besides admins, and the guest quota per member.

use crate::domain::invite::OrgSettings;
use crate::error::AppError;
use crate::model::settings::*;
use crate::data::invitations as db;
use crate::data::people;
use crate::domain::{PersonId, Viewer};
use crate::web::state::AppState;

fn company_admin(viewer: &Viewer) -> Result<(), AppError> {
    crate::domain::access::company_admin_only(viewer).map_err(|d| AppError::denied(d, "Not found."))
}

pub async fn get(state: &AppState, viewer: &Viewer) -> Result<SettingsView, AppError> {
    company_admin(viewer)?;
    let settings = db::settings_of(state.db.pool(), viewer.org_id).await?;
    let members = people::members_for_picker(state.db.pool(), viewer.org_id, 1000)
        .await?
        .into_iter()
        .filter(|m| !m.is_company_admin)
        .map(|m| MemberChoice { id: m.id.0, name: format!("{} {}", m.first_name, m.last_name), email: m.email, authorized: m.authorized_to_invite })
        .collect();
    Ok(SettingsView { settings, members })
}

pub async fn save(state: &AppState, viewer: &Viewer, s: &OrgSettings) -> Result<(), AppError> {
    company_admin(viewer)?;
    s.validate()?;
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    db::save_settings(&mut tx, viewer.org_id, s, viewer.id, state.now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn authorize(state: &AppState, viewer: &Viewer, person: i64, on: bool) -> Result<(), AppError> {
    company_admin(viewer)?;
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    if !db::set_authorized(&mut tx, viewer.org_id, PersonId(person), on, viewer.id, state.now_ms()).await? {
        return Err(AppError::NotFound("This member was not found.".into()));
    }
    tx.commit().await?;
    Ok(())
}
