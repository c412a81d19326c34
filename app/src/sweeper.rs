//! The expiry sweeper (F-SWEEP): a background task of `lobby serve` that removes guests
//! whose time is up, as Delete does (they leave the organization, their sessions end),
//! logging each removal as an automatic one.
//!
//! Safe with several `lobby serve` processes on one database: each batch's removal is
//! one conditional `UPDATE … AND state <> 'removed' AND expires_at <= now RETURNING id`,
//! and only the guests it returns are logged by this process, so a guest is removed and
//! logged once. A crash mid-batch rolls the batch back; the next run picks the same
//! guests up again.

use crate::data::{guests, invitations, throttle};
use crate::error::AppError;
use crate::state::AppState;
use std::time::Duration;

/// Guests removed per transaction.
pub const BATCH: i64 = 500;

/// Removes every guest due at the state's clock, in batches. Returns how many this call
/// removed (guests another process removed first are not counted).
pub async fn sweep_once(state: &AppState) -> Result<usize, AppError> {
    let now = state.now_ms();
    let mut removed = 0;
    loop {
        let due = guests::due(state.db.pool(), now, BATCH).await?;
        if due.is_empty() {
            break;
        }
        let ids: Vec<_> = due.iter().map(|(id, _)| *id).collect();
        let orgs: Vec<_> = due.iter().map(|(_, org)| *org).collect();
        let mut tx = state.db.begin_orgs_write(&orgs).await?;
        removed += guests::sweep(&mut tx, &ids, now).await?.len();
        tx.commit().await?;
        if (due.len() as i64) < BATCH {
            break;
        }
    }
    Ok(removed)
}

/// Marks every pending invitation past its validity lapsed, in batches, each logged
/// once with Lobby as the actor (one conditional `UPDATE … RETURNING` per batch, so with
/// several servers each invitation lapses once). Returns how many this call lapsed.
pub async fn lapse_once(state: &AppState) -> Result<usize, AppError> {
    let now = state.now_ms();
    let mut lapsed = 0;
    loop {
        let due = invitations::due_lapses(state.db.pool(), now, BATCH).await?;
        if due.is_empty() {
            break;
        }
        let ids: Vec<i64> = due.iter().map(|(id, _)| *id).collect();
        let orgs: Vec<_> = due.iter().map(|(_, org)| *org).collect();
        let mut tx = state.db.begin_orgs_write(&orgs).await?;
        lapsed += invitations::lapse(&mut tx, &ids, now).await?;
        tx.commit().await?;
        if (due.len() as i64) < BATCH {
            break;
        }
    }
    Ok(lapsed)
}

/// Housekeeping: deletes revoked and lapsed invitations 90 days after they closed (the
/// activity log keeps them) and sign-in counters whose window has passed. Returns how
/// many invitations and counters went.
pub async fn purge_once(state: &AppState) -> Result<(u64, u64), AppError> {
    let now = state.now_ms();
    let before = now - crate::domain::invite::CLOSED_INVITATION_KEEP_MS;
    let mut invitations_gone = 0;
    loop {
        let n = invitations::purge_closed(state.db.pool(), before, BATCH).await?;
        invitations_gone += n;
        if (n as i64) < BATCH {
            break;
        }
    }
    let counters = throttle::purge(state.db.pool(), now - state.config.throttle_window_ms).await?;
    Ok((invitations_gone, counters))
}

/// Runs [`sweep_once`], [`crate::reminders::remind_once`], [`lapse_once`] and
/// [`purge_once`] every `every` until the process ends; a failed run is logged and the
/// next one tries again.
pub async fn run(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match sweep_once(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "expiry sweeper removed guests whose time was up"),
            Err(e) => tracing::error!(error = %e, "expiry sweeper run failed"),
        }
        match crate::reminders::remind_once(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(guests = n, "sent expiry reminders"),
            Err(e) => tracing::error!(error = %e, "expiry reminder run failed"),
        }
        match lapse_once(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(invitations = n, "invitations lapsed"),
            Err(e) => tracing::error!(error = %e, "invitation lapse run failed"),
        }
        if let Err(e) = purge_once(&state).await {
            tracing::error!(error = %e, "purge run failed");
        }
    }
}
