//! The people of an organization as the console shows them: dashboard counts and the
//! Users page.

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::people::*;

#[server(endpoint = "dashboard_counts")]
pub async fn dashboard_counts() -> Result<DashboardFigures, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::people::dashboard_counts(&state, &viewer).await }).await
}

#[server(endpoint = "list_users")]
pub async fn list_users(include_guests: bool, page: i64) -> Result<PeoplePage, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::people::list_users(&state, &viewer, include_guests, page).await }).await
}
