//! The pages a reminder mail's links open: Extend, Let expire, Incorporate. Opening one
//! only reads ([`preview_reminder_choice`]); the change happens when the person confirms
//! ([`confirm_reminder_choice`]). Admins act on guests in their scope; the person who
//! invited a guest may Extend or Let expire, not Incorporate; nobody else may do any.

use crate::domain::expiry::{ExpiryPeriod, ReminderChoice};
use crate::error::AppError;
use crate::model::reminders::*;
use crate::data::guests::{self as db, GuestRow};
use crate::data::people::ScopeOf;
use crate::domain::expiry::format_utc;
use crate::domain::{PersonId, Timestamp, Viewer};
use crate::domain::access::{self, Relation};
use crate::web::state::AppState;

fn gone() -> AppError {
    AppError::NotFound("This guest was not found: they may have left, been deleted or been incorporated already.".into())
}

/// The guest, if the viewer may make `choice` for them; whether the viewer is an
/// admin in scope comes back too.
async fn guest_for(state: &AppState, viewer: &Viewer, id: i64, choice: ReminderChoice) -> Result<(GuestRow, bool), AppError> {
    access::members_only(viewer).map_err(|d| AppError::denied(d, "This guest was not found."))?;
    let pool = state.db.pool();
    if viewer.is_admin() {
        if let Some(row) = db::get(pool, ScopeOf::of(viewer), PersonId(id)).await? {
            return Ok((row, true));
        }
    }
    // Not an admin of theirs: the inviter's right (Extend, Let expire), by the same rule
    // as the Expiration setting.
    let row = db::get_invited_by(pool, viewer.org_id, viewer.id, PersonId(id)).await?.ok_or_else(gone)?;
    access::may_set_expiry(viewer, Relation::OutOfScope, true).map_err(|_| gone())?;
    if choice == ReminderChoice::Incorporate {
        return Err(AppError::Refused(
            "Only a Company Admin or a Department Admin of the guest's department can incorporate a guest. Ask one of them.".into(),
        ));
    }
    Ok((row, false))
}

/// The period Extend gives again, or why it cannot.
fn extend_period(row: &GuestRow) -> Result<ExpiryPeriod, AppError> {
    if row.expires_at.is_none() {
        return Err(AppError::Conflict("This guest no longer has an expiry date: there is nothing to extend.".into()));
    }
    row.expiry_period
        .filter(|p| *p != ExpiryPeriod::Never)
        .ok_or_else(|| AppError::Conflict("This guest's expiry period is not known. Choose a new one on the guest's page.".into()))
}

pub async fn preview(state: &AppState, viewer: &Viewer, id: i64, choice: ReminderChoice) -> Result<ReminderPreview, AppError> {
    let (row, admin) = guest_for(state, viewer, id, choice).await?;
    let (period, new_expires_at) = if choice == ReminderChoice::Extend {
        let p = extend_period(&row)?;
        (Some(p), p.expires_at(state.clock.now()).map(|t| t.timestamp_millis()))
    } else {
        (None, None)
    };
    Ok(ReminderPreview {
        guest_id: row.id.0,
        guest_name: format!("{} {}", row.first_name, row.last_name),
        choice,
        expires_at: row.expires_at.map(Timestamp::millis),
        period,
        new_expires_at,
        may_open_details: admin,
        now: state.now_ms(),
    })
}

pub async fn confirm(state: &AppState, viewer: &Viewer, id: i64, choice: ReminderChoice) -> Result<String, AppError> {
    let (row, _) = guest_for(state, viewer, id, choice).await?;
    let name = format!("{} {}", row.first_name, row.last_name);
    match choice {
        ReminderChoice::Extend => {
            let period = extend_period(&row)?;
            // The same rules and transaction as the Expiration setting.
            crate::service::guests::set_expiry(state, viewer, &[id], period).await?;
            let until = period.expires_at(state.clock.now()).map(|t| format_utc(t.timestamp_millis())).unwrap_or_default();
            Ok(format!("{name} now leaves on {until} ({} from now).", period.label()))
        }
        ReminderChoice::LetExpire => {
            let mut tx = state.db.begin_org_write(viewer.org_id).await?;
            // Checked again inside the transaction, as the Expiration setting does.
            crate::service::guests::expiry_targets(&mut tx, viewer, &[PersonId(id)]).await?;
            if !db::let_expire(&mut tx, viewer.org_id, PersonId(id), viewer.id, state.now_ms()).await? {
                return Err(gone());
            }
            tx.commit().await?;
            let on = row.expires_at.map(|t| format_utc(t.millis())).unwrap_or_default();
            Ok(format!("{name} keeps the date {on}; no further reminders will be sent."))
        }
        ReminderChoice::Incorporate => {
            crate::service::guests::incorporate(state, viewer, &[id]).await?;
            Ok(format!("{name} is now a member of the organization."))
        }
    }
}
