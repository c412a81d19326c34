//! The Guests list: page, counter, search, details, Incorporate, Delete, rename.
//! Only Company Admins (whole organization) and Department Admins (guests sponsored by
//! their departments and sub-departments) get anything; every function applies that
//! scope on the server.

use crate::domain::guests::{GuestSort, SortDir};
use crate::domain::Permission;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestItem {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// The mobile number when known, else the user id.
    pub user_id: String,
    pub mobile: Option<String>,
    pub invited_by: String,
    /// Unix ms.
    pub invited_at: Option<i64>,
    /// The sponsor department.
    pub department: String,
    pub project: Option<String>,
    pub permission: Option<Permission>,
    /// Unix ms; `None` is "Without expiration".
    pub expires_at: Option<i64>,
    /// The period that gave `expires_at`, when known.
    pub expiry_period: Option<crate::domain::expiry::ExpiryPeriod>,
    /// When the next expiry reminder goes out (unix ms), if one will.
    pub next_reminder_at: Option<i64>,
}

impl GuestItem {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestPage {
    pub rows: Vec<GuestItem>,
    /// The "Guests created" counter.
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    /// The server's clock (unix ms) when the page was read, for "Time left".
    pub now: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestDetail {
    pub guest: GuestItem,
    pub last_sign_in: crate::domain::LastSignIn,
    /// Cache-busting version of the avatar, if there is one.
    pub avatar: Option<String>,
    pub now: i64,
}

#[server(endpoint = "list_guests")]
pub async fn list_guests(page: i64, sort: GuestSort, dir: SortDir) -> Result<GuestPage, AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::page(&state, &viewer, page, sort, dir).await
    }.await)
}

#[server(endpoint = "search_guests")]
pub async fn search_guests(query: String) -> Result<Vec<GuestItem>, AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::search(&state, &viewer, &query).await
    }.await)
}

#[server(endpoint = "get_guest")]
pub async fn get_guest(id: i64) -> Result<GuestDetail, AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::detail(&state, &viewer, id).await
    }.await)
}

#[server(endpoint = "incorporate_guests", input = server_fn::codec::Json)]
pub async fn incorporate_guests(ids: Vec<i64>) -> Result<usize, AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::incorporate(&state, &viewer, &ids).await
    }.await)
}

#[server(endpoint = "delete_guests", input = server_fn::codec::Json)]
pub async fn delete_guests(ids: Vec<i64>) -> Result<usize, AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::delete(&state, &viewer, &ids).await
    }.await)
}

#[server(endpoint = "rename_guest")]
pub async fn rename_guest(id: i64, first_name: String, last_name: String) -> Result<(), AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::rename(&state, &viewer, id, &first_name, &last_name).await
    }.await)
}

/// Sets the expiry period of one or more guests, counted from now (F-EXPIRY).
#[server(endpoint = "set_guest_expiry", input = server_fn::codec::Json)]
pub async fn set_guest_expiry(ids: Vec<i64>, period: crate::domain::expiry::ExpiryPeriod) -> Result<usize, AppError> {
    use super::ctx::*;
    respond(async {
        let (state, viewer) = signed_in().await?;
        inner::set_expiry(&state, &viewer, &ids, period).await
    }.await)
}

#[cfg(feature = "ssr")]
pub mod inner {
    use super::*;
    use crate::data::activity::Action;
    use crate::data::guests::{self as db, GuestRow};
    use crate::data::people::ScopeOf;
    use crate::domain::guests::{check_bulk, check_selection, PAGE_SIZE};
    use crate::domain::{search, user_id_label, PersonId, PersonName, Viewer};
    use crate::state::AppState;

    fn admin_scope(viewer: &Viewer) -> Result<ScopeOf, AppError> {
        if viewer.is_admin() {
            Ok(ScopeOf::of(viewer))
        } else {
            Err(AppError::Forbidden)
        }
    }

    fn item(r: GuestRow) -> GuestItem {
        GuestItem {
            user_id: user_id_label(r.mobile.as_deref(), r.id),
            id: r.id,
            first_name: r.first_name,
            last_name: r.last_name,
            email: r.email,
            mobile: r.mobile,
            invited_by: r.invited_by,
            invited_at: r.invited_at,
            department: r.department,
            project: r.project,
            permission: r.permission.as_deref().and_then(Permission::from_db),
            expires_at: r.expires_at,
            expiry_period: r.expiry_period.as_deref().and_then(crate::domain::expiry::ExpiryPeriod::from_key),
            next_reminder_at: r.next_reminder_at,
        }
    }

    pub async fn page(state: &AppState, viewer: &Viewer, page: i64, sort: GuestSort, dir: SortDir) -> Result<GuestPage, AppError> {
        let scope = admin_scope(viewer)?;
        let page = crate::domain::paging::check_page(page)?;
        let pool = state.db.pool();
        let total = db::count(pool, scope).await?;
        let rows = db::list(pool, scope, sort, dir, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
        Ok(GuestPage { rows: rows.into_iter().map(item).collect(), total, page, page_size: PAGE_SIZE, now: state.now_ms() })
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
        let last_sign_in = crate::domain::LastSignIn::of(row.last_seen_at, row.created_at, since);
        Ok(GuestDetail { guest: item(row), last_sign_in, avatar, now: state.now_ms() })
    }

    fn not_found() -> AppError {
        AppError::NotFound("This guest was not found.".into())
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
        if viewer.role() == crate::domain::Role::Guest {
            return Err(AppError::Forbidden);
        }
        let pids: Vec<PersonId> = ids.iter().copied().map(PersonId).collect();
        check_selection(&pids).map_err(bulk_error)?;
        let at = state.clock.now();
        let now = at.timestamp_millis();
        let mut tx = state.db.begin_org_write(viewer.org_id).await?;
        let ids = expiry_targets(&mut tx, viewer, &pids).await?;
        let expires = period.expires_at(at).map(|t| t.timestamp_millis());
        for id in &ids {
            db::set_expiry(&mut tx, viewer.org_id, *id, period, expires, period.label(), viewer.id, now).await?;
        }
        tx.commit().await?;
        Ok(ids.len())
    }

    /// The guests of `pids` whose expiry the viewer may change, checked inside the
    /// change's write transaction: the one guest the viewer invited, or guests in an
    /// admin's scope (all of them or none).
    pub(crate) async fn expiry_targets(tx: &mut crate::data::WriteTx, viewer: &Viewer, pids: &[PersonId]) -> Result<Vec<PersonId>, AppError> {
        if viewer.role() == crate::domain::Role::Guest {
            return Err(AppError::Forbidden);
        }
        if let [one] = pids {
            if db::inviter_of(tx, viewer.org_id, *one).await? == Some(viewer.id) {
                return Ok(vec![*one]);
            }
        }
        if viewer.is_admin() {
            let found = db::selected(tx, ScopeOf::of(viewer), pids).await?;
            return check_bulk(pids, &found).map_err(bulk_error);
        }
        Err(not_found())
    }

    async fn bulk(state: &AppState, viewer: &Viewer, ids: &[i64], incorporate: bool) -> Result<usize, AppError> {
        let scope = admin_scope(viewer)?;
        let ids: Vec<PersonId> = ids.iter().copied().map(PersonId).collect();
        check_selection(&ids).map_err(bulk_error)?;
        let now = state.now_ms();
        let mut tx = state.db.begin_org_write(viewer.org_id).await?;
        let found = db::selected(&mut tx, scope, &ids).await?;
        let ids = check_bulk(&ids, &found).map_err(bulk_error)?;
        for id in &ids {
            if incorporate {
                db::incorporate(&mut tx, viewer.org_id, *id, viewer.id, now).await?;
            } else {
                db::delete(&mut tx, viewer.org_id, *id, Some(viewer.id), now, Action::Deleted).await?;
            }
        }
        tx.commit().await?;
        Ok(ids.len())
    }

    /// Turns the selected guests into members, all or none.
    pub async fn incorporate(state: &AppState, viewer: &Viewer, ids: &[i64]) -> Result<usize, AppError> {
        bulk(state, viewer, ids, true).await
    }

    /// Removes the selected guests from the organization, all or none.
    pub async fn delete(state: &AppState, viewer: &Viewer, ids: &[i64]) -> Result<usize, AppError> {
        bulk(state, viewer, ids, false).await
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
}

#[cfg(feature = "ssr")]
pub mod avatar {
    //! Avatar upload and download run as plain axum handlers (a multipart form post and
    //! an image GET), with the same session, role and scope checks as server functions.
    use crate::data::guests as db;
    use crate::data::people::ScopeOf;
    use crate::domain::{PersonId, Viewer};
    use crate::error::AppError;
    use crate::state::AppState;

    pub async fn set(state: &AppState, viewer: &Viewer, id: i64, bytes: &[u8]) -> Result<(), AppError> {
        if !viewer.is_admin() {
            return Err(AppError::Forbidden);
        }
        let content_type = crate::domain::avatar::content_type(bytes)?;
        let scope = ScopeOf::of(viewer);
        let mut tx = state.db.begin_org_write(viewer.org_id).await?;
        let found = db::selected(&mut tx, scope, &[PersonId(id)]).await?;
        crate::domain::guests::check_bulk(&[PersonId(id)], &found).map_err(|_| AppError::NotFound("This guest was not found.".into()))?;
        db::set_avatar(&mut tx, viewer.org_id, PersonId(id), content_type, bytes, viewer.id, state.now_ms()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn get(state: &AppState, viewer: &Viewer, id: i64) -> Result<(String, Vec<u8>), AppError> {
        db::avatar(state.db.pool(), ScopeOf::of(viewer), PersonId(id))
            .await?
            .ok_or_else(|| AppError::NotFound("This avatar was not found.".into()))
    }
}
