//! The Guests list: page, counter, search, details, Incorporate, Delete, rename.
//! Only Company Admins (whole organization) and Department Admins (guests sponsored by
//! their departments and sub-departments) get anything; every function applies that
//! scope on the server.

use crate::domain::guests::{GuestSort, SortDir};
use crate::error::AppError;
use crate::model::guests::*;
use crate::data::activity::Action;
use crate::data::guests::{self as db, GuestRow};
use crate::data::people::ScopeOf;
use crate::domain::guests::{check_bulk, check_selection, PAGE_SIZE};
use crate::domain::paging::page_of;
use crate::domain::{search, user_id_label, DeptId, PersonId, PersonName, Timestamp, Viewer};
use crate::domain::access::{self, Relation};
use crate::web::state::AppState;

/// The viewer's admin scope, for admins only.
fn admin_scope(viewer: &Viewer) -> Result<ScopeOf, AppError> {
    access::admin_only(viewer).map_err(|d| AppError::denied(d, GUEST_NOT_FOUND))?;
    Ok(ScopeOf::of(viewer))
}

const GUEST_NOT_FOUND: &str = "This guest was not found.";

fn item(r: GuestRow) -> GuestItem {
    GuestItem {
        user_id: user_id_label(r.mobile.as_deref(), r.id.0),
        id: r.id.0,
        first_name: r.first_name,
        last_name: r.last_name,
        email: r.email,
        mobile: r.mobile,
        invited_by: r.invited_by,
        invited_at: r.invited_at.map(Timestamp::millis),
        department: r.department,
        project: r.project,
        permission: r.permission,
        expires_at: r.expires_at.map(Timestamp::millis),
        expiry_period: r.expiry_period,
        next_reminder_at: r.next_reminder_at.map(Timestamp::millis),
    }
}

/// One page of the Guests list in `sort` and `dir` order, from the page cursor the
/// console sent back (none: the first page), with the "Guests created" counter.
pub async fn page(state: &AppState, viewer: &Viewer, cursor: Option<&str>, sort: GuestSort, dir: SortDir) -> Result<GuestPage, AppError> {
    let scope = admin_scope(viewer)?;
    let pos = sort.position(cursor)?;
    let pool = state.db.pool();
    let total = db::count(pool, scope).await?;
    let rows = db::list(pool, scope, sort, dir, &pos, PAGE_SIZE + 1).await?;
    let page = page_of(rows, &pos, PAGE_SIZE, db::list_key).map(|g| item(g.row));
    Ok(GuestPage { page, total, page_size: PAGE_SIZE, now: state.now_ms() })
}

/// The most guests one API page holds.
pub const MAX_API_LIMIT: i64 = 200;

/// A page of the Guests list for the API: `limit` (1 to [`MAX_API_LIMIT`]) guests,
/// optionally only those leaving before `expires_before`, without the counter (asked
/// for separately, see [`count`]).
pub async fn list(state: &AppState, viewer: &Viewer, cursor: Option<&str>, sort: GuestSort, dir: SortDir, limit: i64, expires_before: Option<i64>) -> Result<crate::domain::paging::Page<GuestItem>, AppError> {
    let scope = admin_scope(viewer)?;
    if !(1..=MAX_API_LIMIT).contains(&limit) {
        return Err(AppError::Invalid(format!("limit is 1 to {MAX_API_LIMIT}.")));
    }
    let pos = sort.position(cursor)?;
    let rows = db::list_expiring(state.db.pool(), scope, sort, dir, &pos, limit + 1, expires_before).await?;
    Ok(page_of(rows, &pos, limit, db::list_key).map(|g| item(g.row)))
}

/// The "Guests created" counter: live guests in scope.
pub async fn count(state: &AppState, viewer: &Viewer) -> Result<i64, AppError> {
    let scope = admin_scope(viewer)?;
    Ok(db::count(state.db.pool(), scope).await?)
}

/// At most ten guests in scope with a word starting with each word typed; nothing
/// for fewer than two characters.
pub async fn search(state: &AppState, viewer: &Viewer, query: &str) -> Result<Vec<GuestItem>, AppError> {
    let scope = admin_scope(viewer)?;
    let Some(prefixes) = search::query_prefixes(query) else { return Ok(Vec::new()) };
    let rows = db::search(state.db.pool(), scope, &prefixes, search::MAX_RESULTS as i64).await?;
    Ok(rows.into_iter().map(item).collect())
}

pub async fn detail(state: &AppState, viewer: &Viewer, id: i64) -> Result<GuestDetail, AppError> {
    let scope = admin_scope(viewer)?;
    let row = db::get(state.db.pool(), scope, PersonId(id)).await?.ok_or_else(not_found)?;
    let avatar = row.avatar.clone();
    let since = crate::data::people::last_seen_recorded_since(state.db.pool()).await?;
    let last_sign_in = crate::domain::LastSignIn::of(row.last_seen_at.map(Timestamp::millis), row.created_at.0, since);
    Ok(GuestDetail { guest: item(row), last_sign_in, avatar, now: state.now_ms() })
}

fn not_found() -> AppError {
    AppError::NotFound(GUEST_NOT_FOUND.into())
}

fn bulk_error(e: crate::domain::guests::BulkRefusal) -> AppError {
    match e {
        crate::domain::guests::BulkRefusal::NotFound(_) => AppError::NotFound(e.to_string()),
        crate::domain::guests::BulkRefusal::NotEligible(_) => AppError::Conflict(e.to_string()),
        _ => AppError::Invalid(e.to_string()),
    }
}

/// Sets the period of the selected guests from now, all or none. Admins act on guests
/// in their scope; anyone else only on the one guest they invited.
pub async fn set_expiry(
    state: &AppState,
    viewer: &Viewer,
    ids: &[i64],
    period: crate::domain::expiry::ExpiryPeriod,
) -> Result<usize, AppError> {
    access::members_only(viewer).map_err(|d| AppError::denied(d, GUEST_NOT_FOUND))?;
    let pids: Vec<PersonId> = ids.iter().copied().map(PersonId).collect();
    check_selection(&pids).map_err(bulk_error)?;
    let at = state.clock.now();
    let now = at.timestamp_millis();
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let ids = expiry_targets(&mut tx, viewer, &pids).await?;
    let expires = period.expires_at(at).map(|t| t.timestamp_millis());
    db::set_expiry(&mut tx, viewer.org_id, &ids, period, expires, period.label(), viewer.id, now).await?;
    tx.commit().await?;
    Ok(ids.len())
}

/// The guests of `pids` whose expiry the viewer may change, checked inside the
/// change's write transaction: the one guest the viewer invited, or guests in an
/// admin's scope (all of them or none).
pub(crate) async fn expiry_targets(tx: &mut crate::data::WriteTx, viewer: &Viewer, pids: &[PersonId]) -> Result<Vec<PersonId>, AppError> {
    access::members_only(viewer).map_err(|d| AppError::denied(d, GUEST_NOT_FOUND))?;
    if let [one] = pids {
        let invited = db::inviter_of(tx, viewer.org_id, *one).await? == Some(viewer.id);
        if access::may_set_expiry(viewer, Relation::OutOfScope, invited).is_ok() {
            return Ok(vec![*one]);
        }
    }
    if viewer.is_admin() {
        // Each selected guest must be in scope (`Relation::InScope`): checked for all
        // at once, all or nothing.
        let found = db::selected(tx, ScopeOf::of(viewer), pids).await?;
        return check_bulk(pids, &found).map_err(bulk_error);
    }
    Err(not_found())
}

/// Incorporates (`Some`, with the department chosen, `None` meaning each guest's sponsor
/// department) or deletes (`None`) the selected guests, all or none.
async fn bulk(state: &AppState, viewer: &Viewer, ids: &[i64], incorporate: Option<Option<DeptId>>) -> Result<usize, AppError> {
    let scope = admin_scope(viewer)?;
    let ids: Vec<PersonId> = ids.iter().copied().map(PersonId).collect();
    check_selection(&ids).map_err(bulk_error)?;
    let now = state.now_ms();
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let found = db::selected(&mut tx, scope, &ids).await?;
    let ids = check_bulk(&ids, &found).map_err(bulk_error)?;
    if let Some(Some(dept)) = incorporate {
        crate::service::structure::check_destination(&mut tx, viewer, dept).await?;
    }
    match incorporate {
        Some(into) => db::incorporate(&mut tx, viewer.org_id, &ids, into, viewer.id, now).await?,
        None => db::delete(&mut tx, viewer.org_id, &ids, Some(viewer.id), now, Action::Deleted).await?,
    }
    tx.commit().await?;
    Ok(ids.len())
}

/// Turns the selected guests into members of their sponsor departments, all or none.
pub async fn incorporate(state: &AppState, viewer: &Viewer, ids: &[i64]) -> Result<usize, AppError> {
    bulk(state, viewer, ids, Some(None)).await
}

/// Turns the selected guests into members, all or none, into `department` (one of the
/// admin's reach) or, without one, each into their sponsor department.
pub async fn incorporate_into(state: &AppState, viewer: &Viewer, ids: &[i64], department: Option<i64>) -> Result<usize, AppError> {
    bulk(state, viewer, ids, Some(department.map(DeptId))).await
}

/// Removes the selected guests from the organization, all or none.
pub async fn delete(state: &AppState, viewer: &Viewer, ids: &[i64]) -> Result<usize, AppError> {
    bulk(state, viewer, ids, None).await
}

pub async fn rename(state: &AppState, viewer: &Viewer, id: i64, first: &str, last: &str) -> Result<(), AppError> {
    let scope = admin_scope(viewer)?;
    let first = PersonName::parse(first, "First name")?;
    let last = PersonName::parse(last, "Last name")?;
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let found = db::selected(&mut tx, scope, &[PersonId(id)]).await?;
    check_bulk(&[PersonId(id)], &found).map_err(|_| not_found())?;
    db::rename(&mut tx, viewer.org_id, PersonId(id), first.as_str(), last.as_str(), viewer.id, state.now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

pub mod avatar {
    //! Avatar upload and download run as plain axum handlers (a multipart form post and
    //! an image GET), with the same session, role and scope checks as server functions.
    use crate::data::guests as db;
    use crate::data::people::ScopeOf;
    use crate::domain::{PersonId, Viewer};
    use crate::error::AppError;
    use crate::web::state::AppState;

    pub async fn set(state: &AppState, viewer: &Viewer, id: i64, bytes: &[u8]) -> Result<(), AppError> {
        crate::domain::access::admin_only(viewer).map_err(|d| AppError::denied(d, "This guest was not found."))?;
        let content_type = crate::domain::avatar::content_type(bytes)?;
        let scope = ScopeOf::of(viewer);
        let mut tx = state.db.begin_org_write(viewer.org_id).await?;
        let found = db::selected(&mut tx, scope, &[PersonId(id)]).await?;
        crate::domain::guests::check_bulk(&[PersonId(id)], &found).map_err(|_| AppError::NotFound("This guest was not found.".into()))?;
        db::set_avatar(&mut tx, viewer.org_id, PersonId(id), content_type, bytes, viewer.id, state.now_ms()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An admin fetches the avatars of the people in their scope; anyone fetches those of
    /// the live people their directory shows (a contact card), never another guest's.
    pub async fn get(state: &AppState, viewer: &Viewer, id: i64) -> Result<(String, Vec<u8>), AppError> {
        if let Some(found) = db::avatar(state.db.pool(), ScopeOf::of(viewer), PersonId(id)).await? {
            return Ok(found);
        }
        crate::service::directory::avatar(state, viewer, id)
            .await?
            .ok_or_else(|| AppError::NotFound("This avatar was not found.".into()))
    }
}
