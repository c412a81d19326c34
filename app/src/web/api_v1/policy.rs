//! `/api/v1/policy` and `/api/v1/people/{id}/directory`: what the messenger clients ask
//! Lobby — may person A use a feature with person B, and why (the Guest Profile, each
//! one's state); and the directory as a given person sees it. Asked about someone else
//! than the token's owner, the same rule as the console's View as applies: an admin,
//! about a person in their scope.

use super::problem::{ApiPath, ApiQuery, Errors};
use super::{ApiResult, Caller};
use crate::domain::api_token::Scope;
use crate::domain::PersonKind;
use crate::model::directory::Contact;
use crate::service::directory as service;
use crate::web::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PolicyParams {
    /// Who would use the feature (default: the token's owner).
    pub person: Option<i64>,
    /// messaging, file_sharing, audio_calls, video_calls, screen_sharing or
    /// channel_creation.
    pub feature: String,
    /// With whom.
    pub with: i64,
}

/// The policy's answer.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PolicyAnswer {
    pub person: i64,
    pub with: i64,
    pub feature: String,
    pub allowed: bool,
    /// Why, in words a person reads.
    pub reason: String,
}

/// May a person use a feature with another
///
/// The Guest Profile's answer with its reason, as the console gives it. A guest never
/// learns of another guest: asked as a guest about one, the answer is 404.
/// Scope: ask_policy.
#[utoipa::path(operation_id = "ask_policy", get, path = "/api/v1/policy", tag = "Policy", params(PolicyParams), security(("bearer" = [])),
    responses((status = 200, description = "Allowed or not, and why", body = PolicyAnswer), Errors))]
pub async fn ask(State(state): State<AppState>, Caller(c): Caller, ApiQuery(p): ApiQuery<PolicyParams>) -> ApiResult<PolicyAnswer> {
    let viewer = c.with(Scope::AskPolicy)?;
    let person = p.person.unwrap_or(viewer.id.0);
    let answer = service::may_use_as(&state, viewer, Some(person).filter(|&id| id != viewer.id.0), &p.feature, p.with).await?;
    Ok(Json(PolicyAnswer { person, with: p.with, feature: answer.feature.key().to_string(), allowed: answer.available, reason: answer.reason }))
}

#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiPersonKind {
    Member,
    Guest,
}

/// A person in a directory.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ApiContact {
    pub id: i64,
    pub name: String,
    pub kind: ApiPersonKind,
    /// Their department ("Guests" for a guest).
    pub department: String,
}

impl From<Contact> for ApiContact {
    fn from(c: Contact) -> Self {
        ApiContact {
            id: c.id,
            name: c.name,
            kind: if c.kind == PersonKind::Guest { ApiPersonKind::Guest } else { ApiPersonKind::Member },
            department: c.department,
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ApiDepartment {
    pub id: i64,
    pub parent: Option<i64>,
    pub name: String,
    /// Live members (never guests).
    pub members: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ApiGroup {
    pub id: i64,
    pub name: String,
    pub is_all: bool,
    pub members: i64,
}

/// A directory as one person sees it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DirectoryPage {
    pub person: i64,
    pub departments: Vec<ApiDepartment>,
    /// Their groups (never any for a guest).
    pub groups: Vec<ApiGroup>,
    /// A page of the people they see (a guest: members only, never another guest).
    pub people: Vec<ApiContact>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectoryParams {
    /// The `next_cursor` of the page before.
    pub cursor: Option<String>,
}

/// A person's directory
///
/// The departments, groups and people the person sees, as their Contacts page shows
/// them. About someone other than the token's owner: an admin, about a person in their
/// scope (logged as a View as). Scope: ask_policy.
#[utoipa::path(operation_id = "person_directory", get, path = "/api/v1/people/{id}/directory", tag = "Policy", params(("id" = i64, Path, description = "The person's id"), DirectoryParams), security(("bearer" = [])),
    responses((status = 200, description = "The directory as the person sees it", body = DirectoryPage), Errors))]
pub async fn directory(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>, ApiQuery(p): ApiQuery<DirectoryParams>) -> ApiResult<DirectoryPage> {
    let viewer = c.with(Scope::AskPolicy)?;
    let d = service::directory(&state, viewer, Some(id).filter(|&p| p != viewer.id.0), p.cursor.as_deref()).await?;
    Ok(Json(DirectoryPage {
        person: id,
        departments: d.departments.into_iter().map(|d| ApiDepartment { id: d.id, parent: d.parent, name: d.name, members: d.members }).collect(),
        groups: d.groups.into_iter().map(|g| ApiGroup { id: g.id, name: g.name, is_all: g.is_all, members: g.members }).collect(),
        people: d.people.items.into_iter().map(ApiContact::from).collect(),
        next_cursor: d.people.next,
    }))
}
