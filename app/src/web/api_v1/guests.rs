//! `/api/v1/guests`: the Guests list, a guest, and the changes the console makes to
//! guests, within the token owner's scope (a Department Admin: the guests their
//! departments sponsor).

use super::problem::{ApiJson, ApiPath, ApiQuery, Errors};
use super::{parse_time, time, ApiResult, Caller};
use crate::domain::api_token::Scope;
use crate::domain::expiry::ExpiryPeriod;
use crate::domain::guests::{GuestSort, SortDir};
use crate::domain::Permission;
use crate::error::AppError;
use crate::model::guests::GuestItem;
use crate::service;
use crate::web::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What a guest may do in their project.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiPermission {
    Edit,
    ReadOnly,
}

impl From<Permission> for ApiPermission {
    fn from(p: Permission) -> Self {
        match p {
            Permission::Edit => ApiPermission::Edit,
            Permission::ReadOnly => ApiPermission::ReadOnly,
        }
    }
}

impl From<ApiPermission> for Permission {
    fn from(p: ApiPermission) -> Self {
        match p {
            ApiPermission::Edit => Permission::Edit,
            ApiPermission::ReadOnly => Permission::ReadOnly,
        }
    }
}

/// An expiry period, counted from when it is set (or, in an invitation, from acceptance).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiExpiry {
    Never,
    OneDay,
    OneWeek,
    OneMonth,
    SixMonths,
    OneYear,
}

impl From<ApiExpiry> for ExpiryPeriod {
    fn from(p: ApiExpiry) -> Self {
        match p {
            ApiExpiry::Never => ExpiryPeriod::Never,
            ApiExpiry::OneDay => ExpiryPeriod::OneDay,
            ApiExpiry::OneWeek => ExpiryPeriod::OneWeek,
            ApiExpiry::OneMonth => ExpiryPeriod::OneMonth,
            ApiExpiry::SixMonths => ExpiryPeriod::SixMonths,
            ApiExpiry::OneYear => ExpiryPeriod::OneYear,
        }
    }
}

impl From<ExpiryPeriod> for ApiExpiry {
    fn from(p: ExpiryPeriod) -> Self {
        match p {
            ExpiryPeriod::Never => ApiExpiry::Never,
            ExpiryPeriod::OneDay => ApiExpiry::OneDay,
            ExpiryPeriod::OneWeek => ApiExpiry::OneWeek,
            ExpiryPeriod::OneMonth => ApiExpiry::OneMonth,
            ExpiryPeriod::SixMonths => ApiExpiry::SixMonths,
            ExpiryPeriod::OneYear => ApiExpiry::OneYear,
        }
    }
}

/// The list's orders (the console's columns).
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiSort {
    FirstName,
    LastName,
    UserId,
    InvitedBy,
    InvitationDate,
    Department,
    Project,
    Permission,
    TimeLeft,
}

impl From<ApiSort> for GuestSort {
    fn from(s: ApiSort) -> Self {
        match s {
            ApiSort::FirstName => GuestSort::FirstName,
            ApiSort::LastName => GuestSort::LastName,
            ApiSort::UserId => GuestSort::UserId,
            ApiSort::InvitedBy => GuestSort::InvitedBy,
            ApiSort::InvitationDate => GuestSort::InvitationDate,
            ApiSort::Department => GuestSort::Department,
            ApiSort::Project => GuestSort::Project,
            ApiSort::Permission => GuestSort::Permission,
            ApiSort::TimeLeft => GuestSort::TimeLeft,
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiDir {
    Asc,
    Desc,
}

/// A guest.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Guest {
    /// Lobby's number for the guest.
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// The User ID the console shows (the mobile number, or Lobby's number).
    pub user_id: String,
    pub mobile: Option<String>,
    /// Who invited them.
    pub invited_by: String,
    pub invited_at: Option<String>,
    /// The sponsor department.
    pub department: String,
    pub project: Option<String>,
    pub permission: Option<ApiPermission>,
    /// When they leave (RFC 3339, UTC); none: without expiration.
    pub expires_at: Option<String>,
    pub expiry_period: Option<ApiExpiry>,
}

impl From<GuestItem> for Guest {
    fn from(g: GuestItem) -> Self {
        Guest {
            id: g.id,
            first_name: g.first_name,
            last_name: g.last_name,
            email: g.email,
            user_id: g.user_id,
            mobile: g.mobile,
            invited_by: g.invited_by,
            invited_at: g.invited_at.map(time),
            department: g.department,
            project: g.project,
            permission: g.permission.map(Into::into),
            expires_at: g.expires_at.map(time),
            expiry_period: g.expiry_period.map(Into::into),
        }
    }
}

/// A page of guests.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct GuestList {
    pub items: Vec<Guest>,
    /// Pass as `cursor` for the next page; none: this is the last.
    pub next_cursor: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Count {
    pub count: i64,
}

/// How many guests an action changed.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Changed {
    pub changed: usize,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// The `next_cursor` of the page before.
    pub cursor: Option<String>,
    /// Guests per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    #[param(inline)]
    pub sort: Option<ApiSort>,
    #[param(inline)]
    pub dir: Option<ApiDir>,
    /// Only guests leaving before this moment (RFC 3339).
    pub expires_before: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// At least 2 characters: guests with a word of their name or email starting with
    /// each word typed.
    #[param(min_length = 2, max_length = 200)]
    pub q: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameChange {
    #[schema(min_length = 1, max_length = 100)]
    pub first_name: String,
    #[schema(min_length = 1, max_length = 100)]
    pub last_name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpiryChange {
    pub period: ApiExpiry,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkExpiryChange {
    /// 1 to 500 guests.
    #[schema(min_items = 1, max_items = 500)]
    pub ids: Vec<i64>,
    pub period: ApiExpiry,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// 1 to 500 guests; all are changed or none.
    #[schema(min_items = 1, max_items = 500)]
    pub ids: Vec<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Incorporation {
    /// 1 to 500 guests; all are incorporated or none.
    #[schema(min_items = 1, max_items = 500)]
    pub ids: Vec<i64>,
    /// The department they join as members (default: their sponsor department).
    pub department: Option<i64>,
}

/// List guests
///
/// Cursor pages of the guests in the token owner's scope, in the console's orders.
/// Scope: read_guests.
#[utoipa::path(operation_id = "list_guests", get, path = "/api/v1/guests", tag = "Guests", params(ListParams), security(("bearer" = [])),
    responses((status = 200, description = "A page of guests", body = GuestList), Errors))]
pub async fn list(State(state): State<AppState>, Caller(c): Caller, ApiQuery(p): ApiQuery<ListParams>) -> ApiResult<GuestList> {
    let viewer = c.with(Scope::ReadGuests)?;
    let sort = p.sort.map(GuestSort::from).unwrap_or(GuestSort::TimeLeft);
    let dir = match p.dir {
        Some(ApiDir::Desc) => SortDir::Desc,
        _ => SortDir::Asc,
    };
    let before = p.expires_before.as_deref().map(|t| parse_time("expires_before", t)).transpose()?;
    let page = service::guests::list(&state, viewer, p.cursor.as_deref(), sort, dir, p.limit.unwrap_or(50), before).await?;
    Ok(Json(GuestList { items: page.items.into_iter().map(Guest::from).collect(), next_cursor: page.next }))
}

/// Count guests
///
/// How many live guests the token owner's scope holds. Scope: read_guests.
#[utoipa::path(operation_id = "count_guests", get, path = "/api/v1/guests/count", tag = "Guests", security(("bearer" = [])),
    responses((status = 200, description = "The count", body = Count), Errors))]
pub async fn count(State(state): State<AppState>, Caller(c): Caller) -> ApiResult<Count> {
    let viewer = c.with(Scope::ReadGuests)?;
    Ok(Json(Count { count: service::guests::count(&state, viewer).await? }))
}

/// Search guests
///
/// At most ten guests whose name or email has a word starting with each word of `q`.
/// Scope: read_guests.
#[utoipa::path(operation_id = "search_guests", get, path = "/api/v1/guests/search", tag = "Guests", params(SearchParams), security(("bearer" = [])),
    responses((status = 200, description = "Matching guests", body = GuestList), Errors))]
pub async fn search(State(state): State<AppState>, Caller(c): Caller, ApiQuery(p): ApiQuery<SearchParams>) -> ApiResult<GuestList> {
    let viewer = c.with(Scope::ReadGuests)?;
    if p.q.trim().chars().count() < 2 {
        return Err(AppError::Invalid("Type at least 2 characters to search.".into()).into());
    }
    if p.q.chars().count() > 200 {
        return Err(AppError::Invalid("A search has at most 200 characters.".into()).into());
    }
    let items = service::guests::search(&state, viewer, &p.q).await?;
    Ok(Json(GuestList { items: items.into_iter().map(Guest::from).collect(), next_cursor: None }))
}

/// Get a guest
///
/// Scope: read_guests.
#[utoipa::path(operation_id = "get_guest", get, path = "/api/v1/guests/{id}", tag = "Guests", params(("id" = i64, Path, description = "The guest's id")), security(("bearer" = [])),
    responses((status = 200, description = "The guest", body = Guest), Errors))]
pub async fn get(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Guest> {
    let viewer = c.with(Scope::ReadGuests)?;
    Ok(Json(service::guests::detail(&state, viewer, id).await?.guest.into()))
}

/// Rename a guest
///
/// Scope: manage_guests.
#[utoipa::path(operation_id = "rename_guest", patch, path = "/api/v1/guests/{id}", tag = "Guests", params(("id" = i64, Path, description = "The guest's id")), request_body = NameChange, security(("bearer" = [])),
    responses((status = 200, description = "The guest as it is now", body = Guest), Errors))]
pub async fn update(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<NameChange>) -> ApiResult<Guest> {
    let viewer = c.with(Scope::ManageGuests)?;
    service::guests::rename(&state, viewer, id, &b.first_name, &b.last_name).await?;
    Ok(Json(service::guests::detail(&state, viewer, id).await?.guest.into()))
}

/// Delete a guest
///
/// Removes the guest from the organization at once. Scope: manage_guests.
#[utoipa::path(operation_id = "delete_guest", delete, path = "/api/v1/guests/{id}", tag = "Guests", params(("id" = i64, Path, description = "The guest's id")), security(("bearer" = [])),
    responses((status = 200, description = "Deleted", body = Changed), Errors))]
pub async fn delete(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Changed> {
    let viewer = c.with(Scope::ManageGuests)?;
    Ok(Json(Changed { changed: service::guests::delete(&state, viewer, &[id]).await? }))
}

/// Set a guest's expiry
///
/// The period counts from now. Scope: manage_guests.
#[utoipa::path(operation_id = "set_guest_expiry", put, path = "/api/v1/guests/{id}/expiry", tag = "Guests", params(("id" = i64, Path, description = "The guest's id")), request_body = ExpiryChange, security(("bearer" = [])),
    responses((status = 200, description = "The guest as it is now", body = Guest), Errors))]
pub async fn set_expiry(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<ExpiryChange>) -> ApiResult<Guest> {
    let viewer = c.with(Scope::ManageGuests)?;
    service::guests::set_expiry(&state, viewer, &[id], b.period.into()).await?;
    Ok(Json(service::guests::detail(&state, viewer, id).await?.guest.into()))
}

/// Set several guests' expiry
///
/// All or none. Scope: manage_guests.
#[utoipa::path(operation_id = "set_guests_expiry", post, path = "/api/v1/guests/expiry", tag = "Guests", request_body = BulkExpiryChange, security(("bearer" = [])),
    responses((status = 200, description = "How many changed", body = Changed), Errors))]
pub async fn set_expiry_bulk(State(state): State<AppState>, Caller(c): Caller, ApiJson(b): ApiJson<BulkExpiryChange>) -> ApiResult<Changed> {
    let viewer = c.with(Scope::ManageGuests)?;
    Ok(Json(Changed { changed: service::guests::set_expiry(&state, viewer, &b.ids, b.period.into()).await? }))
}

/// Incorporate guests as members
///
/// All or none. Scope: manage_guests.
#[utoipa::path(operation_id = "incorporate_guests", post, path = "/api/v1/guests/incorporate", tag = "Guests", request_body = Incorporation, security(("bearer" = [])),
    responses((status = 200, description = "How many were incorporated", body = Changed), Errors))]
pub async fn incorporate(State(state): State<AppState>, Caller(c): Caller, ApiJson(b): ApiJson<Incorporation>) -> ApiResult<Changed> {
    let viewer = c.with(Scope::ManageGuests)?;
    Ok(Json(Changed { changed: service::guests::incorporate_into(&state, viewer, &b.ids, b.department).await? }))
}

/// Delete guests
///
/// All or none. Scope: manage_guests.
#[utoipa::path(operation_id = "delete_guests", post, path = "/api/v1/guests/delete", tag = "Guests", request_body = Selection, security(("bearer" = [])),
    responses((status = 200, description = "How many were deleted", body = Changed), Errors))]
pub async fn delete_bulk(State(state): State<AppState>, Caller(c): Caller, ApiJson(b): ApiJson<Selection>) -> ApiResult<Changed> {
    let viewer = c.with(Scope::ManageGuests)?;
    Ok(Json(Changed { changed: service::guests::delete(&state, viewer, &b.ids).await? }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPlacement {
    /// The project the guest joins (one project at a time).
    pub project: i64,
    pub permission: ApiPermission,
}

/// Remove a guest from their project
///
/// The guest stays in the organization without a project until added to one.
/// Scope: manage_guests.
#[utoipa::path(operation_id = "remove_guest_from_project", delete, path = "/api/v1/guests/{id}/project", tag = "Guests", params(("id" = i64, Path, description = "The guest's id")), security(("bearer" = [])),
    responses((status = 200, description = "The guest as it is now", body = Guest), Errors))]
pub async fn remove_from_project(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Guest> {
    let viewer = c.with(Scope::ManageGuests)?;
    service::projects::remove_guest(&state, viewer, id).await?;
    Ok(Json(service::guests::detail(&state, viewer, id).await?.guest.into()))
}

/// Add a guest to a project
///
/// A guest without a project joins one, with edit or read-only rights.
/// Scope: manage_guests.
#[utoipa::path(operation_id = "add_guest_to_project", put, path = "/api/v1/guests/{id}/project", tag = "Guests", params(("id" = i64, Path, description = "The guest's id")), request_body = ProjectPlacement, security(("bearer" = [])),
    responses((status = 200, description = "The guest as it is now", body = Guest), Errors))]
pub async fn add_to_project(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<ProjectPlacement>) -> ApiResult<Guest> {
    let viewer = c.with(Scope::ManageGuests)?;
    service::projects::add_guest(&state, viewer, id, b.project, b.permission.into()).await?;
    Ok(Json(service::guests::detail(&state, viewer, id).await?.guest.into()))
}
