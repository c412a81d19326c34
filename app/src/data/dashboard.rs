//! The dashboard's reads (F-DASH): what needs an admin now, counted within their scope
//! exactly as the lists the numbers link to select their rows (the inventory's
//! filters), the latest activity entries, and the sparkline's counts per day.

use super::people::{managed_depts, ScopeOf};
use super::report::{ReportRow, ROW_COLUMNS, ROW_JOINS};
use super::DbResult;
use crate::domain::activity::Action;
use crate::domain::dashboard::Sparkline;
use crate::domain::inventory::{DAY_MS, EXPIRING_SOON_DAYS, LAPSING_SOON_HOURS};
use crate::domain::PersonId;
use sqlx::AnyPool;

/// The numbers of the "needs you now" cards.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Figures {
    /// Live guests expiring within [`EXPIRING_SOON_DAYS`] (the inventory's "Expiring").
    pub leaving_soon: i64,
    /// Pending guest invitations (the inventory's "Pending invitation").
    pub pending: i64,
    /// Of those, lapsing within [`LAPSING_SOON_HOURS`].
    pub lapsing_soon: i64,
    /// Live guests without a recorded sign-in, plus pending invitations (the inventory's
    /// "Never signed in").
    pub never_signed_in: i64,
}

/// The figures at `now` within the scope, without scanning: the kept counts
/// (`people_counts.unseen`, `invitation_counts`) and short ranges of the indexes on the
/// clock's edges (guests leaving within 7 days, invitations lapsing within 48 hours or
/// past their validity but not yet marked lapsed). A Department Admin's figures are
/// counted by their departments alone (those are of their organization), so each range
/// reads the by-department index. "Never signed in" counts from when sign-ins began to be
/// recorded: the triggers of migration 0017 keep it so.
pub async fn figures(pool: &AnyPool, s: ScopeOf, now: i64) -> DbResult<Figures> {
    let managed = managed_depts("$5");
    let (guests, invitations, kept) = if s.whole_org {
        ("p.org_id = $1".to_string(), "i.org_id = $1".to_string(), "c.org_id = $1".to_string())
    } else {
        (
            format!("p.sponsor_department_id IN ({managed})"),
            format!("i.department_id IN ({managed})"),
            format!("c.org_id = $1 AND c.department_id IN ({managed})"),
        )
    };
    let guests = format!("{guests} AND p.kind = 'guest' AND p.state <> 'removed'");
    let invitations = format!("{invitations} AND i.kind = 'guest' AND i.state = 'pending'");
    let pending = format!(
        "(SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM invitation_counts c WHERE {kept} AND c.kind = 'guest')
         - (SELECT COUNT(*) FROM invitations i WHERE {invitations} AND i.validity_ends_at <= $4)"
    );
    let sql = format!(
        "SELECT
           (SELECT COUNT(*) FROM people p WHERE {guests} AND p.expires_at <= $2) AS leaving_soon,
           {pending} AS pending,
           (SELECT COUNT(*) FROM invitations i WHERE {invitations} AND i.validity_ends_at > $4 AND i.validity_ends_at <= $3) AS lapsing_soon,
           (SELECT CAST(COALESCE(SUM(c.unseen), 0) AS BIGINT) FROM people_counts c WHERE {kept} AND c.kind = 'guest') + {pending} AS never_signed_in"
    );
    let q = sqlx::query_as(&sql)
        .bind(s.org.0)
        .bind(now + EXPIRING_SOON_DAYS * DAY_MS)
        .bind(now + LAPSING_SOON_HOURS * 3_600_000)
        .bind(now);
    let q = if s.whole_org { q } else { q.bind(s.viewer.0) };
    Ok(q.fetch_one(pool).await?)
}

/// The scope of activity entries, the admin being `param` (0: a Company Admin, the
/// whole organization): a Department Admin's entries by their scope department, as the
/// Activity Report.
fn activity_scope(param: &str) -> String {
    scope_on("a.scope_department_id", param)
}

/// `column` (a scope department) within the departments admin `param` manages, or any
/// when `param` is 0 (a Company Admin).
fn scope_on(column: &str, param: &str) -> String {
    format!(" AND ({param} = 0 OR {column} IN ({}))", managed_depts(param))
}

/// The `limit` newest entries of the organization (Guest activity only when
/// `about_guest` is `Some(true)`, Other only when `Some(false)`), in scope.
pub async fn recent(pool: &AnyPool, org: crate::domain::OrgId, about_guest: Option<bool>, scoped_to: Option<PersonId>, limit: i64) -> DbResult<Vec<ReportRow>> {
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM {ROW_JOINS} WHERE a.org_id = $1 AND ($4 = 2 OR a.about_guest = $4){} ORDER BY a.at DESC, a.id DESC LIMIT $2",
        activity_scope("$3")
    );
    Ok(sqlx::query_as(&sql)
        .bind(org.0)
        .bind(limit)
        .bind(scoped_to.map(|p| p.0).unwrap_or(0))
        .bind(about_guest.map(|g| g as i64).unwrap_or(2))
        .fetch_all(pool)
        .await?)
}

/// Invitations and removals per day of the window ending today, in scope, from the
/// report's daily counts (the window is whole UTC days).
pub async fn sparkline(pool: &AnyPool, org: crate::domain::OrgId, scoped_to: Option<PersonId>, now: i64) -> DbResult<Sparkline> {
    let (start, end) = Sparkline::window(now);
    let sql = format!(
        "SELECT d.day - $2 AS day, d.action, CAST(SUM(d.n) AS BIGINT) AS n FROM activity_daily d
         WHERE d.org_id = $1 AND d.about_guest = 1 AND d.action IN ($5, $6, $7) AND d.day >= $2 AND d.day < $3{}
         GROUP BY 1, 2",
        scope_on("d.department_id", "$4")
    );
    let rows: Vec<(i64, Action, i64)> = sqlx::query_as(&sql)
        .bind(org.0)
        .bind(start.div_euclid(DAY_MS))
        .bind(end.div_euclid(DAY_MS))
        .bind(scoped_to.map(|p| p.0).unwrap_or(0))
        .bind(Action::Invited.key())
        .bind(Action::Deleted.key())
        .bind(Action::ExpiredRemoval.key())
        .fetch_all(pool)
        .await?;
    let mut s = Sparkline::empty(now);
    for (day, action, n) in rows {
        s.add(day, if action == Action::Invited { 0 } else { 1 }, n);
    }
    Ok(s)
}

/// A person's own live guests (whom they invited), soonest expiry first, at most `limit`.
pub async fn own_guests(pool: &AnyPool, org: crate::domain::OrgId, inviter: PersonId, limit: i64) -> DbResult<Vec<(PersonId, String, String, Option<crate::domain::Timestamp>)>> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.first_name || ' ' || p.last_name, p.email, p.expires_at FROM people p
         WHERE p.invited_by = $2 AND p.kind = 'guest' AND p.org_id = $1 AND p.state <> 'removed'
         ORDER BY COALESCE(p.expires_at, 9223372036854775807), p.id LIMIT $3",
    )
    .bind(org.0)
    .bind(inviter.0)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// A person's own pending guest invitations still within their validity at `now` (as
/// the inventory counts them), newest first, at most `limit`.
pub async fn own_pending(pool: &AnyPool, org: crate::domain::OrgId, inviter: PersonId, now: i64, limit: i64) -> DbResult<Vec<(crate::domain::InvitationId, String, crate::domain::Timestamp)>> {
    Ok(sqlx::query_as(
        "SELECT i.id, i.email, i.created_at FROM invitations i
         WHERE i.inviter_id = $2 AND i.org_id = $1 AND i.state = 'pending' AND i.kind = 'guest' AND i.validity_ends_at > $4
         ORDER BY i.created_at DESC, i.id DESC LIMIT $3",
    )
    .bind(org.0)
    .bind(inviter.0)
    .bind(limit)
    .bind(now)
    .fetch_all(pool)
    .await?)
}
