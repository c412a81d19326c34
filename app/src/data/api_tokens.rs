//! API tokens (F-API): stored by their SHA-256 only. Each change is logged in the same
//! transaction; "last used" and the hourly note of a refused use are single guarded
//! `UPDATE`s, so several servers write each at most once per interval.

use super::activity::{self, Action, Entry, TargetKind};
use super::{DbResult, WriteTx};
use crate::domain::{OrgId, PersonId, Timestamp, TokenId};
use sqlx::AnyPool;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenRow {
    pub id: TokenId,
    pub org_id: OrgId,
    pub owner_id: PersonId,
    pub owner: String,
    pub owner_email: String,
    pub name: String,
    /// Space-separated scope keys.
    pub scopes: String,
    pub hint: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    pub last_used_from: Option<String>,
    pub refused_logged_at: Option<Timestamp>,
}

const COLUMNS: &str = "t.id, t.org_id, t.owner_id, TRIM(p.first_name || ' ' || p.last_name) AS owner, p.email AS owner_email,
    t.name, t.scopes, t.hint, t.created_at, t.expires_at, t.revoked_at, t.last_used_at, t.last_used_from, t.refused_logged_at";
const JOINS: &str = "api_tokens t JOIN people p ON p.id = t.owner_id";

pub struct NewToken<'a> {
    pub org: OrgId,
    pub owner: PersonId,
    pub name: &'a str,
    pub scopes: &'a str,
    pub token_hash: &'a str,
    pub hint: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert(tx: &mut WriteTx, t: NewToken<'_>) -> DbResult<TokenId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (org_id, owner_id, name, scopes, token_hash, hint, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(t.org.0)
    .bind(t.owner.0)
    .bind(t.name)
    .bind(t.scopes)
    .bind(t.token_hash)
    .bind(t.hint)
    .bind(t.now)
    .bind(t.expires_at)
    .fetch_one(tx.conn())
    .await?;
    let details = format!("scopes: {}", t.scopes.replace(' ', ", "));
    log(tx, t.org, Some(t.owner), TokenId(id), Action::ApiTokenCreated, &details, t.now).await?;
    Ok(TokenId(id))
}

async fn log(tx: &mut WriteTx, org: OrgId, actor: Option<PersonId>, id: TokenId, action: Action, details: &str, at: i64) -> DbResult<()> {
    activity::record(
        tx,
        Entry { org, at, actor, subject: None, action, details, target: Some((TargetKind::Token, Some(id.0))), scope: None },
    )
    .await
}

/// The token with this hash, whatever its state (the caller decides what a revoked or
/// expired one gets).
pub async fn by_hash(pool: &AnyPool, hash: &str) -> DbResult<Option<TokenRow>> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM {JOINS} WHERE t.token_hash = $1")).bind(hash).fetch_optional(pool).await?)
}

/// One token of the organization (`owner`: only if it is theirs).
pub async fn get(pool: &AnyPool, org: OrgId, id: TokenId, owner: Option<PersonId>) -> DbResult<Option<TokenRow>> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM {JOINS} WHERE t.id = $1 AND t.org_id = $2 AND ($3 = 0 OR t.owner_id = $3)"))
        .bind(id.0)
        .bind(org.0)
        .bind(owner.map(|p| p.0).unwrap_or(0))
        .fetch_optional(pool)
        .await?)
}

/// The organization's tokens (`owner`: only theirs), newest first, at most `limit`;
/// revoked and expired ones only within `keep_since` (older ones are history).
pub async fn list(pool: &AnyPool, org: OrgId, owner: Option<PersonId>, keep_since: i64, limit: i64) -> DbResult<Vec<TokenRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM {JOINS} WHERE t.org_id = $1 AND ($2 = 0 OR t.owner_id = $2) AND COALESCE(t.revoked_at, t.expires_at) > $3
         ORDER BY t.id DESC LIMIT $4"
    ))
    .bind(org.0)
    .bind(owner.map(|p| p.0).unwrap_or(0))
    .bind(keep_since)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Revokes a live token; false if it was already revoked.
pub async fn revoke(tx: &mut WriteTx, org: OrgId, id: TokenId, actor: Option<PersonId>, now: i64) -> DbResult<bool> {
    let done = sqlx::query("UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND org_id = $2 AND revoked_at IS NULL")
        .bind(id.0)
        .bind(org.0)
        .bind(now)
        .execute(tx.conn())
        .await?
        .rows_affected()
        == 1;
    if done {
        log(tx, org, actor, id, Action::ApiTokenRevoked, "", now).await?;
    }
    Ok(done)
}

/// Notes a use at `now` from `from` unless one was noted within `every` ms.
pub async fn touch(pool: &AnyPool, id: TokenId, now: i64, from: &str, every: i64) -> DbResult<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $2, last_used_from = $3 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $4)")
        .bind(id.0)
        .bind(now)
        .bind(from)
        .bind(now - every)
        .execute(pool)
        .await?;
    Ok(())
}

/// Whether a refused use of this token should be logged now (none logged within
/// `every` ms): claims the slot, so only one server logs it.
pub async fn claim_refused_log(tx: &mut WriteTx, id: TokenId, now: i64, every: i64) -> DbResult<bool> {
    Ok(sqlx::query("UPDATE api_tokens SET refused_logged_at = $2 WHERE id = $1 AND (refused_logged_at IS NULL OR refused_logged_at <= $3)")
        .bind(id.0)
        .bind(now)
        .bind(now - every)
        .execute(tx.conn())
        .await?
        .rows_affected()
        == 1)
}

/// Logs a refused use of a revoked or expired token.
pub async fn log_refused(tx: &mut WriteTx, org: OrgId, id: TokenId, from: &str, now: i64) -> DbResult<()> {
    log(tx, org, None, id, Action::RefusedTokenUsed, &format!("from {from}"), now).await
}

/// Live tokens expiring before `before` whose owner has not been told, at most `limit`.
pub async fn expiring_unnoticed(pool: &AnyPool, now: i64, before: i64, limit: i64) -> DbResult<Vec<TokenRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM {JOINS} WHERE t.revoked_at IS NULL AND t.expiry_notice_at IS NULL AND t.expires_at > $1 AND t.expires_at <= $2
         ORDER BY t.expires_at, t.id LIMIT $3"
    ))
    .bind(now)
    .bind(before)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Claims the expiry notice of a token (false: another server already did).
pub async fn claim_expiry_notice(tx: &mut WriteTx, id: TokenId, now: i64) -> DbResult<bool> {
    Ok(sqlx::query("UPDATE api_tokens SET expiry_notice_at = $2 WHERE id = $1 AND expiry_notice_at IS NULL")
        .bind(id.0)
        .bind(now)
        .execute(tx.conn())
        .await?
        .rows_affected()
        == 1)
}
