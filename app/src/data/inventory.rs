//! The guest inventory's SQL: guests (live, and removed within the last 30 days) and
//! pending guest invitations as one keyset-paged list. Each kind is read from its own
//! table in the list's order by its own index, at most a page each, and the two are
//! merged; a row id (`2 × id` for a guest, `2 × id + 1` for an invitation, see
//! [`RowSource`]) is the tie-breaker of the merged order.

use super::people::{managed_depts, ScopeOf};
use super::{as_flag, bind_all, Arg, DbResult};
use crate::domain::guests::SortDir;
use crate::domain::inventory::{EntryState, Filters, InventorySort, RowSource, DAY_MS, EXPIRING_SOON_DAYS, LAPSING_SOON_HOURS, REMOVED_SHOWN_DAYS};
use crate::domain::paging::{Key, KeyValue, Position};
use crate::domain::expiry::ExpiryPeriod;
use crate::domain::{DeptId, InvitationId, Permission, PersonId, Timestamp};
use sqlx::AnyPool;

/// One row of the inventory: a guest (`person`) or a pending invitation (`invitation`).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct InventoryRow {
    pub rid: i64,
    pub person: Option<PersonId>,
    pub invitation: Option<InvitationId>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[sqlx(try_from = "super::DbFlag")]
    pub removed: bool,
    pub removed_at: Option<Timestamp>,
    pub department_id: Option<DeptId>,
    pub department: String,
    pub inviter_id: Option<PersonId>,
    pub inviter: String,
    pub project: Option<String>,
    pub permission: Option<Permission>,
    pub invited_at: Option<Timestamp>,
    pub accepted_at: Option<Timestamp>,
    pub last_seen_at: Option<Timestamp>,
    pub expires_at: Option<Timestamp>,
    /// An invitation's period, which starts at acceptance.
    pub expiry_period: Option<ExpiryPeriod>,
    /// When a pending invitation lapses.
    pub lapses_at: Option<Timestamp>,
    pub sort_text: Option<String>,
    pub sort_int: Option<i64>,
    /// Since when sign-ins are recorded (the same on every row, read by the page's own
    /// statement): a guest who joined before it and has none has an unknown last sign-in.
    pub recorded_since: i64,
}

impl InventoryRow {
    pub fn state(&self, now: i64) -> EntryState {
        if self.invitation.is_some() {
            EntryState::Pending
        } else {
            EntryState::of_guest(self.removed, self.expires_at.map(|t| t.0), now)
        }
    }
}

/// A row's place in the list's order.
pub fn key(r: &InventoryRow) -> Key {
    let value = match &r.sort_text {
        Some(t) => KeyValue::Text(t.clone()),
        None => KeyValue::Int(r.sort_int.unwrap_or(0)),
    };
    Key { value, id: r.rid }
}

/// The SQL each kind of row is ordered by under `sort`. The guests' expressions are
/// those of the indexes of migration 0013 and 0002, written the same way.
fn sort_key(sort: InventorySort, src: RowSource) -> String {
    match (sort, src) {
        (InventorySort::Name, RowSource::Guest) => "LOWER(p.last_name)".into(),
        (InventorySort::Name, RowSource::Invitation) => "LOWER(i.email)".into(),
        (InventorySort::State, RowSource::Guest) => "(CASE WHEN p.state = 'removed' THEN 3000000000000000 - COALESCE(p.removed_at, 0)
              ELSE 1000000000000000 + COALESCE(p.expires_at, 999999999999999) END)"
            .into(),
        (InventorySort::State, RowSource::Invitation) => "i.created_at".into(),
        (InventorySort::LastSignIn, RowSource::Guest) => "COALESCE(p.last_seen_at, 0)".into(),
        (InventorySort::LastSignIn, RowSource::Invitation) => "CAST(0 AS BIGINT)".into(),
        (InventorySort::Expiry, RowSource::Guest) => "COALESCE(p.expires_at, 9223372036854775807)".into(),
        (InventorySort::Expiry, RowSource::Invitation) => format!("CAST({} AS BIGINT)", i64::MAX),
        (InventorySort::Invited, RowSource::Guest) => "p.invited_at".into(),
        (InventorySort::Invited, RowSource::Invitation) => "i.created_at".into(),
    }
}

/// SQL text and its parameters, numbered as they are added.
#[derive(Default)]
struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn int(&mut self, v: i64) -> String {
        self.args.push(Arg::Int(v));
        format!("${}", self.args.len())
    }

    fn text_param(&mut self, v: String) -> String {
        self.args.push(Arg::Text(v));
        format!("${}", self.args.len())
    }
}

/// What an inventory read covers: whose view, at what time, which rows.
pub struct Query<'a> {
    pub scope: ScopeOf,
    pub now: i64,
    pub filters: &'a Filters,
}

/// Since when sign-ins are recorded, read inside the page's statement (one round trip).
const RECORDED_SINCE: &str = "COALESCE((SELECT m.value FROM lobby_meta m WHERE m.key = 'last_seen_recorded_since'), 0)";

/// The guests' conditions (without the keyset): the viewer's scope, live or recently
/// removed, and the filters.
fn guest_where(sql: &mut Sql, q: &Query) -> String {
    let org = sql.int(q.scope.org.0);
    let removed_since = sql.int(q.now - REMOVED_SHOWN_DAYS * DAY_MS);
    let mut w = format!("p.org_id = {org} AND p.kind = 'guest' AND (p.state <> 'removed' OR p.removed_at >= {removed_since})");
    if !q.scope.whole_org {
        let viewer = sql.int(q.scope.viewer.0);
        w += &format!(" AND p.sponsor_department_id IN ({})", managed_depts(&viewer));
    }
    let f = q.filters;
    let soon = q.now + EXPIRING_SOON_DAYS * DAY_MS;
    match f.state {
        Some(EntryState::Removed) => w += " AND p.state = 'removed'",
        Some(EntryState::Expiring) => w += &format!(" AND p.state <> 'removed' AND p.expires_at <= {}", sql.int(soon)),
        Some(EntryState::Active) => w += &format!(" AND p.state <> 'removed' AND (p.expires_at IS NULL OR p.expires_at > {})", sql.int(soon)),
        Some(EntryState::Pending) | None => {}
    }
    if f.never_signed_in {
        // Only a guest who joined after sign-ins began to be recorded and has none has
        // "Never signed in" (an earlier one's last sign-in is unknown).
        w += &format!(" AND p.state <> 'removed' AND p.last_seen_at IS NULL AND p.created_at >= {RECORDED_SINCE}");
    }
    if let Some(days) = f.idle_days {
        w += &format!(" AND p.state <> 'removed' AND COALESCE(p.last_seen_at, p.created_at) < {}", sql.int(q.now - days * DAY_MS));
    }
    if let Some(days) = f.expiring_days {
        w += &format!(" AND p.state <> 'removed' AND p.expires_at <= {}", sql.int(q.now + days * DAY_MS));
    }
    if let Some(d) = f.department {
        w += &format!(" AND p.sponsor_department_id = {}", sql.int(d));
    }
    if let Some(x) = f.inviter {
        w += &format!(" AND p.invited_by = {}", sql.int(x));
    }
    w
}

/// The pending guest invitations' conditions (without the keyset).
fn invitation_where(sql: &mut Sql, q: &Query) -> String {
    let org = sql.int(q.scope.org.0);
    // Past its validity an invitation has lapsed, whether or not the sweeper marked it.
    let valid = sql.int(q.now);
    let mut w = format!("i.org_id = {org} AND i.state = 'pending' AND i.kind = 'guest' AND i.validity_ends_at > {valid}");
    if !q.scope.whole_org {
        let viewer = sql.int(q.scope.viewer.0);
        w += &format!(" AND i.department_id IN ({})", managed_depts(&viewer));
    }
    let f = q.filters;
    if let Some(days) = f.pending_older_days {
        w += &format!(" AND i.created_at < {}", sql.int(q.now - days * DAY_MS));
    }
    if f.lapsing_soon {
        w += &format!(" AND i.validity_ends_at <= {}", sql.int(q.now + LAPSING_SOON_HOURS * 3_600_000));
    }
    if let Some(d) = f.department {
        w += &format!(" AND i.department_id = {}", sql.int(d));
    }
    if let Some(x) = f.inviter {
        w += &format!(" AND i.inviter_id = {}", sql.int(x));
    }
    w
}

const GUEST_COLUMNS: &str = "2 * p.id AS rid, p.id AS person, CAST(NULL AS BIGINT) AS invitation,
    p.first_name, p.last_name, p.email, CASE WHEN p.state = 'removed' THEN 1 ELSE 0 END AS removed, p.removed_at,
    p.sponsor_department_id AS department_id, COALESCE(d.name, '') AS department,
    p.invited_by AS inviter_id, COALESCE(x.first_name || ' ' || x.last_name, '') AS inviter,
    pr.name AS project, p.permission, p.invited_at, p.created_at AS accepted_at, p.last_seen_at, p.expires_at,
    CAST(NULL AS TEXT) AS expiry_period, CAST(NULL AS BIGINT) AS lapses_at";

const GUEST_JOINS: &str = "LEFT JOIN departments d ON d.id = p.sponsor_department_id
    LEFT JOIN people x ON x.id = p.invited_by
    LEFT JOIN projects pr ON pr.id = p.project_id";

const INVITATION_COLUMNS: &str = "2 * i.id + 1 AS rid, CAST(NULL AS BIGINT) AS person, i.id AS invitation,
    '' AS first_name, '' AS last_name, i.email, 0 AS removed, CAST(NULL AS BIGINT) AS removed_at,
    i.department_id AS department_id, COALESCE(d.name, '') AS department,
    i.inviter_id AS inviter_id, COALESCE(x.first_name || ' ' || x.last_name, '') AS inviter,
    pr.name AS project, i.permission, i.created_at AS invited_at, CAST(NULL AS BIGINT) AS accepted_at,
    CAST(NULL AS BIGINT) AS last_seen_at, CAST(NULL AS BIGINT) AS expires_at,
    i.expiry_period, i.validity_ends_at AS lapses_at";

const INVITATION_JOINS: &str = "LEFT JOIN departments d ON d.id = i.department_id
    LEFT JOIN people x ON x.id = i.inviter_id
    LEFT JOIN projects pr ON pr.id = i.project_id";

/// One kind's part of a page: its rows in the list's order from `pos`, at most `limit`.
fn part(sql: &mut Sql, q: &Query, src: RowSource, sort: InventorySort, desc: bool, pos: &Position, limit: &str) -> String {
    let (table, columns, joins, id, cond) = match src {
        RowSource::Guest => ("people p", GUEST_COLUMNS, GUEST_JOINS, "p.id", guest_where(sql, q)),
        RowSource::Invitation => ("invitations i", INVITATION_COLUMNS, INVITATION_JOINS, "i.id", invitation_where(sql, q)),
    };
    let key = sort_key(sort, src);
    let forwards_desc = desc != pos.backwards();
    let dir = if forwards_desc { "DESC" } else { "ASC" };
    let after = match pos.key() {
        None => String::new(),
        Some(k) => {
            let value = match &k.value {
                KeyValue::Int(n) => sql.int(*n),
                KeyValue::Text(t) => sql.text_param(t.clone()),
            };
            let bound = sql.int(src.id_bound(k.id, !forwards_desc));
            format!(" AND ({key}, {id}) {} ({value}, {bound})", if forwards_desc { "<" } else { ">" })
        }
    };
    let sorted = if sort.text_key() {
        format!("{key} AS sort_text, CAST(NULL AS BIGINT) AS sort_int")
    } else {
        format!("CAST(NULL AS TEXT) AS sort_text, {key} AS sort_int")
    };
    // An invitation has no sign-in and no expiry: under those orders its key is a
    // constant, and its rows go by id alone (so the id index serves them).
    let constant = src == RowSource::Invitation && matches!(sort, InventorySort::LastSignIn | InventorySort::Expiry);
    let order = if constant { format!("{id} {dir}") } else { format!("{key} {dir}, {id} {dir}") };
    format!(
        "SELECT * FROM (SELECT {columns}, {sorted} FROM {table} {joins} WHERE {cond}{after} ORDER BY {order} LIMIT {limit}) {}",
        match src {
            RowSource::Guest => "g",
            RowSource::Invitation => "v",
        }
    )
}

/// `limit` rows of the inventory from the keyset position `pos` (read backwards for a
/// previous page), in the order of `sort` and `dir`.
pub async fn page(pool: &AnyPool, q: &Query<'_>, sort: InventorySort, dir: SortDir, pos: &Position, limit: i64) -> DbResult<Vec<InventoryRow>> {
    let desc = dir == SortDir::Desc;
    let mut sql = Sql::default();
    let lim = sql.int(limit);
    let mut parts = Vec::with_capacity(2);
    if q.filters.wants_guests() {
        parts.push(part(&mut sql, q, RowSource::Guest, sort, desc, pos, &lim));
    }
    if q.filters.wants_invitations() {
        parts.push(part(&mut sql, q, RowSource::Invitation, sort, desc, pos, &lim));
    }
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    let forwards_desc = desc != pos.backwards();
    let dir = if forwards_desc { "DESC" } else { "ASC" };
    let by = if sort.text_key() { "sort_text" } else { "sort_int" };
    sql.text = format!(
        "SELECT u.*, CAST({RECORDED_SINCE} AS BIGINT) AS recorded_since FROM ({}) u ORDER BY {by} {dir}, rid {dir} LIMIT {lim}",
        parts.join(" UNION ALL ")
    );
    Ok(bind_all(sqlx::query_as(&sql.text), sql.args).fetch_all(pool).await?)
}

/// The people who invited a guest or a pending guest invitation within the scope, by
/// name: the Inviter filter's choices.
pub async fn inviters(pool: &AnyPool, scope: ScopeOf, limit: i64) -> DbResult<Vec<(PersonId, String)>> {
    let managed = managed_depts("$3");
    let sql = format!(
        "SELECT x.id, x.first_name || ' ' || x.last_name FROM people x
         WHERE x.org_id = $1 AND x.kind = 'member' AND (
            EXISTS (SELECT 1 FROM people p WHERE p.invited_by = x.id AND p.kind = 'guest' AND p.org_id = $1
                    AND ($2 = 1 OR p.sponsor_department_id IN ({managed})))
            OR EXISTS (SELECT 1 FROM invitations i WHERE i.inviter_id = x.id AND i.state = 'pending' AND i.kind = 'guest'
                    AND ($2 = 1 OR i.department_id IN ({managed}))))
         ORDER BY LOWER(x.last_name), LOWER(x.first_name), x.id LIMIT $4"
    );
    let rows: Vec<(PersonId, String)> =
        sqlx::query_as(&sql).bind(scope.org.0).bind(as_flag(scope.whole_org)).bind(scope.viewer.0).bind(limit).fetch_all(pool).await?;
    Ok(rows)
}
