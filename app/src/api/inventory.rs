//! The guest inventory (F-INVENTORY): a page through [`crate::service::inventory`]; its
//! CSV is the axum route `GET /guests/inventory.csv` of [`crate::web::http`].

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::inventory::*;

#[server(endpoint = "load_inventory", input = server_fn::codec::Json)]
pub async fn load_inventory(query: InventoryQuery) -> Result<InventoryPage, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::inventory::page(&state, &viewer, query).await }).await
}

#[server(endpoint = "inventory_inviters")]
pub async fn inventory_inviters() -> Result<Vec<InviterChoice>, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::inventory::inviters(&state, &viewer).await }).await
}
