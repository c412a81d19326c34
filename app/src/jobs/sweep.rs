//! The expiry sweeper (F-SWEEP): removes guests whose time is up, as Delete does (they
//! leave the organization, their sessions end), logging each removal as an automatic
//! one. A batch's removal is one conditional `UPDATE … AND state <> 'removed' AND
//! expires_at <= now RETURNING id`; only the guests it returns are logged by this server,
//! so each guest is removed and logged once however many servers run.

use super::{Done, Job};
use crate::data::{guests, WriteTx};
use crate::domain::{OrgId, PersonId};
use crate::error::AppError;
use crate::web::state::AppState;

pub struct Sweep;

impl Job for Sweep {
    type Item = PersonId;
    const NAME: &'static str = "expiry sweeper";
    const BATCH: i64 = 500;
    /// Up to 100,000 due guests (1.6 MB of ids) read at once, so that a mass expiry is
    /// removed in id order: see [`Sweep::arrange`].
    const FETCH: i64 = 100_000;

    /// By id, not by expiry: guests who fall due together were mostly added together
    /// (a bulk invitation, an import), so consecutive ids share table pages and the
    /// pages of the indexes keyed by sponsor, department and state. A batch of 500 then
    /// writes tens of pages instead of one per guest, which is what made a 100,000-guest
    /// sweep take 18 times a bare UPDATE (BENCHMARKS.md).
    fn arrange(&self, due: &mut [(PersonId, OrgId)]) {
        due.sort_unstable_by_key(|(p, _)| p.0);
    }

    async fn due(&self, state: &AppState, now: i64, limit: i64) -> Result<Vec<(PersonId, OrgId)>, AppError> {
        Ok(guests::due(state.db.pool(), now, limit).await?)
    }

    async fn process(&self, _state: &AppState, tx: &mut WriteTx, ids: &[PersonId], now: i64) -> Result<Done, AppError> {
        Ok(Done { handled: guests::sweep(tx, ids, now).await?.len(), mails: Vec::new() })
    }
}
