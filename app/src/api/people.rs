//! The people of an organization as the console shows them: dashboard counts and the
//! Users page.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFigures {
    pub users: i64,
    pub guests: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// The mobile number when known, else the user id.
    pub user_id: String,
    /// For a guest: the sponsor department.
    pub department: String,
    pub is_guest: bool,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeoplePage {
    pub rows: Vec<PersonRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

pub const PAGE_SIZE: i64 = 50;

#[server(endpoint = "dashboard_counts")]
pub async fn dashboard_counts() -> Result<DashboardFigures, AppError> {
    use super::ctx::*;
    respond(
        async {
            let (state, viewer) = signed_in().await?;
            inner::dashboard_counts(&state, &viewer).await
        }
        .await,
    )
}

#[server(endpoint = "list_users")]
pub async fn list_users(include_guests: bool, page: i64) -> Result<PeoplePage, AppError> {
    use super::ctx::*;
    respond(
        async {
            let (state, viewer) = signed_in().await?;
            inner::list_users(&state, &viewer, include_guests, page).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn require_admin(viewer: &crate::domain::Viewer) -> Result<(), AppError> {
    if viewer.is_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(feature = "ssr")]
pub mod inner {
    use super::*;
    use crate::data::people::{self as db, ScopeOf};
    use crate::domain::{user_id_label, PersonKind, Viewer};
    use crate::state::AppState;

    /// Users and guests within the admin's scope.
    pub async fn dashboard_counts(state: &AppState, viewer: &Viewer) -> Result<DashboardFigures, AppError> {
        require_admin(viewer)?;
        let c = db::counts(state.db.pool(), ScopeOf::of(viewer)).await?;
        Ok(DashboardFigures { users: c.members, guests: c.guests })
    }

    /// One page (from 1) of members, and of guests too when asked, within the admin's scope.
    pub async fn list_users(
        state: &AppState,
        viewer: &Viewer,
        include_guests: bool,
        page: i64,
    ) -> Result<PeoplePage, AppError> {
        require_admin(viewer)?;
        if page < 1 || page > 1_000_000 {
            return Err(AppError::Invalid("The page number is out of range.".into()));
        }
        let (rows, total) = db::list_people(
            state.db.pool(),
            ScopeOf::of(viewer),
            include_guests,
            PAGE_SIZE,
            (page - 1) * PAGE_SIZE,
        )
        .await?;
        let rows = rows
            .into_iter()
            .map(|r| {
                let is_guest = PersonKind::from_db(&r.kind) == Some(PersonKind::Guest);
                PersonRow {
                    user_id: user_id_label(r.mobile.as_deref(), r.id),
                    role: if is_guest {
                        "Guest".into()
                    } else if r.is_company_admin != 0 {
                        "Company Admin".into()
                    } else {
                        "User".into()
                    },
                    id: r.id,
                    first_name: r.first_name,
                    last_name: r.last_name,
                    email: r.email,
                    department: r.department,
                    is_guest,
                }
            })
            .collect();
        Ok(PeoplePage { rows, total, page, page_size: PAGE_SIZE })
    }
}
