//! `/api/v1/settings` (Company Admins): the organization's settings — the invitation
//! feature, who may invite guests besides admins, the guest quota, the report options
//! and the Guest Profile — and which users are authorized to invite.

use super::problem::{ApiJson, ApiPath, Errors};
use super::{ApiResult, Caller};
use crate::domain::api_token::Scope;
use crate::domain::invite::{InvitePolicy, OrgSettings};
use crate::domain::profile::GuestProfile;
use crate::service;
use crate::web::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Who may invite guests besides Company Admins and Department Admins.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiInvitePolicy {
    /// Nobody else.
    Admins,
    /// Every member.
    Everyone,
    /// The users authorized one by one.
    Selected,
}

/// The features guests may use (the Guest Profile). With one off, no member can use it
/// with a guest; guests never reach other guests.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiGuestProfile {
    pub messaging: bool,
    pub file_sharing: bool,
    pub audio_calls: bool,
    pub video_calls: bool,
    pub screen_sharing: bool,
    pub channel_creation: bool,
}

/// The organization's settings.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The feature "Invitation of External Users".
    pub invitations_enabled: bool,
    pub invite_policy: ApiInvitePolicy,
    /// Guests each member may have invited (0 to 1000); the organization's quota is this
    /// times its members.
    pub guests_per_member: i64,
    /// Whether members see the group All.
    pub display_all_group: bool,
    /// Whether Company Admins are mailed the monthly Activity Report.
    pub receive_activity_report: bool,
    pub guest_profile: ApiGuestProfile,
}

/// A member who may be authorized to invite.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Inviter {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub authorized: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SettingsWithInviters {
    pub settings: Settings,
    /// Members and whether each is authorized to invite (used when invite_policy is
    /// selected). Company Admins invite anyway and are not listed.
    pub inviters: Vec<Inviter>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Authorization {
    pub authorized: bool,
}

impl From<OrgSettings> for Settings {
    fn from(s: OrgSettings) -> Self {
        let p = s.guest_profile;
        Settings {
            invitations_enabled: s.invitations_enabled,
            invite_policy: match s.invite_policy {
                InvitePolicy::Admins => ApiInvitePolicy::Admins,
                InvitePolicy::Everyone => ApiInvitePolicy::Everyone,
                InvitePolicy::Selected => ApiInvitePolicy::Selected,
            },
            guests_per_member: s.guests_per_member,
            display_all_group: s.display_all_group,
            receive_activity_report: s.receive_activity_report,
            guest_profile: ApiGuestProfile {
                messaging: p.messaging,
                file_sharing: p.file_sharing,
                audio_calls: p.audio_calls,
                video_calls: p.video_calls,
                screen_sharing: p.screen_sharing,
                channel_creation: p.channel_creation,
            },
        }
    }
}

impl From<Settings> for OrgSettings {
    fn from(s: Settings) -> Self {
        let p = s.guest_profile;
        OrgSettings {
            invitations_enabled: s.invitations_enabled,
            invite_policy: match s.invite_policy {
                ApiInvitePolicy::Admins => InvitePolicy::Admins,
                ApiInvitePolicy::Everyone => InvitePolicy::Everyone,
                ApiInvitePolicy::Selected => InvitePolicy::Selected,
            },
            guests_per_member: s.guests_per_member,
            display_all_group: s.display_all_group,
            receive_activity_report: s.receive_activity_report,
            guest_profile: GuestProfile {
                messaging: p.messaging,
                file_sharing: p.file_sharing,
                audio_calls: p.audio_calls,
                video_calls: p.video_calls,
                screen_sharing: p.screen_sharing,
                channel_creation: p.channel_creation,
            },
        }
    }
}

async fn current(state: &AppState, viewer: &crate::domain::Viewer) -> Result<SettingsWithInviters, super::problem::ApiError> {
    let v = service::settings::get(state, viewer).await?;
    Ok(SettingsWithInviters {
        settings: v.settings.into(),
        inviters: v.members.into_iter().map(|m| Inviter { id: m.id, name: m.name, email: m.email, authorized: m.authorized }).collect(),
    })
}

/// Get the settings
///
/// Company Admins only. Scope: manage_settings.
#[utoipa::path(operation_id = "get_settings", get, path = "/api/v1/settings", tag = "Settings", security(("bearer" = [])),
    responses((status = 200, description = "The settings and who is authorized to invite", body = SettingsWithInviters), Errors))]
pub async fn get(State(state): State<AppState>, Caller(c): Caller) -> ApiResult<SettingsWithInviters> {
    let viewer = c.with(Scope::ManageSettings)?;
    Ok(Json(current(&state, viewer).await?))
}

/// Change the settings
///
/// Every field is given (read them first). Company Admins only; logged as the console
/// logs it. Scope: manage_settings.
#[utoipa::path(operation_id = "update_settings", put, path = "/api/v1/settings", tag = "Settings", request_body = Settings, security(("bearer" = [])),
    responses((status = 200, description = "The settings as they are now", body = SettingsWithInviters), Errors))]
pub async fn update(State(state): State<AppState>, Caller(c): Caller, ApiJson(b): ApiJson<Settings>) -> ApiResult<SettingsWithInviters> {
    let viewer = c.with(Scope::ManageSettings)?;
    service::settings::save(&state, viewer, &b.into()).await?;
    Ok(Json(current(&state, viewer).await?))
}

/// Authorize a user to invite
///
/// Used while invite_policy is selected. Company Admins only. Scope: manage_settings.
#[utoipa::path(operation_id = "authorize_inviter", put, path = "/api/v1/settings/inviters/{id}", tag = "Settings", params(("id" = i64, Path, description = "The member's id")), request_body = Authorization, security(("bearer" = [])),
    responses((status = 200, description = "The settings as they are now", body = SettingsWithInviters), Errors))]
pub async fn authorize(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<Authorization>) -> ApiResult<SettingsWithInviters> {
    let viewer = c.with(Scope::ManageSettings)?;
    service::settings::authorize(&state, viewer, id, b.authorized).await?;
    Ok(Json(current(&state, viewer).await?))
}
