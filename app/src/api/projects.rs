//! Projects as a signed-in person sees them (the full Projects feature comes with the
//! invitations issue).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub archived: bool,
}

#[server(endpoint = "my_projects")]
pub async fn my_projects() -> Result<Vec<ProjectSummary>, AppError> {
    use super::ctx::*;
    respond(
        async {
            let (state, viewer) = signed_in().await?;
            inner::my_projects(&state, &viewer).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub mod inner {
    use super::*;
    use crate::data::orgs;
    use crate::domain::Viewer;
    use crate::state::AppState;

    /// Admins see every project of the organization; users the projects they belong to;
    /// a guest only their one project.
    pub async fn my_projects(state: &AppState, viewer: &Viewer) -> Result<Vec<ProjectSummary>, AppError> {
        let rows = orgs::projects_of_person(state.db.pool(), viewer.org_id, viewer.id, viewer.is_admin()).await?;
        Ok(rows
            .into_iter()
            .map(|p| ProjectSummary { id: p.id.0, name: p.name, description: p.description, archived: p.archived })
            .collect())
    }
}
