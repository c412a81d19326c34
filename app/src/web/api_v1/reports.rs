//! `/api/v1/activity` and `/api/v1/inventory`: the Activity Report of a month and the
//! guest inventory, as JSON pages and as the same CSV the console downloads — with the
//! console's scope (a Department Admin: their departments), filters and refusals.

use super::guests::{ApiExpiry, ApiPermission};
use super::problem::{ApiError, ApiQuery, Errors};
use super::{time, ApiResult, Caller};
use crate::domain::api_token::Scope;
use crate::domain::inventory::{EntryState, InventoryFilters};
use crate::domain::paging::Page;
use crate::domain::people::LastSignIn;
use crate::domain::report::ReportFilters;
use crate::model::inventory::{InventoryItem, InventoryQuery};
use crate::model::report::{ReportEntry, ReportQuery};
use crate::service;
use crate::web::state::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityParams {
    /// The month, as 2026-11 (default: this month).
    #[serde(default)]
    pub month: String,
    /// An action's key (see the console's Action filter); empty: every action.
    #[serde(default)]
    pub action: String,
    /// Part of the name, email or mobile of who acted ("Lobby": automatic).
    #[serde(default)]
    pub actor: String,
    /// Part of the guest's name or email (guest activity only).
    #[serde(default)]
    pub guest: String,
    /// Part of anything an entry says.
    #[serde(default)]
    pub text: String,
    /// The guest section's `next_cursor`.
    pub guest_cursor: Option<String>,
    /// The other section's `next_cursor`.
    pub other_cursor: Option<String>,
}

impl ActivityParams {
    fn filters(&self) -> ReportFilters {
        ReportFilters { action: self.action.clone(), actor: self.actor.clone(), guest: self.guest.clone(), text: self.text.clone() }
    }
}

/// An entry of the Activity Report.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ActivityEntry {
    pub id: i64,
    /// "2026-11-03 14:05:09" (UTC), as the report shows it.
    pub date: String,
    /// The Administrator/Authorized User: a name, a mobile number, or "Lobby".
    pub by: String,
    pub action: String,
    /// Who or what it was about, as named then.
    pub about: String,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ActivitySection {
    pub items: Vec<ActivityEntry>,
    pub next_cursor: Option<String>,
}

impl From<Page<ReportEntry>> for ActivitySection {
    fn from(p: Page<ReportEntry>) -> Self {
        ActivitySection {
            items: p.items.into_iter().map(|e| ActivityEntry { id: e.id, date: e.date, by: e.by, action: e.action, about: e.about, note: e.note }).collect(),
            next_cursor: p.next,
        }
    }
}

/// A month of the Activity Report.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Activity {
    pub month: String,
    /// Guest activity (present while Invitation of External Users is on), newest first.
    pub guest: Option<ActivitySection>,
    /// Everything else, newest first.
    pub other: Option<ActivitySection>,
}

/// A month's activity
///
/// The Activity Report's sections as the console shows them, a page each. Refused
/// while Receive Activity Report is off. Scope: read_activity.
#[utoipa::path(operation_id = "get_activity", get, path = "/api/v1/activity", tag = "Reports", params(ActivityParams), security(("bearer" = [])),
    responses((status = 200, description = "The month's entries", body = Activity), Errors))]
pub async fn activity(State(state): State<AppState>, Caller(c): Caller, ApiQuery(p): ApiQuery<ActivityParams>) -> ApiResult<Activity> {
    let viewer = c.with(Scope::ReadActivity)?;
    let filters = p.filters();
    let v = service::report::view(&state, viewer, ReportQuery { month: p.month, filters, guest_cursor: p.guest_cursor, other_cursor: p.other_cursor }).await?;
    if !v.enabled {
        return Err(crate::error::AppError::Refused(service::report::OFF.into()).into());
    }
    Ok(Json(Activity { month: v.month, guest: v.guest.map(Into::into), other: v.other.map(Into::into) }))
}

/// A month's activity as CSV
///
/// The same file as the console's Download CSV, with the same filters. Scope:
/// read_activity.
#[utoipa::path(operation_id = "get_activity_csv", get, path = "/api/v1/activity.csv", tag = "Reports", params(ActivityParams), security(("bearer" = [])),
    responses((status = 200, description = "The CSV", content_type = "text/csv", body = String), Errors))]
pub async fn activity_csv(State(state): State<AppState>, Caller(c): Caller, ApiQuery(p): ApiQuery<ActivityParams>) -> Result<Response, ApiError> {
    let viewer = c.with(Scope::ReadActivity)?;
    let export = service::report::csv_export(&state, viewer, &p.month, &p.filters()).await?;
    Ok(crate::web::http::csv_body(service::csv::Export::Report(export)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InventoryParams {
    /// name, state, last_sign_in, expiry or invited (default name).
    #[serde(default)]
    pub sort: String,
    /// asc or desc.
    #[serde(default)]
    pub dir: String,
    /// pending, active, expiring or removed.
    #[serde(default)]
    pub state: String,
    /// "1": never signed in (accepted without a sign-in since recording began, or pending).
    #[serde(default)]
    pub never: String,
    /// Days: not signed in for at least this long.
    #[serde(default)]
    pub idle: String,
    /// Days: expiring within.
    #[serde(default)]
    pub expiring: String,
    /// Days: pending invitations older than.
    #[serde(default)]
    pub pending_older: String,
    /// "1": pending invitations that lapse within 48 hours.
    #[serde(default)]
    pub lapsing: String,
    /// A sponsor department's id.
    #[serde(default)]
    pub department: String,
    /// An inviter's person id.
    #[serde(default)]
    pub inviter: String,
    /// The `next_cursor` of the page before.
    pub cursor: Option<String>,
}

impl InventoryParams {
    fn filters(&self) -> InventoryFilters {
        InventoryFilters {
            state: self.state.clone(),
            never: self.never.clone(),
            idle: self.idle.clone(),
            expiring: self.expiring.clone(),
            pending_older: self.pending_older.clone(),
            lapsing: self.lapsing.clone(),
            department: self.department.clone(),
            inviter: self.inviter.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiEntryState {
    Pending,
    Active,
    Expiring,
    Removed,
}

/// A guest or a pending invitation in the inventory.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct InventoryEntry {
    /// The guest's id (none for an invitation).
    pub guest_id: Option<i64>,
    /// The invitation's id (none for a guest).
    pub invitation_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub state: ApiEntryState,
    pub department: String,
    pub inviter: String,
    pub project: Option<String>,
    pub permission: Option<ApiPermission>,
    pub invited_at: Option<String>,
    pub accepted_at: Option<String>,
    /// The last sign-in; none: never, or not since recording began (see
    /// `sign_ins_recorded_since`).
    pub last_sign_in: Option<String>,
    /// When sign-ins began to be recorded for them, if after they joined.
    pub sign_ins_recorded_since: Option<String>,
    pub expires_at: Option<String>,
    pub expiry_period: Option<ApiExpiry>,
    /// When a pending invitation lapses.
    pub lapses_at: Option<String>,
}

impl From<InventoryItem> for InventoryEntry {
    fn from(i: InventoryItem) -> Self {
        let (last, since) = match i.last_sign_in {
            Some(LastSignIn::At(t)) => (Some(time(t)), None),
            Some(LastSignIn::UnknownBefore(t)) => (None, Some(time(t))),
            Some(LastSignIn::Never) | None => (None, None),
        };
        InventoryEntry {
            guest_id: i.guest_id,
            invitation_id: i.invitation_id,
            name: i.name,
            email: i.email,
            state: match i.state {
                EntryState::Pending => ApiEntryState::Pending,
                EntryState::Active => ApiEntryState::Active,
                EntryState::Expiring => ApiEntryState::Expiring,
                EntryState::Removed => ApiEntryState::Removed,
            },
            department: i.department,
            inviter: i.inviter,
            project: i.project,
            permission: i.permission.map(Into::into),
            invited_at: i.invited_at.map(time),
            accepted_at: i.accepted_at.map(time),
            last_sign_in: last,
            sign_ins_recorded_since: since,
            expires_at: i.expires_at.map(time),
            expiry_period: i.expiry_period.map(Into::into),
            lapses_at: i.lapses_at.map(time),
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct InventoryList {
    pub items: Vec<InventoryEntry>,
    pub next_cursor: Option<String>,
}

/// The guest inventory
///
/// Every guest and pending invitation in the owner's scope, with the console's filters
/// and orders, a page at a time. Scope: read_guests.
#[utoipa::path(operation_id = "get_inventory", get, path = "/api/v1/inventory", tag = "Reports", params(InventoryParams), security(("bearer" = [])),
    responses((status = 200, description = "A page of the inventory", body = InventoryList), Errors))]
pub async fn inventory(State(state): State<AppState>, Caller(c): Caller, ApiQuery(p): ApiQuery<InventoryParams>) -> ApiResult<InventoryList> {
    let viewer = c.with(Scope::ReadGuests)?;
    let filters = p.filters();
    let sort = if p.sort.is_empty() { "name".to_string() } else { p.sort };
    let page = service::inventory::page(&state, viewer, InventoryQuery { sort, dir: p.dir, filters, cursor: p.cursor }).await?;
    Ok(Json(InventoryList { items: page.page.items.into_iter().map(Into::into).collect(), next_cursor: page.page.next }))
}

/// The guest inventory as CSV
///
/// Exactly the rows the filters select, as the console's Download CSV. Scope:
/// read_guests.
#[utoipa::path(operation_id = "get_inventory_csv", get, path = "/api/v1/inventory.csv", tag = "Reports", params(InventoryParams), security(("bearer" = [])),
    responses((status = 200, description = "The CSV", content_type = "text/csv", body = String), Errors))]
pub async fn inventory_csv(State(state): State<AppState>, Caller(c): Caller, ApiQuery(p): ApiQuery<InventoryParams>) -> Result<Response, ApiError> {
    let viewer = c.with(Scope::ReadGuests)?;
    let sort = if p.sort.is_empty() { "name".to_string() } else { p.sort.clone() };
    let export = service::inventory::csv_export(&state, viewer, &sort, &p.dir, &p.filters()).await?;
    Ok(crate::web::http::csv_body(service::csv::Export::Inventory(export)))
}
