//! The Guests list: page, counter, search, details, Incorporate, Delete, rename.
//! Only Company Admins (whole organization) and Department Admins (guests sponsored by
//! their departments and sub-departments) get anything; every function applies that
//! scope on the server.

use crate::domain::guests::{GuestSort, SortDir};
use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::guests::*;

#[server(endpoint = "list_guests")]
pub async fn list_guests(cursor: Option<String>, sort: GuestSort, dir: SortDir) -> Result<GuestPage, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::guests::page(&state, &viewer, cursor.as_deref(), sort, dir).await }).await
}

#[server(endpoint = "search_guests")]
pub async fn search_guests(query: String) -> Result<Vec<GuestItem>, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::guests::search(&state, &viewer, &query).await }).await
}

#[server(endpoint = "get_guest")]
pub async fn get_guest(id: i64) -> Result<GuestDetail, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::guests::detail(&state, &viewer, id).await }).await
}

#[server(endpoint = "incorporate_guests", input = server_fn::codec::Json)]
pub async fn incorporate_guests(ids: Vec<i64>, #[server(default)] department: Option<i64>) -> Result<usize, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::guests::incorporate_into(&state, &viewer, &ids, department).await }).await
}

#[server(endpoint = "delete_guests", input = server_fn::codec::Json)]
pub async fn delete_guests(ids: Vec<i64>) -> Result<usize, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::guests::delete(&state, &viewer, &ids).await }).await
}

#[server(endpoint = "rename_guest")]
pub async fn rename_guest(id: i64, first_name: String, last_name: String) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::guests::rename(&state, &viewer, id, &first_name, &last_name).await }).await
}

/// Sets the expiry period of one or more guests, counted from now (F-EXPIRY).
#[server(endpoint = "set_guest_expiry", input = server_fn::codec::Json)]
pub async fn set_guest_expiry(ids: Vec<i64>, period: crate::domain::expiry::ExpiryPeriod) -> Result<usize, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::guests::set_expiry(&state, &viewer, &ids, period).await }).await
}
