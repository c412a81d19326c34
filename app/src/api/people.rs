//! The people of an organization as the console shows them: dashboard counts and the
//! Users page.

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::people::*;

#[server(endpoint = "dashboard_counts")]
pub async fn dashboard_counts() -> Result<DashboardFigures, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::dashboard::admin(&state, &viewer).await }).await
}

/// An authorized user's own guests and pending invitations, for their home page.
#[server(endpoint = "my_guests")]
pub async fn my_guests() -> Result<OwnGuests, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::dashboard::own_guests(&state, &viewer).await }).await
}

#[server(endpoint = "list_users")]
pub async fn list_users(include_guests: bool, cursor: Option<String>) -> Result<PeoplePage, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::people::list_users(&state, &viewer, include_guests, cursor.as_deref()).await }).await
}
