//! Settings → Users Authorization (Company Admin only): the *Invitation of External
//! Users* feature, who may invite guests besides admins, and the guest quota per member.

use crate::domain::invite::OrgSettings;
use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::settings::*;

#[server(endpoint = "get_settings")]
pub async fn get_settings() -> Result<SettingsView, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::settings::get(&state, &viewer).await }).await
}

#[server(endpoint = "save_settings", input = server_fn::codec::Json)]
pub async fn save_settings(settings: OrgSettings) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::settings::save(&state, &viewer, &settings).await }).await
}

#[server(endpoint = "set_invite_authorization")]
pub async fn set_invite_authorization(person: i64, authorized: bool) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::settings::authorize(&state, &viewer, person, authorized).await }).await
}
