//! The Activity Report's reads (F-REPORT): a section's page of a month, newest first by
//! keyset; the same rows oldest first in batches for the CSV; the chart's counts per day
//! and the counts per action; and the monthly mail's claims.
//!
//! Every read of the entries is built by [`Query::filter`], so the table, the chart and
//! the CSV can never disagree on what is in the report; the chart and the counts per
//! action read the per-day counts instead (`activity_daily`, kept by a trigger on the
//! log) through [`Query::daily_filter`], which shares the section, scope and action
//! conditions with it ([`Query::common`]) and gives way to the entries when a filter
//! needs them.

use super::{bind_all, Arg, DbResult, WriteTx};
use crate::domain::activity::Action;
// `activity_daily.day` is an entry's `at / DAY_MS`.
use crate::domain::inventory::DAY_MS;
use crate::domain::paging::{Key, KeyValue, Position};
use crate::domain::report::{like_pattern, Chart, Filters, Month, CHART_ACTIONS};
use crate::domain::{OrgId, PersonId, Timestamp};
use sqlx::AnyPool;

/// What a read of the report covers: an organization's month, one section or both, the
/// scope (a Department Admin's departments, by the entry's scope department) and the
/// filters.
#[derive(Clone, Debug)]
pub struct Query<'a> {
    pub org: OrgId,
    pub month: Month,
    /// `Some(true)`: Guest activity; `Some(false)`: Other activity; `None`: both.
    pub about_guest: Option<bool>,
    /// `Some(admin)`: only entries whose scope department the admin manages.
    pub scoped_to: Option<PersonId>,
    pub filters: &'a Filters,
}

impl Query<'_> {
    /// The `WHERE` of every report read (over `activity a` joined to the actor `ac`),
    /// with its parameters from `$1`.
    fn filter(&self) -> (String, Vec<Arg>) {
        let (mut sql, mut args) = self.common(&ENTRIES, self.month.start_ms(), self.month.end_ms());
        let f = self.filters;
        if let Some(actor) = &f.actor {
            let p = param(&mut args, Arg::Text(like_pattern(actor)));
            let lobby = if f.actor_is_lobby() { "a.actor_id IS NULL OR " } else { "" };
            sql += &format!(" AND ({lobby}LOWER({ACTOR_TEXT}) LIKE {p} ESCAPE '\\')");
        }
        if let Some(guest) = &f.guest {
            let p = param(&mut args, Arg::Text(like_pattern(guest)));
            sql += &format!(" AND a.about_guest = 1 AND LOWER(a.target_label) LIKE {p} ESCAPE '\\'");
        }
        if let Some(text) = &f.text {
            let p = param(&mut args, Arg::Text(like_pattern(text)));
            sql += &format!(
                " AND (LOWER(a.target_label) LIKE {p} ESCAPE '\\' OR LOWER(a.details) LIKE {p} ESCAPE '\\' OR LOWER({ACTOR_TEXT}) LIKE {p} ESCAPE '\\')"
            );
        }
        (sql, args)
    }

    /// The `WHERE` over the daily counts (`activity_daily d`) that selects the same
    /// entries as [`Query::filter`], with its parameters from `$1` (`$2`, `$3`: the
    /// month's first and end day); `None` when a filter needs the entries themselves
    /// (the person who acted, the guest, the text).
    fn daily_filter(&self) -> Option<(String, Vec<Arg>)> {
        let f = self.filters;
        if f.actor.is_some() || f.guest.is_some() || f.text.is_some() {
            return None;
        }
        // A month starts and ends at UTC midnights, so its days are whole.
        Some(self.common(&DAILY, self.month.start_ms() / DAY_MS, self.month.end_ms() / DAY_MS))
    }

    /// The conditions both kinds of read share: organization, the month (`from..to` in
    /// the columns' unit), section, scope and action.
    fn common(&self, c: &Columns, from: i64, to: i64) -> (String, Vec<Arg>) {
        let mut sql = format!("{} = $1 AND {} >= $2 AND {} < $3", c.org, c.time, c.time);
        let mut args = vec![Arg::Int(self.org.0), Arg::Int(from), Arg::Int(to)];
        if let Some(g) = self.about_guest {
            sql += &format!(" AND {} = {}", c.about_guest, param(&mut args, Arg::Int(g as i64)));
        }
        if let Some(admin) = self.scoped_to {
            sql += &format!(" AND {} IN ({})", c.department, super::people::managed_depts(&param(&mut args, Arg::Int(admin.0))));
        }
        if let Some(action) = self.filters.action {
            sql += &format!(" AND {} = {}", c.action, param(&mut args, Arg::Text(action.key().into())));
        }
        (sql, args)
    }
}

/// Adds `a` to the parameters and names its placeholder (`$n`).
fn param(args: &mut Vec<Arg>, a: Arg) -> String {
    args.push(a);
    format!("${}", args.len())
}

/// The columns [`Query::common`] filters on: of the entries, or of their daily counts
/// (where an entry without a scope department counts under department 0, which no
/// admin manages).
struct Columns {
    org: &'static str,
    time: &'static str,
    about_guest: &'static str,
    department: &'static str,
    action: &'static str,
}

const ENTRIES: Columns = Columns { org: "a.org_id", time: "a.at", about_guest: "a.about_guest", department: "a.scope_department_id", action: "a.action" };
const DAILY: Columns = Columns { org: "d.org_id", time: "d.day", about_guest: "d.about_guest", department: "d.department_id", action: "d.action" };

/// The person who acted, as one searchable text (empty for Lobby).
const ACTOR_TEXT: &str = "COALESCE(ac.first_name || ' ' || ac.last_name || ' ' || ac.email || ' ' || COALESCE(ac.mobile, ''), '')";

pub(crate) const ROW_COLUMNS: &str = "a.id, a.at, a.actor_id, ac.first_name AS actor_first, ac.last_name AS actor_last,
    ac.mobile AS actor_mobile, ac.email AS actor_email, a.action, a.details, a.target_label, a.about_guest";
pub(crate) const ROW_JOINS: &str = "activity a LEFT JOIN people ac ON ac.id = a.actor_id";

/// An entry of the report, with the person who acted.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub at: Timestamp,
    pub actor_id: Option<PersonId>,
    pub actor_first: Option<String>,
    pub actor_last: Option<String>,
    pub actor_mobile: Option<String>,
    pub actor_email: Option<String>,
    pub action: Action,
    pub details: String,
    /// What the entry is about, named as it was then.
    pub target_label: String,
    #[sqlx(try_from = "super::DbFlag")]
    pub about_guest: bool,
}

impl ReportRow {
    /// The person who acted as [`crate::domain::report::actor_label`] takes them.
    pub fn actor(&self) -> Option<(&str, &str, Option<&str>, &str)> {
        self.actor_id.map(|_| {
            (
                self.actor_first.as_deref().unwrap_or(""),
                self.actor_last.as_deref().unwrap_or(""),
                self.actor_mobile.as_deref(),
                self.actor_email.as_deref().unwrap_or(""),
            )
        })
    }
}

/// A row's place in the report's order (time, then id).
pub fn key(r: &ReportRow) -> Key {
    Key { value: KeyValue::Int(r.at.0), id: r.id }
}

/// `limit` entries of `q` from the keyset position `pos`: newest first when `desc` (the
/// page), oldest first otherwise (the CSV).
pub async fn entries(pool: &AnyPool, q: &Query<'_>, desc: bool, pos: &Position, limit: i64) -> DbResult<Vec<ReportRow>> {
    let (filter, mut args) = q.filter();
    let (after, order) = super::keyset("a.at", "a.id", desc, pos, args.len() + 1);
    if let Some(k) = pos.key() {
        match &k.value {
            KeyValue::Int(n) => args.push(Arg::Int(*n)),
            KeyValue::Text(_) => return Ok(Vec::new()),
        }
        args.push(Arg::Int(k.id));
    }
    args.push(Arg::Int(limit));
    let sql = format!("SELECT {ROW_COLUMNS} FROM {ROW_JOINS} WHERE {filter} {after} ORDER BY {order} LIMIT ${}", args.len());
    // Planned for its own values on each read: PostgreSQL's generic plan for a Department
    // Admin's scope reads the whole branch and sorts it (35 ms at 100,000 entries) where
    // the plan for the actual values walks the time index and stops after a page (4 ms;
    // BENCHMARKS.md).
    let mut tx = super::begin_custom_planned(pool).await?;
    // Unprepared: its text changes with the filters, and cached it would crowd the
    // connection's statement cache with one-off statements.
    let rows = bind_all(sqlx::query_as(&sql), args).persistent(false).fetch_all(&mut *tx).await?;
    tx.commit().await?;
    Ok(rows)
}

/// The chart of `q`'s month: its four actions counted per day, with `q`'s scope and
/// filters; from the daily counts unless a filter needs the entries.
pub async fn chart(pool: &AnyPool, q: &Query<'_>) -> DbResult<Chart> {
    let (sql, mut args, action) = match q.daily_filter() {
        Some((filter, args)) => (format!("SELECT d.day - $2 AS day, d.action, CAST(SUM(d.n) AS BIGINT) AS n FROM activity_daily d WHERE {filter}"), args, "d.action"),
        None => {
            let (filter, args) = q.filter();
            (format!("SELECT (a.at - $2) / {DAY_MS} AS day, a.action, COUNT(*) AS n FROM {} WHERE {filter}", entry_joins(q)), args, "a.action")
        }
    };
    let first = args.len() + 1;
    let list = super::placeholders(first, CHART_ACTIONS.len());
    for a in CHART_ACTIONS {
        args.push(Arg::Text(a.key().into()));
    }
    let sql = format!("{sql} AND {action} IN ({list}) GROUP BY 1, 2");
    let query = bind_all(sqlx::query_as::<_, (i64, Action, i64)>(&sql), args);
    let mut chart = Chart::empty(q.month);
    for (day, action, n) in query.fetch_all(pool).await? {
        chart.add(day.max(0) as usize, action, n);
    }
    Ok(chart)
}

/// How many entries of `q` each action has, most first; from the daily counts unless a
/// filter needs the entries.
pub async fn action_counts(pool: &AnyPool, q: &Query<'_>) -> DbResult<Vec<(Action, i64)>> {
    let sql_args = match q.daily_filter() {
        Some((filter, args)) => (format!("SELECT d.action, CAST(SUM(d.n) AS BIGINT) AS n FROM activity_daily d WHERE {filter} GROUP BY d.action ORDER BY 2 DESC, 1"), args),
        None => {
            let (filter, args) = q.filter();
            (format!("SELECT a.action, COUNT(*) AS n FROM {} WHERE {filter} GROUP BY a.action ORDER BY 2 DESC, 1", entry_joins(q)), args)
        }
    };
    Ok(bind_all(sqlx::query_as::<_, (Action, i64)>(&sql_args.0), sql_args.1).fetch_all(pool).await?)
}

/// The entries a count reads: `ac` (the person who acted) is joined only when a filter
/// names them.
fn entry_joins(q: &Query<'_>) -> &'static str {
    if q.filters.actor.is_some() || q.filters.text.is_some() {
        ROW_JOINS
    } else {
        "activity a"
    }
}

// ---- The monthly mail ------------------------------------------------------------------

/// An organization the monthly mail considers: when it was created, whether it wants the
/// report, and the newest month claimed for it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MailingOrg {
    pub id: crate::domain::OrgId,
    pub created_at: Timestamp,
    pub last_claimed: Option<String>,
}

/// Up to `limit` organizations whose newest claimed month is before `month` (or that
/// have none), by id from `after`.
pub async fn orgs_behind(pool: &AnyPool, month: Month, after: i64, limit: i64) -> DbResult<Vec<MailingOrg>> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.created_at, (SELECT MAX(m.month) FROM report_mailings m WHERE m.org_id = o.id) AS last_claimed
         FROM organizations o
         WHERE o.id > $2 AND NOT EXISTS (SELECT 1 FROM report_mailings m WHERE m.org_id = o.id AND m.month >= $1)
         ORDER BY o.id LIMIT $3",
    )
    .bind(month.key())
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Claims an organization's month for the monthly mail inside the transaction that
/// queues its mails; `false` when another server claimed it first (then this one sends
/// nothing).
pub async fn claim(tx: &mut WriteTx, org: OrgId, month: Month, mails: i64, now: i64) -> DbResult<bool> {
    let n = sqlx::query("INSERT INTO report_mailings (org_id, month, claimed_at, mails) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
        .bind(org.0)
        .bind(month.key())
        .bind(now)
        .bind(mails)
        .execute(tx.conn())
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// The months claimed for an organization, oldest first, with the mails each sent.
pub async fn claims(pool: &AnyPool, org: OrgId) -> DbResult<Vec<(String, i64)>> {
    Ok(sqlx::query_as("SELECT month, mails FROM report_mailings WHERE org_id = $1 ORDER BY month").bind(org.0).fetch_all(pool).await?)
}
