//! The directory each person sees (F-CONTACTS), contact cards with the Guest Profile's
//! answers (F-PROFILE), and View as (F-VIEWAS): `as_person` asks as that person (admins,
//! within their scope). Thin shells over [`crate::service::directory`].

use crate::domain::paging::Page;
use crate::domain::profile::Availability;
use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::directory::*;

#[server(endpoint = "load_directory")]
pub async fn load_directory(as_person: Option<i64>, cursor: Option<String>) -> Result<Directory, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::directory::directory(&state, &viewer, as_person, cursor.as_deref()).await }).await
}

#[server(endpoint = "search_contacts")]
pub async fn search_contacts(as_person: Option<i64>, query: String) -> Result<Vec<Contact>, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::directory::search(&state, &viewer, as_person, &query).await }).await
}

#[server(endpoint = "department_members")]
pub async fn department_members(as_person: Option<i64>, id: i64, cursor: Option<String>) -> Result<Page<Contact>, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::directory::department_members(&state, &viewer, as_person, id, cursor.as_deref()).await }).await
}

#[server(endpoint = "group_members")]
pub async fn group_members(as_person: Option<i64>, id: i64, cursor: Option<String>) -> Result<Page<Contact>, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::directory::group_members(&state, &viewer, as_person, id, cursor.as_deref()).await }).await
}

#[server(endpoint = "get_contact_card")]
pub async fn get_contact_card(as_person: Option<i64>, id: i64) -> Result<ContactCard, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::directory::card(&state, &viewer, as_person, id).await }).await
}

#[server(endpoint = "view_as_candidates")]
pub async fn view_as_candidates(query: String) -> Result<Vec<Contact>, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::directory::view_as_candidates(&state, &viewer, &query).await }).await
}

/// May the signed-in person use `feature` ("messaging", "file_sharing", …) with person
/// `with`? The Guest Profile's policy, with the reason a person can read.
#[server(endpoint = "may_use")]
pub async fn may_use(feature: String, with: i64) -> Result<Availability, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::directory::may_use(&state, &viewer, &feature, with).await }).await
}
