//! Settings → Users Authorization (Company Admin only): the *Invitation of External
//! Users* feature, who may invite guests besides admins, and the guest quota per member.

use crate::domain::invite::OrgSettings;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberChoice {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub authorized: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub settings: OrgSettings,
    /// Members who could be authorized (Company Admins invite anyway and are left out).
    pub members: Vec<MemberChoice>,
}

#[server(endpoint = "get_settings")]
pub async fn get_settings() -> Result<SettingsView, AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::get(&state, &viewer).await
    }.await)
}

#[server(endpoint = "save_settings", input = server_fn::codec::Json)]
pub async fn save_settings(settings: OrgSettings) -> Result<(), AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::save(&state, &viewer, &settings).await
    }.await)
}

#[server(endpoint = "set_invite_authorization")]
pub async fn set_invite_authorization(person: i64, authorized: bool) -> Result<(), AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::authorize(&state, &viewer, person, authorized).await
    }.await)
}

#[cfg(feature = "ssr")]
pub mod inner {
    use super::*;
    use crate::data::invitations as db;
    use crate::data::people;
    use crate::domain::{PersonId, Role, Viewer};
    use crate::state::AppState;

    fn company_admin(viewer: &Viewer) -> Result<(), AppError> {
        if viewer.role() == Role::CompanyAdmin {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub async fn get(state: &AppState, viewer: &Viewer) -> Result<SettingsView, AppError> {
        company_admin(viewer)?;
        let settings = db::settings_of(state.db.pool(), viewer.org_id).await?;
        let members = people::members_for_picker(state.db.pool(), viewer.org_id, 1000)
            .await?
            .into_iter()
            .filter(|m| m.is_company_admin == 0)
            .map(|m| MemberChoice { id: m.id, name: format!("{} {}", m.first_name, m.last_name), email: m.email, authorized: m.authorized_to_invite != 0 })
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
}
