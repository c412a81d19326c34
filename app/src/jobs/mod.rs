//! Background jobs of `lobby serve`, behind one runner.
//!
//! A [`Job`] says which rows are due (each with its organization) and how to process a
//! batch of them; [`run_once`] does the rest the same way for every job: fetch up to
//! [`Job::FETCH`] due rows, let the job [arrange](Job::arrange) them, and for each batch
//! of [`Job::BATCH`] lock its organizations' rows (in id order, so it never deadlocks
//! with a request), process it in that one transaction, commit, deliver the mail the
//! batch queued; go on until a fetch comes back short. Each job's processing changes
//! a row only with a conditional statement that re-checks it is still due, so with
//! several servers on one database each row is handled — and logged — once.
//!
//! The jobs: [`sweep::Sweep`] (F-SWEEP), [`reminders::Reminders`] (7 days and 1 day
//! before expiry), [`lapse::Lapse`] (invitations past their 7 days),
//! [`monthly_report::MonthlyReport`] (the Activity Report mailed on the first of the
//! month), [`token_expiry::TokenExpiry`] (API tokens' owners told 7 days ahead); and
//! [`purge_once`],
//! the housekeeping that deletes what has outlived its use. [`run`] runs them all every
//! `LOBBY_SWEEP_SECONDS`.

pub mod lapse;
pub mod monthly_report;
pub mod reminders;
pub mod sweep;
pub mod token_expiry;

use crate::data::WriteTx;
use crate::domain::OrgId;
use crate::error::AppError;
use crate::web::state::AppState;
use std::future::Future;
use std::time::Duration;

/// What a batch's processing did.
#[derive(Debug, Default)]
pub struct Done {
    /// Rows this server handled (rows another server took first are not counted).
    pub handled: usize,
    /// Mail queued in the batch's transaction, delivered after it commits.
    pub mails: Vec<crate::domain::MailId>,
}

/// A background job: its due rows, and what to do with a batch of them.
pub trait Job: Sync {
    type Item: Send + Sync;
    /// For logs.
    const NAME: &'static str;
    /// Rows per transaction.
    const BATCH: i64;
    /// Due rows read at once, then processed `BATCH` at a time. More than a batch lets a
    /// job [arrange](Job::arrange) them so each transaction touches fewer pages.
    const FETCH: i64 = Self::BATCH;

    /// Puts a fetch's rows in the order their batches will be processed (as read: by
    /// when they fell due).
    fn arrange(&self, _due: &mut [(Self::Item, OrgId)]) {}

    /// Up to `limit` rows due at `now`, across organizations, each with its organization.
    fn due(&self, state: &AppState, now: i64, limit: i64) -> impl Future<Output = Result<Vec<(Self::Item, OrgId)>, AppError>> + Send;

    /// Processes a batch inside the transaction that locked its organizations.
    fn process(&self, state: &AppState, tx: &mut WriteTx, items: &[Self::Item], now: i64) -> impl Future<Output = Result<Done, AppError>> + Send;
}

/// Batches between two checkpoints of SQLite's write-ahead log (see [`Db::checkpoint`]):
/// a batch of the sweeper writes hundreds of pages, so eight stay well under the pages
/// at which a commit would checkpoint by itself (also between the ticks of
/// [`checkpoints`]).
///
/// [`Db::checkpoint`]: crate::data::Db::checkpoint
const CHECKPOINT_EVERY: usize = 8;

/// What one run of a job did: rows handled, batches, and the longest write
/// transaction (the time a batch held its organizations' write lock; on SQLite, the
/// whole database's).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunStats {
    pub handled: usize,
    pub batches: usize,
    pub longest_batch: Duration,
    /// All batches' write transactions together (the rest is reading what is due).
    pub in_transactions: Duration,
}

/// Runs `job` until nothing is due at the state's clock. Returns how many rows this call
/// handled.
pub async fn run_once<J: Job>(state: &AppState, job: &J) -> Result<usize, AppError> {
    Ok(run_measured(state, job).await?.handled)
}

/// [`run_once`], with what the run cost (for the benchmarks and the log).
pub async fn run_measured<J: Job>(state: &AppState, job: &J) -> Result<RunStats, AppError> {
    let now = state.now_ms();
    let mut stats = RunStats::default();
    loop {
        let mut due = job.due(state, now, J::FETCH).await?;
        let fetched = due.len() as i64;
        if due.is_empty() {
            break;
        }
        job.arrange(&mut due);
        let mut due = due.into_iter().peekable();
        let mut since_checkpoint = 0;
        while due.peek().is_some() {
            let batch: Vec<(J::Item, OrgId)> = due.by_ref().take(J::BATCH as usize).collect();
            let orgs: Vec<OrgId> = batch.iter().map(|(_, org)| *org).collect();
            let items: Vec<J::Item> = batch.into_iter().map(|(item, _)| item).collect();
            let started = std::time::Instant::now();
            let mut tx = state.db.begin_orgs_write(&orgs).await?;
            let done = job.process(state, &mut tx, &items, now).await?;
            tx.commit().await?;
            let held = started.elapsed();
            tracing::debug!(job = J::NAME, rows = items.len(), ms = held.as_millis() as u64, "batch committed");
            stats.longest_batch = stats.longest_batch.max(held);
            stats.in_transactions += held;
            stats.batches += 1;
            state.deliver(&done.mails).await;
            stats.handled += done.handled;
            since_checkpoint += 1;
            if since_checkpoint == CHECKPOINT_EVERY || due.peek().is_none() {
                state.db.checkpoint().await?;
                since_checkpoint = 0;
            }
        }
        // Every row read was handled here or elsewhere: a full fetch means more may wait.
        if fetched < J::FETCH {
            break;
        }
    }
    Ok(stats)
}

/// Removes every guest whose time is up (see [`sweep::Sweep`]).
pub async fn sweep_once(state: &AppState) -> Result<usize, AppError> {
    run_once(state, &sweep::Sweep).await
}

/// Sends every expiry reminder that is due (see [`reminders::Reminders`]).
pub async fn remind_once(state: &AppState) -> Result<usize, AppError> {
    run_once(state, &reminders::Reminders).await
}

/// Lapses every invitation past its validity (see [`lapse::Lapse`]).
pub async fn lapse_once(state: &AppState) -> Result<usize, AppError> {
    run_once(state, &lapse::Lapse).await
}

/// Mails each organization's owed monthly Activity Reports (see
/// [`monthly_report::MonthlyReport`]).
pub async fn report_once(state: &AppState) -> Result<usize, AppError> {
    run_once(state, &monthly_report::MonthlyReport).await
}

/// Mails the owners of API tokens that expire within 7 days (see
/// [`token_expiry::TokenExpiry`]).
pub async fn token_notices_once(state: &AppState) -> Result<usize, AppError> {
    run_once(state, &token_expiry::TokenExpiry).await
}

/// Housekeeping: deletes revoked and lapsed invitations 90 days after they closed (the
/// activity log keeps them) and sign-in counters whose window has passed. Returns how
/// many invitations and counters went.
pub async fn purge_once(state: &AppState) -> Result<(u64, u64), AppError> {
    use crate::data::{invitations, throttle};
    const BATCH: i64 = 500;
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

/// How often [`checkpoints`] runs.
pub const CHECKPOINT_PERIOD: Duration = Duration::from_secs(1);

/// SQLite: checkpoints the write-ahead log every `every` until the process ends, so that
/// no request's commit has to (see [`crate::data::SQLITE_AUTOCHECKPOINT_PAGES`]). A
/// `PASSIVE` checkpoint blocks neither readers nor writers, so several servers on one
/// database may each run it. Returns at once on PostgreSQL.
pub async fn checkpoints(state: AppState, every: Duration) {
    if state.db.backend() != crate::data::Backend::Sqlite {
        return;
    }
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = state.db.checkpoint().await {
            tracing::warn!(error = %e, "WAL checkpoint failed");
        }
    }
}

/// Runs every job, then the purge, every `every` until the process ends; a failed run is
/// logged and the next one tries again.
pub async fn run(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        report(sweep::Sweep::NAME, sweep_once(&state).await);
        report(reminders::Reminders::NAME, remind_once(&state).await);
        report(lapse::Lapse::NAME, lapse_once(&state).await);
        report(monthly_report::MonthlyReport::NAME, report_once(&state).await);
        report(token_expiry::TokenExpiry::NAME, token_notices_once(&state).await);
        if let Err(e) = purge_once(&state).await {
            tracing::error!(error = %e, "purge run failed");
        }
    }
}

fn report(job: &str, result: Result<usize, AppError>) {
    match result {
        Ok(0) => {}
        Ok(n) => tracing::info!(job, handled = n, "background job"),
        Err(e) => tracing::error!(job, error = %e, "background job failed"),
    }
}
