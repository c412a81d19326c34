//! Groups and Departments (F-GUESTDEPT): the department tree, Department Admins, moving
//! members, groups and their members — for admins, each rule checked in
//! [`crate::service::structure`].

use crate::error::AppError;
use crate::model::directory::Contact;
use leptos::prelude::*;

pub use crate::model::structure::*;

#[server(endpoint = "load_structure")]
pub async fn load_structure() -> Result<StructurePage, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::page(&state, &viewer).await }).await
}

#[server(endpoint = "load_department")]
pub async fn load_department(id: i64, #[server(default)] cursor: Option<String>) -> Result<DepartmentDetails, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::department_details(&state, &viewer, id, cursor.as_deref()).await }).await
}

#[server(endpoint = "create_department")]
pub async fn create_department(name: String, #[server(default)] parent: Option<i64>) -> Result<i64, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::create_department(&state, &viewer, &name, parent).await }).await
}

#[server(endpoint = "rename_department")]
pub async fn rename_department(id: i64, name: String) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::rename_department(&state, &viewer, id, &name).await }).await
}

#[server(endpoint = "move_department")]
pub async fn move_department(id: i64, #[server(default)] parent: Option<i64>) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::move_department(&state, &viewer, id, parent).await }).await
}

#[server(endpoint = "delete_department")]
pub async fn delete_department(id: i64) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::delete_department(&state, &viewer, id).await }).await
}

#[server(endpoint = "assign_department_admin")]
pub async fn assign_department_admin(department: i64, person: i64) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::assign_admin(&state, &viewer, department, person).await }).await
}

#[server(endpoint = "remove_department_admin")]
pub async fn remove_department_admin(department: i64, person: i64) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::remove_admin(&state, &viewer, department, person).await }).await
}

#[server(endpoint = "move_to_department")]
pub async fn move_to_department(person: i64, department: i64) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::move_person(&state, &viewer, person, department).await }).await
}

#[server(endpoint = "load_group")]
pub async fn load_group(id: i64, #[server(default)] cursor: Option<String>) -> Result<GroupDetails, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::group_details(&state, &viewer, id, cursor.as_deref()).await }).await
}

#[server(endpoint = "create_group")]
pub async fn create_group(name: String) -> Result<i64, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::create_group(&state, &viewer, &name).await }).await
}

#[server(endpoint = "rename_group")]
pub async fn rename_group(id: i64, name: String) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::rename_group(&state, &viewer, id, &name).await }).await
}

#[server(endpoint = "delete_group")]
pub async fn delete_group(id: i64) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::delete_group(&state, &viewer, id).await }).await
}

#[server(endpoint = "add_group_members", input = server_fn::codec::Json)]
pub async fn add_group_members(group: i64, people: Vec<i64>) -> Result<usize, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::add_group_members(&state, &viewer, group, &people).await }).await
}

#[server(endpoint = "remove_group_member")]
pub async fn remove_group_member(group: i64, person: i64) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::remove_group_member(&state, &viewer, group, person).await }).await
}

#[server(endpoint = "member_candidates")]
pub async fn member_candidates(query: String) -> Result<Vec<Contact>, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::structure::member_candidates(&state, &viewer, &query).await }).await
}
