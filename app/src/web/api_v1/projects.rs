//! `/api/v1/projects`: the projects (workspaces) guests are invited into — listed and
//! read as the token's owner sees them (members and the guests they may see), created
//! and changed by admins as in the console. Reading needs read_guests; creating and
//! changing, manage_guests (a project is where guests work).

use super::guests::ApiPermission;
use super::problem::{ApiJson, ApiPath, Errors};
use super::{time, ApiResult, Caller};
use crate::domain::api_token::Scope;
use crate::model::projects::{ProjectSummary, ProjectView};
use crate::service;
use crate::web::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A project.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Project {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// An archived project takes no new guests or tasks.
    pub archived: bool,
}

impl From<ProjectSummary> for Project {
    fn from(p: ProjectSummary) -> Self {
        Project { id: p.id, name: p.name, description: p.description, archived: p.archived }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProjectList {
    pub items: Vec<Project>,
}

/// Someone in a project.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProjectPerson {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub is_guest: bool,
    pub permission: ApiPermission,
    /// A guest's expiry (RFC 3339, UTC).
    pub expires_at: Option<String>,
}

/// A project with the people the token's owner may see in it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProjectDetail {
    pub project: Project,
    /// Members, and the guests the owner sees (a Department Admin: those of their
    /// departments and those they invited).
    pub people: Vec<ProjectPerson>,
}

impl From<ProjectView> for ProjectDetail {
    fn from(v: ProjectView) -> Self {
        ProjectDetail {
            project: v.project.into(),
            people: v
                .members
                .into_iter()
                .map(|m| ProjectPerson { id: m.id, name: m.name, email: m.email, is_guest: m.is_guest, permission: m.permission.into(), expires_at: m.expires_at.map(time) })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProject {
    /// 1 to 120 characters.
    #[schema(min_length = 1, max_length = 120)]
    pub name: String,
    /// At most 500 characters.
    #[serde(default)]
    pub description: String,
}

/// A project's new name, description and archived flag (all three are set).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectChange {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub archived: bool,
}

/// List projects
///
/// An admin's: every project of the organization. Scope: read_guests.
#[utoipa::path(operation_id = "list_projects", get, path = "/api/v1/projects", tag = "Projects", security(("bearer" = [])),
    responses((status = 200, description = "The projects", body = ProjectList), Errors))]
pub async fn list(State(state): State<AppState>, Caller(c): Caller) -> ApiResult<ProjectList> {
    let viewer = c.with(Scope::ReadGuests)?;
    let items = service::projects::my_projects(&state, viewer).await?;
    Ok(Json(ProjectList { items: items.into_iter().map(Project::from).collect() }))
}

/// Get a project
///
/// With its members and the guests the owner may see. Scope: read_guests.
#[utoipa::path(operation_id = "get_project", get, path = "/api/v1/projects/{id}", tag = "Projects", params(("id" = i64, Path, description = "The project's id")), security(("bearer" = [])),
    responses((status = 200, description = "The project and its people", body = ProjectDetail), Errors))]
pub async fn get(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<ProjectDetail> {
    let viewer = c.with(Scope::ReadGuests)?;
    Ok(Json(service::projects::page(&state, viewer, id).await?.into()))
}

/// Create a project
///
/// Admins. Scope: manage_guests.
#[utoipa::path(operation_id = "create_project", post, path = "/api/v1/projects", tag = "Projects", request_body = NewProject, security(("bearer" = [])),
    responses((status = 201, description = "The project", body = ProjectDetail), Errors))]
pub async fn create(State(state): State<AppState>, Caller(c): Caller, ApiJson(b): ApiJson<NewProject>) -> Result<(http::StatusCode, Json<ProjectDetail>), super::problem::ApiError> {
    let viewer = c.with(Scope::ManageGuests)?;
    let id = service::projects::create(&state, viewer, &b.name, &b.description).await?;
    Ok((http::StatusCode::CREATED, Json(service::projects::page(&state, viewer, id).await?.into())))
}

/// Change a project
///
/// Rename, describe, archive or unarchive. Admins. Scope: manage_guests.
#[utoipa::path(operation_id = "update_project", put, path = "/api/v1/projects/{id}", tag = "Projects", params(("id" = i64, Path, description = "The project's id")), request_body = ProjectChange, security(("bearer" = [])),
    responses((status = 200, description = "The project as it is now", body = ProjectDetail), Errors))]
pub async fn update(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<ProjectChange>) -> ApiResult<ProjectDetail> {
    let viewer = c.with(Scope::ManageGuests)?;
    service::projects::update(&state, viewer, id, &b.name, &b.description, b.archived).await?;
    Ok(Json(service::projects::page(&state, viewer, id).await?.into()))
}
