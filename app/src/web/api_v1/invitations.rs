//! `/api/v1/invitations`: invite guests or members, list, read, resend and revoke
//! invitations, with the console's rules (who may invite, the quota, the project's
//! rights, the resend limits).

use super::guests::{ApiExpiry, ApiPermission};
use super::problem::{ApiJson, ApiPath, ApiQuery, Errors};
use super::{time, ApiResult, Caller};
use crate::domain::api_token::Scope;
use crate::domain::invite::InvitationState;
use crate::domain::{Permission, PersonKind};
use crate::model::invitations::{InvitationItem, InviteInput};
use crate::service::invitations::sending;
use crate::web::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiKind {
    Guest,
    Member,
}

/// An invitation's state as people see it: a pending one past its link's validity is lapsed.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiInvitationState {
    Pending,
    Accepted,
    Revoked,
    Lapsed,
}

/// An invitation.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    pub kind: ApiKind,
    pub inviter: String,
    pub created_at: String,
    pub project: Option<String>,
    pub permission: Option<ApiPermission>,
    pub state: ApiInvitationState,
    /// Whether it may be sent again now.
    pub may_resend: bool,
}

impl From<InvitationItem> for Invitation {
    fn from(i: InvitationItem) -> Self {
        Invitation {
            id: i.id,
            email: i.email,
            kind: if i.is_guest { ApiKind::Guest } else { ApiKind::Member },
            inviter: i.inviter,
            created_at: time(i.created_at),
            project: i.project,
            permission: i.permission.map(Into::into),
            state: match i.state {
                InvitationState::Pending => ApiInvitationState::Pending,
                InvitationState::Accepted => ApiInvitationState::Accepted,
                InvitationState::Revoked => ApiInvitationState::Revoked,
                InvitationState::Lapsed => ApiInvitationState::Lapsed,
            },
            may_resend: i.may_resend,
        }
    }
}

impl From<ApiInvitationState> for InvitationState {
    fn from(s: ApiInvitationState) -> Self {
        match s {
            ApiInvitationState::Pending => InvitationState::Pending,
            ApiInvitationState::Accepted => InvitationState::Accepted,
            ApiInvitationState::Revoked => InvitationState::Revoked,
            ApiInvitationState::Lapsed => InvitationState::Lapsed,
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct InvitationList {
    pub items: Vec<Invitation>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only invitations in this state (default: all).
    pub state: Option<ApiInvitationState>,
    /// The `next_cursor` of the page before.
    pub cursor: Option<String>,
}

/// New invitations: one per address, all sent or none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitations {
    /// 1 to 50 addresses.
    #[schema(min_items = 1, max_items = 50, value_type = Vec<EmailAddress>)]
    pub emails: Vec<String>,
    pub kind: ApiKind,
    /// The project a guest joins (required for guests).
    pub project: Option<i64>,
    /// Rights in the project (default read_only).
    pub permission: Option<ApiPermission>,
    /// A guest's sponsor department or a member's department (default: the inviter's).
    pub department: Option<i64>,
    /// A guest's expiry, counted from acceptance (default never).
    pub expiry: Option<ApiExpiry>,
}

/// An email address (the document's name for the strings of `emails`).
#[derive(ToSchema)]
#[schema(value_type = String, format = Email, example = "ada@partner.example")]
pub struct EmailAddress(#[allow(dead_code)] String);

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Created {
    pub items: Vec<Invitation>,
}

/// The most addresses one request invites.
const MAX_EMAILS: usize = 50;

/// List invitations
///
/// Newest first: all of the organization for a Company Admin, those of their
/// departments for a Department Admin; all states, or the one asked for.
/// Scope: manage_invitations.
#[utoipa::path(operation_id = "list_invitations", get, path = "/api/v1/invitations", tag = "Invitations", params(ListParams), security(("bearer" = [])),
    responses((status = 200, description = "A page of invitations", body = InvitationList), Errors))]
pub async fn list(State(state): State<AppState>, Caller(c): Caller, ApiQuery(p): ApiQuery<ListParams>) -> ApiResult<InvitationList> {
    let viewer = c.with(Scope::ManageInvitations)?;
    let page = sending::list_in(&state, viewer, p.state.map(Into::into), p.cursor.as_deref()).await?;
    Ok(Json(InvitationList { items: page.items.into_iter().map(Invitation::from).collect(), next_cursor: page.next }))
}

/// Invite
///
/// Sends one invitation per address, all or none (each address free, the quota not
/// exceeded). Scope: manage_invitations.
#[utoipa::path(operation_id = "create_invitations", post, path = "/api/v1/invitations", tag = "Invitations", request_body = NewInvitations, security(("bearer" = [])),
    responses((status = 201, description = "The invitations sent", body = Created), Errors))]
pub async fn create(State(state): State<AppState>, Caller(c): Caller, ApiJson(b): ApiJson<NewInvitations>) -> Result<(http::StatusCode, Json<Created>), super::problem::ApiError> {
    let viewer = c.with(Scope::ManageInvitations)?;
    if b.emails.is_empty() || b.emails.len() > MAX_EMAILS {
        return Err(crate::error::AppError::Invalid(format!("Send 1 to {MAX_EMAILS} addresses at once.")).into());
    }
    if b.emails.iter().any(|e| e.contains([',', ';', '\n']) || e.len() > 320) {
        return Err(crate::error::AppError::Invalid("Give each address on its own, without commas.".into()).into());
    }
    let input = InviteInput {
        emails: b.emails.join("\n"),
        role: match b.kind {
            ApiKind::Guest => PersonKind::Guest,
            ApiKind::Member => PersonKind::Member,
        },
        project: b.project,
        permission: b.permission.map(Permission::from).unwrap_or(Permission::ReadOnly),
        department: b.department,
        expiry: b.expiry.map(Into::into).unwrap_or(crate::domain::expiry::ExpiryPeriod::Never),
    };
    let ids = sending::send_ids(&state, viewer, input).await?;
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        items.push(sending::get(&state, viewer, id.0).await?.into());
    }
    Ok((http::StatusCode::CREATED, Json(Created { items })))
}

/// Get an invitation
///
/// Scope: manage_invitations.
#[utoipa::path(operation_id = "get_invitation", get, path = "/api/v1/invitations/{id}", tag = "Invitations", params(("id" = i64, Path, description = "The invitation's id")), security(("bearer" = [])),
    responses((status = 200, description = "The invitation", body = Invitation), Errors))]
pub async fn get(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Invitation> {
    let viewer = c.with(Scope::ManageInvitations)?;
    Ok(Json(sending::get(&state, viewer, id).await?.into()))
}

/// Resend an invitation
///
/// A new link, valid for 7 days; at most once a minute and five times a day.
/// Scope: manage_invitations.
#[utoipa::path(operation_id = "resend_invitation", post, path = "/api/v1/invitations/{id}/resend", tag = "Invitations", params(("id" = i64, Path, description = "The invitation's id")), security(("bearer" = [])),
    responses((status = 200, description = "The invitation as it is now", body = Invitation), Errors))]
pub async fn resend(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Invitation> {
    let viewer = c.with(Scope::ManageInvitations)?;
    sending::resend(&state, viewer, id).await?;
    Ok(Json(sending::get(&state, viewer, id).await?.into()))
}

/// Revoke an invitation
///
/// Its link stops working. Scope: manage_invitations.
#[utoipa::path(operation_id = "revoke_invitation", delete, path = "/api/v1/invitations/{id}", tag = "Invitations", params(("id" = i64, Path, description = "The invitation's id")), security(("bearer" = [])),
    responses((status = 200, description = "The invitation as it is now", body = Invitation), Errors))]
pub async fn revoke(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Invitation> {
    let viewer = c.with(Scope::ManageInvitations)?;
    sending::revoke(&state, viewer, id).await?;
    Ok(Json(sending::get(&state, viewer, id).await?.into()))
}
