//! The people of an organization as the console shows them: the Users page.

use crate::error::AppError;
use crate::model::people::*;
use crate::data::people::{self as db, ScopeOf};
use crate::domain::paging::{page_of, Position};
use crate::domain::{user_id_label, PersonKind, Viewer};
use crate::web::state::AppState;

/// One page of members, and of guests too when asked, within the admin's scope, by name
/// from the keyset cursor (none: the first page); the total is the kept count.
pub async fn list_users(
    state: &AppState,
    viewer: &Viewer,
    include_guests: bool,
    cursor: Option<&str>,
) -> Result<PeoplePage, AppError> {
    require_admin(viewer)?;
    let pos = Position::parse_text(cursor)?;
    let scope = ScopeOf::of(viewer);
    let pool = state.db.pool();
    let counts = db::counts(pool, scope).await?;
    let total = counts.members + if include_guests { counts.guests } else { 0 };
    let rows = db::list_people(pool, scope, include_guests, &pos, PAGE_SIZE + 1).await?;
    let page = page_of(rows, &pos, PAGE_SIZE, db::listed_key).map(|p| {
        let r = p.row;
        let is_guest = r.kind == PersonKind::Guest;
        PersonRow {
            user_id: user_id_label(r.mobile.as_deref(), r.id.0),
            role: crate::domain::access::role_of(r.kind, r.is_company_admin, r.is_department_admin).label().to_string(),
            id: r.id.0,
            first_name: r.first_name,
            last_name: r.last_name,
            email: r.email,
            department: r.department,
            is_guest,
        }
    });
    Ok(PeoplePage { page, total, page_size: PAGE_SIZE })
}

fn require_admin(viewer: &crate::domain::Viewer) -> Result<(), AppError> {
    crate::domain::access::admin_only(viewer).map_err(|d| AppError::denied(d, "Not found."))
}
