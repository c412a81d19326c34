//! The activity log: append-only (the tables' triggers refuse updates and deletes), and
//! [`record`] is the one way anything is written to it. Every change to a person, an
//! invitation, a project or a setting calls it inside the change's own transaction, so
//! the log and the change commit or roll back together.

use super::{DbResult, WriteTx};
pub use crate::domain::activity::{Action, TargetKind};
use crate::domain::{DeptId, OrgId, PersonId, Timestamp};
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyPool};

pub struct Entry<'a> {
    pub org: OrgId,
    pub at: i64,
    /// `None` when Lobby itself acted (the background jobs, set-up commands).
    pub actor: Option<PersonId>,
    /// The person it happened to, if any.
    pub subject: Option<PersonId>,
    pub action: Action,
    pub details: &'a str,
    /// What it happened to; `None`: the subject person, if there is one.
    pub target: Option<(TargetKind, Option<i64>)>,
    /// The department whose admins see the entry; `None`: found from the target at this
    /// moment (a person's sponsor or department, an invitation's department).
    pub scope: Option<DeptId>,
}

pub async fn record(tx: &mut WriteTx, e: Entry<'_>) -> DbResult<()> {
    // Stored to the second, as the Activity Report shows it.
    record_many(tx, &[e]).await
}

/// The name of what an entry is about, as it is now (kind `$k`, id `$i`): a person's
/// name (their email when they have none), an invitation's email, a project's,
/// department's or group's name; empty for anything else.
fn label_sql(k: &str, i: &str) -> String {
    format!(
        "COALESCE((SELECT CASE WHEN TRIM(x.first_name || ' ' || x.last_name) = '' THEN x.email ELSE TRIM(x.first_name || ' ' || x.last_name) END \
                   FROM people x WHERE x.id = {i} AND {k} = 'person'), \
                  (SELECT v.email FROM invitations v WHERE v.id = {i} AND {k} = 'invitation'), \
                  (SELECT r.name FROM projects r WHERE r.id = {i} AND {k} = 'project'), \
                  (SELECT d.name FROM departments d WHERE d.id = {i} AND {k} = 'department'), \
                  (SELECT g.name FROM org_groups g WHERE g.id = {i} AND {k} = 'group'), \
                  (SELECT t.name FROM api_tokens t WHERE t.id = {i} AND {k} = 'token'), '')"
    )
}

/// Whether an entry goes to the report's Guest activity: `$forced` when the action says
/// ([`Action::about_guest`]), else whether the target person or invitation is a guest's
/// now (when the entry is written).
fn about_guest_sql(forced: &str, k: &str, i: &str) -> String {
    format!(
        "COALESCE({forced}, (SELECT CASE WHEN x.kind = 'guest' THEN 1 ELSE 0 END FROM people x WHERE x.id = {i} AND {k} = 'person'), \
                  (SELECT CASE WHEN v.kind = 'guest' THEN 1 ELSE 0 END FROM invitations v WHERE v.id = {i} AND {k} = 'invitation'), 0)"
    )
}

/// Records the same entry for each of `people` with one `INSERT … SELECT` (a job's batch
/// of removals): each person is its subject and target, their organization its
/// organization, and their sponsor (guests) or department (members) as it is now its
/// scope. Same rules as [`record`]: inside the change's transaction, stored to the second.
pub async fn record_for_people(
    tx: &mut WriteTx,
    people: &[PersonId],
    at: i64,
    actor: Option<PersonId>,
    action: Action,
    details: &str,
) -> DbResult<()> {
    for chunk in people.chunks(1000) {
        let sql = format!(
            "INSERT INTO activity (org_id, at, actor_id, subject_id, action, details, target_kind, target_id, scope_department_id, about_guest, target_label)
             SELECT p.org_id, $1, CAST($2 AS BIGINT), p.id, $3, $4, 'person', p.id, COALESCE(p.sponsor_department_id, p.department_id),
                    COALESCE(CAST($5 AS BIGINT), CASE WHEN p.kind = 'guest' THEN 1 ELSE 0 END),
                    CASE WHEN TRIM(p.first_name || ' ' || p.last_name) = '' THEN p.email ELSE TRIM(p.first_name || ' ' || p.last_name) END
             FROM people p WHERE p.id IN ({}) ORDER BY p.id",
            super::placeholders(6, chunk.len())
        );
        let mut q = sqlx::query(&sql)
            .bind(at - at.rem_euclid(1000))
            .bind(actor.map(|p| p.0))
            .bind(action.key())
            .bind(details)
            .bind(action.about_guest().map(i64::from));
        for p in chunk {
            q = q.bind(p.0);
        }
        q.execute(tx.conn()).await?;
    }
    Ok(())
}

/// Records several entries with one statement (the jobs' batches). Same rules as
/// [`record`]: inside the change's transaction, stored to the second. The scope
/// department is the one given, else the target person's sponsor (guests) or department
/// (members) as it is now, else the target invitation's department. The report's
/// section and the target's name are fixed now too (see [`label_sql`]).
pub async fn record_many(tx: &mut WriteTx, entries: &[Entry<'_>]) -> DbResult<()> {
    const PER_ROW: usize = 10;
    // 500 rows stay far below both backends' parameter limits.
    for chunk in entries.chunks(500) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = |n: usize| format!("${}", i * PER_ROW + n);
                format!(
                    "({}, {}, {}, {}, {}, {}, {}, {}, COALESCE({}, \
                     (SELECT COALESCE(x.sponsor_department_id, x.department_id) FROM people x WHERE x.id = {} AND {} = 'person'), \
                     (SELECT v.department_id FROM invitations v WHERE v.id = {} AND {} = 'invitation')), {}, {})",
                    p(1), p(2), p(3), p(4), p(5), p(6), p(7), p(8), p(9), p(8), p(7), p(8), p(7),
                    about_guest_sql(&format!("CAST({} AS BIGINT)", p(10)), &p(7), &p(8)),
                    label_sql(&p(7), &p(8))
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO activity (org_id, at, actor_id, subject_id, action, details, target_kind, target_id, scope_department_id, about_guest, target_label) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for e in chunk {
            let (kind, id) = match (e.target, e.subject) {
                (Some((k, id)), _) => (Some(k.as_db()), id),
                (None, Some(p)) => (Some(TargetKind::Person.as_db()), Some(p.0)),
                (None, None) => (None, None),
            };
            q = q
                .bind(e.org.0)
                .bind(e.at - e.at.rem_euclid(1000))
                .bind(e.actor.map(|p| p.0))
                .bind(e.subject.map(|p| p.0))
                .bind(e.action.key())
                .bind(e.details)
                .bind(kind)
                .bind(id)
                .bind(e.scope.map(|d| d.0))
                .bind(e.action.about_guest().map(i64::from));
        }
        q.execute(tx.conn()).await?;
    }
    Ok(())
}

/// Runs one change and, when it changed exactly one row, records `entry` in the same
/// transaction; returns whether it did. The pattern of every single-row change the log
/// follows ("update, then if one row changed, log").
pub async fn change_logged<'q>(
    tx: &mut WriteTx,
    change: sqlx::query::Query<'q, Any, AnyArguments<'q>>,
    entry: Entry<'_>,
) -> DbResult<bool> {
    let changed = change.execute(tx.conn()).await?.rows_affected() == 1;
    if changed {
        record(tx, entry).await?;
    }
    Ok(changed)
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ActivityRow {
    pub at: Timestamp,
    /// `None`: Lobby acted (the sweeper, the lapse job, reminders).
    pub actor_id: Option<PersonId>,
    pub subject_id: Option<PersonId>,
    pub action: Action,
    pub details: String,
    pub target_kind: Option<TargetKind>,
    pub target_id: Option<i64>,
    pub scope_department_id: Option<DeptId>,
}

/// An organization's log entries from `since` (unix ms), oldest first.
pub async fn entries(pool: &AnyPool, org: OrgId, since: i64) -> DbResult<Vec<ActivityRow>> {
    Ok(sqlx::query_as(
        "SELECT at, actor_id, subject_id, action, details, target_kind, target_id, scope_department_id FROM activity
         WHERE org_id = $1 AND at >= $2 ORDER BY at, id",
    )
    .bind(org.0)
    .bind(since)
    .fetch_all(pool)
    .await?)
}
