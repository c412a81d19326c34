//! Expiry reminders' SQL: which guests are due a reminder, the claim that makes one
//! server (of several) send it, and what the mail needs to say and to whom.

use super::{DbResult, WriteTx};
use crate::domain::{OrgId, PersonId, Timestamp};
use sqlx::AnyPool;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DueRow {
    pub id: PersonId,
    pub org_id: OrgId,
    pub expires_at: Timestamp,
    pub next_reminder_at: Timestamp,
}

/// Up to `limit` live guests whose next reminder is due at `now` and whose time is not
/// up yet (after that the sweeper removes them), earliest first, across organizations.
pub async fn due(pool: &AnyPool, now: i64, limit: i64) -> DbResult<Vec<DueRow>> {
    Ok(sqlx::query_as(
        "SELECT id, org_id, expires_at, next_reminder_at FROM people
         WHERE kind = 'guest' AND state <> 'removed' AND next_reminder_at IS NOT NULL
           AND next_reminder_at <= $1 AND expires_at > $1
         ORDER BY next_reminder_at, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Takes the reminder seen as due (`seen` at `expires_at`) and schedules the next one:
/// one conditional UPDATE, so of several servers racing for the same reminder exactly
/// one gets `true` and sends it. A changed expiry or "Let expire" since the read also
/// makes it `false`.
pub async fn claim(tx: &mut WriteTx, id: PersonId, seen: i64, expires_at: i64, next: Option<i64>) -> DbResult<bool> {
    let n = sqlx::query(
        "UPDATE people SET next_reminder_at = $1
         WHERE id = $2 AND next_reminder_at = $3 AND expires_at = $4 AND kind = 'guest' AND state <> 'removed'",
    )
    .bind(next)
    .bind(id.0)
    .bind(seen)
    .bind(expires_at)
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// What a reminder says: the guest, their organization, and who invited them (if that
/// person is still an active member).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ReminderFacts {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub org_name: String,
    pub inviter_email: Option<String>,
    pub inviter_name: Option<String>,
}

pub async fn facts(tx: &mut WriteTx, id: PersonId) -> DbResult<Option<ReminderFacts>> {
    Ok(sqlx::query_as(
        "SELECT p.first_name, p.last_name, p.email, o.name AS org_name, inv.email AS inviter_email,
                inv.first_name || ' ' || inv.last_name AS inviter_name
         FROM people p JOIN organizations o ON o.id = p.org_id
         LEFT JOIN people inv ON inv.id = p.invited_by AND inv.state = 'active' AND inv.kind = 'member'
         WHERE p.id = $1",
    )
    .bind(id.0)
    .fetch_optional(tx.conn())
    .await?)
}

/// Emails of the organization's active Company Admins.
pub async fn company_admin_emails(tx: &mut WriteTx, org: OrgId) -> DbResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT email FROM people WHERE org_id = $1 AND kind = 'member' AND state = 'active' AND is_company_admin = 1 ORDER BY id",
    )
    .bind(org.0)
    .fetch_all(tx.conn())
    .await?)
}
