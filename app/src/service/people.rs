//! The people of an organization as the console shows them: the Users page.

use crate::error::AppError;
use crate::model::people::*;
use crate::data::people::{self as db, ScopeOf};
use crate::domain::{user_id_label, PersonKind, Viewer};
use crate::web::state::AppState;

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
            let is_guest = r.kind == PersonKind::Guest;
            PersonRow {
                user_id: user_id_label(r.mobile.as_deref(), r.id.0),
                role: crate::domain::access::role_of(r.kind, r.is_company_admin, r.is_department_admin)
                .label()
                .to_string(),
                id: r.id.0,
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

fn require_admin(viewer: &crate::domain::Viewer) -> Result<(), AppError> {
    crate::domain::access::admin_only(viewer).map_err(|d| AppError::denied(d, "Not found."))
}
