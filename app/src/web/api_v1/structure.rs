//! `/api/v1/departments` and `/api/v1/groups`: Groups and Departments as the console's
//! admin page has them — read with read_guests (departments sponsor guests), changed with
//! manage_guests — with its rules: a Department Admin works below the departments they
//! manage, top-level departments and groups are a Company Admin's, the Guests department
//! is never touched, and a guest is in no group.

use super::problem::{ApiJson, ApiPath, ApiQuery, Errors};
use super::{ApiResult, Caller};
use crate::domain::api_token::Scope;
use crate::model::structure::{DepartmentDetails, GroupDetails, MemberEntry, StructurePage};
use crate::service::structure as service;
use crate::web::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Department {
    pub id: i64,
    pub parent: Option<i64>,
    pub name: String,
    /// Live members (never guests).
    pub members: i64,
    /// Whether the token's owner may rename, move or delete it.
    pub may_edit: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub is_all: bool,
    pub members: i64,
}

/// The departments (a Company Admin: the whole tree; a Department Admin: theirs and
/// below), parents before children, and the groups.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Structure {
    pub departments: Vec<Department>,
    pub groups: Vec<Group>,
}

impl From<StructurePage> for Structure {
    fn from(p: StructurePage) -> Self {
        Structure {
            departments: p.departments.into_iter().map(|d| Department { id: d.id, parent: d.parent, name: d.name, members: d.members, may_edit: d.may_edit }).collect(),
            groups: p.groups.into_iter().map(|g| Group { id: g.id, name: g.name, is_all: g.is_all, members: g.members }).collect(),
        }
    }
}

/// A member of a department or a group.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Member {
    pub id: i64,
    pub name: String,
    pub department: String,
    /// Whether the token's owner may move them, or take them out of the group.
    pub may_change: bool,
}

fn member(m: MemberEntry) -> Member {
    Member { id: m.contact.id, name: m.contact.name, department: m.contact.department, may_change: m.may_change }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Admin {
    pub id: i64,
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DepartmentPage {
    pub id: i64,
    pub name: String,
    /// The parent's name.
    pub parent: Option<String>,
    pub admins: Vec<Admin>,
    pub member_count: i64,
    pub members: Vec<Member>,
    pub next_cursor: Option<String>,
}

impl From<DepartmentDetails> for DepartmentPage {
    fn from(d: DepartmentDetails) -> Self {
        DepartmentPage {
            id: d.id,
            name: d.name,
            parent: d.parent,
            admins: d.admins.into_iter().map(|a| Admin { id: a.id, name: a.name, email: a.email }).collect(),
            member_count: d.member_count,
            members: d.members.items.into_iter().map(member).collect(),
            next_cursor: d.members.next,
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct GroupPage {
    pub id: i64,
    pub name: String,
    pub is_all: bool,
    pub member_count: i64,
    pub members: Vec<Member>,
    pub next_cursor: Option<String>,
}

impl From<GroupDetails> for GroupPage {
    fn from(g: GroupDetails) -> Self {
        GroupPage { id: g.id, name: g.name, is_all: g.is_all, member_count: g.member_count, members: g.members.items.into_iter().map(member).collect(), next_cursor: g.members.next }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The `next_cursor` of the page before.
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDepartment {
    pub name: String,
    /// The parent department (none: a top-level department, Company Admins only).
    pub parent: Option<i64>,
}

/// A department's new name, or its new place, or both.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentChange {
    pub name: Option<String>,
    /// Move under this department; with `to_top`, to the top level instead.
    pub parent: Option<i64>,
    #[serde(default)]
    pub to_top: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMembers {
    /// 1 to 500 members of the organization; all are added or none.
    #[schema(min_items = 1, max_items = 500)]
    pub people: Vec<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    pub department: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Done {
    pub changed: usize,
}

const DEPT: &str = "The department's id";

/// List departments and groups
///
/// Scope: read_guests.
#[utoipa::path(operation_id = "list_departments", get, path = "/api/v1/departments", tag = "Departments and groups", security(("bearer" = [])),
    responses((status = 200, description = "The departments and groups", body = Structure), Errors))]
pub async fn list(State(state): State<AppState>, Caller(c): Caller) -> ApiResult<Structure> {
    let viewer = c.with(Scope::ReadGuests)?;
    Ok(Json(service::page(&state, viewer).await?.into()))
}

/// Get a department
///
/// Its admins and a page of its members (never a guest). Scope: read_guests.
#[utoipa::path(operation_id = "get_department", get, path = "/api/v1/departments/{id}", tag = "Departments and groups", params(("id" = i64, Path, description = DEPT), PageParams), security(("bearer" = [])),
    responses((status = 200, description = "The department", body = DepartmentPage), Errors))]
pub async fn get(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>, ApiQuery(p): ApiQuery<PageParams>) -> ApiResult<DepartmentPage> {
    let viewer = c.with(Scope::ReadGuests)?;
    Ok(Json(service::department_details(&state, viewer, id, p.cursor.as_deref()).await?.into()))
}

/// Create a department
///
/// Sibling departments have different names. Scope: manage_guests.
#[utoipa::path(operation_id = "create_department", post, path = "/api/v1/departments", tag = "Departments and groups", request_body = NewDepartment, security(("bearer" = [])),
    responses((status = 201, description = "The department", body = DepartmentPage), Errors))]
pub async fn create(State(state): State<AppState>, Caller(c): Caller, ApiJson(b): ApiJson<NewDepartment>) -> Result<(http::StatusCode, Json<DepartmentPage>), super::problem::ApiError> {
    let viewer = c.with(Scope::ManageGuests)?;
    let id = service::create_department(&state, viewer, &b.name, b.parent).await?;
    Ok((http::StatusCode::CREATED, Json(service::department_details(&state, viewer, id, None).await?.into())))
}

/// Rename or move a department
///
/// Never into itself or below itself. Scope: manage_guests.
#[utoipa::path(operation_id = "update_department", patch, path = "/api/v1/departments/{id}", tag = "Departments and groups", params(("id" = i64, Path, description = DEPT)), request_body = DepartmentChange, security(("bearer" = [])),
    responses((status = 200, description = "The department as it is now", body = DepartmentPage), Errors))]
pub async fn update(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<DepartmentChange>) -> ApiResult<DepartmentPage> {
    let viewer = c.with(Scope::ManageGuests)?;
    if b.name.is_none() && b.parent.is_none() && !b.to_top {
        return Err(crate::error::AppError::Invalid("Give a new name, a new parent, or to_top.".into()).into());
    }
    if b.parent.is_some() && b.to_top {
        return Err(crate::error::AppError::Invalid("Give a parent or to_top, not both.".into()).into());
    }
    if let Some(name) = &b.name {
        service::rename_department(&state, viewer, id, name).await?;
    }
    if b.parent.is_some() || b.to_top {
        service::move_department(&state, viewer, id, b.parent).await?;
    }
    Ok(Json(service::department_details(&state, viewer, id, None).await?.into()))
}

/// Delete a department
///
/// Only an empty one: no members, sub-departments or sponsored guests. Scope:
/// manage_guests.
#[utoipa::path(operation_id = "delete_department", delete, path = "/api/v1/departments/{id}", tag = "Departments and groups", params(("id" = i64, Path, description = DEPT)), security(("bearer" = [])),
    responses((status = 200, description = "Deleted", body = Done), Errors))]
pub async fn delete(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Done> {
    let viewer = c.with(Scope::ManageGuests)?;
    service::delete_department(&state, viewer, id).await?;
    Ok(Json(Done { changed: 1 }))
}

/// Move a member to a department
///
/// Scope: manage_guests.
#[utoipa::path(operation_id = "move_person", put, path = "/api/v1/people/{id}/department", tag = "Departments and groups", params(("id" = i64, Path, description = "The member's id")), request_body = Placement, security(("bearer" = [])),
    responses((status = 200, description = "Moved", body = Done), Errors))]
pub async fn move_person(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<Placement>) -> ApiResult<Done> {
    let viewer = c.with(Scope::ManageGuests)?;
    service::move_person(&state, viewer, id, b.department).await?;
    Ok(Json(Done { changed: 1 }))
}

/// Get a group
///
/// A page of its members. Scope: read_guests.
#[utoipa::path(operation_id = "get_group", get, path = "/api/v1/groups/{id}", tag = "Departments and groups", params(("id" = i64, Path, description = "The group's id"), PageParams), security(("bearer" = [])),
    responses((status = 200, description = "The group", body = GroupPage), Errors))]
pub async fn group(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>, ApiQuery(p): ApiQuery<PageParams>) -> ApiResult<GroupPage> {
    let viewer = c.with(Scope::ReadGuests)?;
    Ok(Json(service::group_details(&state, viewer, id, p.cursor.as_deref()).await?.into()))
}

/// Add members to a group
///
/// Members only (a guest is in no group), all or none. Scope: manage_guests.
#[utoipa::path(operation_id = "add_group_members", post, path = "/api/v1/groups/{id}/members", tag = "Departments and groups", params(("id" = i64, Path, description = "The group's id")), request_body = NewMembers, security(("bearer" = [])),
    responses((status = 200, description = "How many were added", body = Done), Errors))]
pub async fn add_members(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<NewMembers>) -> ApiResult<Done> {
    let viewer = c.with(Scope::ManageGuests)?;
    Ok(Json(Done { changed: service::add_group_members(&state, viewer, id, &b.people).await? }))
}

/// Take a member out of a group
///
/// Scope: manage_guests.
#[utoipa::path(operation_id = "remove_group_member", delete, path = "/api/v1/groups/{id}/members/{person}", tag = "Departments and groups",
    params(("id" = i64, Path, description = "The group's id"), ("person" = i64, Path, description = "The member's id")), security(("bearer" = [])),
    responses((status = 200, description = "Removed", body = Done), Errors))]
pub async fn remove_member(State(state): State<AppState>, Caller(c): Caller, ApiPath((id, person)): ApiPath<(i64, i64)>) -> ApiResult<Done> {
    let viewer = c.with(Scope::ManageGuests)?;
    service::remove_group_member(&state, viewer, id, person).await?;
    Ok(Json(Done { changed: 1 }))
}
