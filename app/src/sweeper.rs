//! The expiry sweeper (F-SWEEP): a background task of `lobby serve` that removes guests
//! whose time is up, as Delete does (they leave the organization, their sessions end),
//! logging each removal as an automatic one.
//!
//! Safe with several `lobby serve` processes on one database: each batch's removal is
//! one conditional `UPDATE … AND state <> 'removed' AND expires_at <= now RETURNING id`,
//! and only the guests it returns are logged by this process, so a guest is removed and
//! logged once. A crash mid-batch rolls the batch back; the next run picks the same
//! guests up again.

use crate::data::guests;
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

/// Runs [`sweep_once`] and then [`crate::reminders::remind_once`] every `every` until the
/// process ends; a failed run is logged and the next one tries again.
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
    }
}
