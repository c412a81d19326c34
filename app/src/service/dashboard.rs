//! The start page (F-DASH). Admins get what needs them now, within their scope: people
//! counted, guest places used of the quota, guests leaving within 7 days, pending
//! invitations and those about to lapse, guests who never signed in, the latest activity
//! and 30 days of invitations against removals — each number counted as the list it
//! links to counts it. An authorized user gets their own guests and pending invitations.

use crate::data::dashboard as db;
use crate::data::people::ScopeOf;
use crate::domain::access;
use crate::domain::dashboard::RECENT_ENTRIES;
use crate::domain::report::Section;
use crate::domain::{Role, Viewer};
use crate::error::AppError;
use crate::model::people::*;
use crate::web::state::AppState;

/// The admins' dashboard.
pub async fn admin(state: &AppState, viewer: &Viewer) -> Result<DashboardFigures, AppError> {
    access::admin_only(viewer).map_err(|d| AppError::denied(d, "Not found."))?;
    let scope = ScopeOf::of(viewer);
    let pool = state.db.pool();
    let now = state.now_ms();
    let people = crate::data::people::counts(pool, scope).await?;
    let f = db::figures(pool, scope, now).await?;
    let quota = {
        let mut conn = pool.acquire().await.map_err(crate::data::DbError::from)?;
        crate::data::invitations::quota(&mut conn, viewer.org_id, now).await?
    };
    let shown = super::report::sections(state, viewer.org_id).await?;
    let scoped_to = (viewer.role() != Role::CompanyAdmin).then_some(viewer.id);
    let recent = if shown.is_empty() {
        None
    } else {
        let about_guest = match (shown.contains(&Section::Guest), shown.contains(&Section::Other)) {
            (true, true) => None,
            (true, false) => Some(true),
            _ => Some(false),
        };
        let rows = db::recent(pool, viewer.org_id, about_guest, scoped_to, RECENT_ENTRIES).await?;
        Some(rows.into_iter().map(super::report::entry).collect())
    };
    let sparkline = if shown.contains(&Section::Guest) { Some(db::sparkline(pool, viewer.org_id, scoped_to, now).await?) } else { None };
    Ok(DashboardFigures {
        users: people.members,
        guests: people.guests,
        quota_used: quota.used,
        quota_limit: quota.limit(),
        leaving_soon: f.leaving_soon,
        pending: f.pending,
        lapsing_soon: f.lapsing_soon,
        never_signed_in: f.never_signed_in,
        recent,
        sparkline,
    })
}

/// The most of each the home page lists.
const OWN_LIMIT: i64 = 50;

/// A member's own guests (whom they invited) and pending invitations.
pub async fn own_guests(state: &AppState, viewer: &Viewer) -> Result<OwnGuests, AppError> {
    access::members_only(viewer).map_err(|d| AppError::denied(d, "Not found."))?;
    let pool = state.db.pool();
    let guests = db::own_guests(pool, viewer.org_id, viewer.id, OWN_LIMIT).await?;
    let invitations = db::own_pending(pool, viewer.org_id, viewer.id, state.now_ms(), OWN_LIMIT).await?;
    Ok(OwnGuests {
        guests: guests.into_iter().map(|(id, name, email, expires)| OwnGuest { id: id.0, name: name.trim().to_string(), email, expires_at: expires.map(|t| t.0) }).collect(),
        invitations: invitations.into_iter().map(|(id, email, at)| OwnInvitation { id: id.0, email, sent_at: at.0 }).collect(),
        now: state.now_ms(),
    })
}
