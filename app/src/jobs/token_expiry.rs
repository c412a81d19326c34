//! The owner of an API token is mailed 7 days before it expires, once: the server whose
//! conditional UPDATE claims the notice queues the mail in the same transaction.

use super::{Done, Job};
use crate::data::api_tokens::{self as db, TokenRow};
use crate::data::WriteTx;
use crate::domain::api_token::EXPIRY_NOTICE_DAYS;
use crate::domain::OrgId;
use crate::error::AppError;
use crate::mail;
use crate::web::state::AppState;

pub struct TokenExpiry;

impl Job for TokenExpiry {
    type Item = TokenRow;
    const NAME: &'static str = "API token expiry notices";
    const BATCH: i64 = 100;

    async fn due(&self, state: &AppState, now: i64, limit: i64) -> Result<Vec<(TokenRow, OrgId)>, AppError> {
        let rows = db::expiring_unnoticed(state.db.pool(), now, now + EXPIRY_NOTICE_DAYS * 86_400_000, limit).await?;
        Ok(rows.into_iter().map(|r| {
            let org = r.org_id;
            (r, org)
        }).collect())
    }

    async fn process(&self, state: &AppState, tx: &mut WriteTx, due: &[TokenRow], now: i64) -> Result<Done, AppError> {
        let mut mails = Vec::new();
        for t in due {
            if !db::claim_expiry_notice(tx, t.id, now).await? {
                continue;
            }
            let org = crate::data::orgs::org_name(state.db.pool(), t.org_id).await?.unwrap_or_default();
            let on = crate::domain::expiry::format_utc(t.expires_at.0);
            let letter = mail::token_expiry_letter(&org, &t.name, &on, &format!("{}/settings/tokens", state.config.public_url));
            mails.push(mail::queue(tx, t.org_id, &t.owner_email, &letter, now).await?);
        }
        Ok(Done { handled: mails.len(), mails })
    }
}
