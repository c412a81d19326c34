//! The Activity Report (F-REPORT): the page of a month through
//! [`crate::service::report`]; its CSV is the axum route `GET /activity.csv` of
//! [`crate::web::http`] (a download written as it is read).

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::report::*;

#[server(endpoint = "load_report", input = server_fn::codec::Json)]
pub async fn load_report(query: ReportQuery) -> Result<ReportView, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::report::view(&state, &viewer, query).await }).await
}
