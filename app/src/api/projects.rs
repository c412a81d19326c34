//! Projects (workspaces): the list, creating, renaming and archiving (admins), a
//! project's page with its members, guests and task list, and moving a guest out of or
//! into a project (F-ONEPROJECT). Edit permission may add and tick tasks; read-only
//! may only look — checked here on the server, not only by hiding the controls.

use crate::domain::Permission;
use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::projects::*;

#[server(endpoint = "my_projects")]
pub async fn my_projects() -> Result<Vec<ProjectSummary>, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::projects::my_projects(&state, &viewer).await }).await
}

#[server(endpoint = "create_project")]
pub async fn create_project(name: String, description: String) -> Result<i64, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::projects::create(&state, &viewer, &name, &description).await }).await
}

#[server(endpoint = "update_project")]
pub async fn update_project(id: i64, name: String, description: String, archived: bool) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::projects::update(&state, &viewer, id, &name, &description, archived).await }).await
}

#[server(endpoint = "project_page")]
pub async fn project_page(id: i64) -> Result<ProjectView, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::projects::page(&state, &viewer, id).await }).await
}

#[server(endpoint = "add_task")]
pub async fn add_task(project: i64, title: String) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::projects::add_task(&state, &viewer, project, &title).await }).await
}

#[server(endpoint = "set_task_done")]
pub async fn set_task_done(project: i64, task: i64, done: bool) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::projects::set_task_done(&state, &viewer, project, task, done).await }).await
}

#[server(endpoint = "remove_from_project")]
pub async fn remove_from_project(guest: i64) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::projects::remove_guest(&state, &viewer, guest).await }).await
}

#[server(endpoint = "add_to_project")]
pub async fn add_to_project(guest: i64, project: i64, permission: Permission) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::projects::add_guest(&state, &viewer, guest, project, permission).await }).await
}
