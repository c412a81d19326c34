//! Invitations past their validity become lapsed, each logged once with Lobby as the
//! actor (one conditional `UPDATE … RETURNING` per batch).

use super::{Done, Job};
use crate::data::{invitations, WriteTx};
use crate::domain::{InvitationId, OrgId};
use crate::error::AppError;
use crate::web::state::AppState;

pub struct Lapse;

impl Job for Lapse {
    type Item = InvitationId;
    const NAME: &'static str = "invitation lapse";
    const BATCH: i64 = 500;

    async fn due(&self, state: &AppState, now: i64, limit: i64) -> Result<Vec<(InvitationId, OrgId)>, AppError> {
        Ok(invitations::due_lapses(state.db.pool(), now, limit).await?)
    }

    async fn process(&self, _state: &AppState, tx: &mut WriteTx, ids: &[InvitationId], now: i64) -> Result<Done, AppError> {
        Ok(Done { handled: invitations::lapse(tx, ids, now).await?, mails: Vec::new() })
    }
}
