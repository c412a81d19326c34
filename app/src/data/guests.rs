//! The Guests list's SQL: the scoped list with its sort orders, the counter, prefix
//! search, a guest's details, and the bulk Incorporate and Delete.

use super::placeholders;
use super::activity::{self, Action, Entry};
use super::people::{managed_depts, ScopeOf};
use super::{as_flag, DbResult, WriteTx};
use crate::domain::expiry::{first_reminder, ExpiryPeriod};
use crate::domain::guests::{GuestSort, SelectedPerson, SortDir};
use crate::domain::paging::{Key, KeyValue, Position};
use crate::domain::{DeptId, OrgId, Permission, PersonId, PersonKind, PersonState, Timestamp};
use sqlx::AnyPool;

/// Guests the viewer may see: `$1` org, `$2` whole organization (0/1), `$3` viewer.
fn guest_in_scope() -> String {
    let managed = managed_depts("$3");
    format!("p.org_id = $1 AND p.kind = 'guest' AND p.state <> 'removed' AND ($2 = 1 OR p.sponsor_department_id IN ({managed}))")
}

/// Whether a person (guest by sponsor, member by department) is within the scope.
fn person_in_scope() -> String {
    let managed = managed_depts("$3");
    format!("($2 = 1 OR (CASE WHEN p.kind = 'guest' THEN p.sponsor_department_id ELSE p.department_id END) IN ({managed}))")
}

const NEVER: i64 = i64::MAX;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct GuestRow {
    pub id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub mobile: Option<String>,
    pub invited_by: String,
    pub invited_at: Option<Timestamp>,
    pub department: String,
    pub project: Option<String>,
    pub permission: Option<Permission>,
    pub expires_at: Option<Timestamp>,
    /// Version of the guest's avatar (when it was last set), if any.
    pub avatar: Option<String>,
    /// The period that gave `expires_at`, when known.
    pub expiry_period: Option<ExpiryPeriod>,
    pub next_reminder_at: Option<Timestamp>,
    pub last_seen_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

const ROW_COLUMNS: &str = "p.id, p.first_name, p.last_name, p.email, p.mobile,
    COALESCE(inv.first_name || ' ' || inv.last_name, '') AS invited_by, p.invited_at,
    COALESCE(d.name, '') AS department, pr.name AS project, p.permission, p.expires_at, p.avatar,
    p.expiry_period, p.next_reminder_at, p.last_seen_at, p.created_at";

const ROW_JOINS: &str = "LEFT JOIN people inv ON inv.id = p.invited_by
    LEFT JOIN departments d ON d.id = p.sponsor_department_id
    LEFT JOIN projects pr ON pr.id = p.project_id";

/// The SQL expression the list is ordered by under `sort`. NULLs are coalesced so both
/// backends order them the same way (SQLite puts NULLs first, PostgreSQL last).
/// "Without expiration" sorts as the longest time left.
fn sort_key(sort: GuestSort) -> String {
    match sort {
        GuestSort::FirstName => "LOWER(p.first_name)".to_string(),
        GuestSort::LastName => "LOWER(p.last_name)".to_string(),
        GuestSort::UserId => "COALESCE(p.mobile, '')".to_string(),
        // The folded names of the inviter, the sponsor department and the project, kept
        // on the person (migration 0018), so each of these orders reads an index.
        GuestSort::InvitedBy => "p.sort_inviter".to_string(),
        // Guests always have an invitation date; no COALESCE, so the index serves it.
        GuestSort::InvitationDate => "p.invited_at".to_string(),
        GuestSort::Department => "p.sort_department".to_string(),
        GuestSort::Project => "p.sort_project".to_string(),
        GuestSort::Permission => "COALESCE(p.permission, '')".to_string(),
        GuestSort::TimeLeft => format!("COALESCE(p.expires_at, {NEVER})"),
    }
}

/// A row of the Guests list with the value it is sorted by, as the database computed it
/// (a page cursor must carry exactly what the SQL compares: `LOWER` is not Rust's).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListedGuest {
    #[sqlx(flatten)]
    pub row: GuestRow,
    pub sort_text: Option<String>,
    pub sort_int: Option<i64>,
}

/// A listed guest's place in the list's order.
pub fn list_key(g: &ListedGuest) -> Key {
    let value = match (&g.sort_text, g.sort_int) {
        (Some(t), _) => KeyValue::Text(t.clone()),
        (None, n) => KeyValue::Int(n.unwrap_or(0)),
    };
    Key { value, id: g.row.id.0 }
}

/// `limit` guests in scope from the keyset position `pos` (read backwards for a
/// previous page), in the order of `sort` and `dir`.
pub async fn list(pool: &AnyPool, s: ScopeOf, sort: GuestSort, dir: SortDir, pos: &Position, limit: i64) -> DbResult<Vec<ListedGuest>> {
    list_expiring(pool, s, sort, dir, pos, limit, None).await
}

/// [`list`], only guests whose expiry is before `expires_before` (when given).
pub async fn list_expiring(pool: &AnyPool, s: ScopeOf, sort: GuestSort, dir: SortDir, pos: &Position, limit: i64, expires_before: Option<i64>) -> DbResult<Vec<ListedGuest>> {
    let sql = list_statement(sort, dir, pos, expires_before);
    let q = sqlx::query_as(&sql).bind(s.org.0).bind(as_flag(s.whole_org)).bind(s.viewer.0).bind(limit);
    Ok(super::bind_key(q, pos).fetch_all(pool).await?)
}

/// The statement of a Guests-list page: `$1` the organization, `$2` whole organization
/// (1/0), `$3` the viewer, `$4` the page size, then the keyset position's values. Public
/// for the test that checks every order reads an index instead of sorting.
pub fn list_statement(sort: GuestSort, dir: SortDir, pos: &Position, expires_before: Option<i64>) -> String {
    let mut guest_in_scope = guest_in_scope();
    if let Some(t) = expires_before {
        // A number formatted by Rust, not text from the request.
        guest_in_scope += &format!(" AND p.expires_at < {t}");
    }
    let key = sort_key(sort);
    let (after, order) = super::keyset(&key, "p.id", dir == SortDir::Desc, pos, 5);
    let sorted = if sort.numeric_key() {
        format!("CAST(NULL AS TEXT) AS sort_text, {key} AS sort_int")
    } else {
        format!("{key} AS sort_text, CAST(NULL AS BIGINT) AS sort_int")
    };
    format!(
        "SELECT {ROW_COLUMNS}, {sorted} FROM people p {ROW_JOINS} WHERE {guest_in_scope} {after}
         ORDER BY {order} LIMIT $4"
    )
}

/// The "Guests created" counter: live guests in scope, summed from the per-department
/// counts the triggers of `people_counts` keep exact (no scan of the guests).
pub async fn count(pool: &AnyPool, s: ScopeOf) -> DbResult<i64> {
    let managed = managed_depts("$3");
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM people_counts c
         WHERE c.org_id = $1 AND c.kind = 'guest' AND ($2 = 1 OR c.department_id IN ({managed}))"
    );
    Ok(sqlx::query_scalar(&sql).bind(s.org.0).bind(as_flag(s.whole_org)).bind(s.viewer.0).fetch_one(pool).await?)
}

/// Guests in scope with a word starting with each of `prefixes` (already folded), at
/// most `limit`. The most selective prefix drives an ordered scan of the word index
/// (results come in the order of the matching word), which stops as soon as `limit`
/// guests are found, however many match.
pub async fn search(pool: &AnyPool, s: ScopeOf, prefixes: &[String], limit: i64) -> DbResult<Vec<GuestRow>> {
    let guest_in_scope = guest_in_scope();
    if prefixes.is_empty() {
        return Ok(Vec::new());
    }
    let counts = if prefixes.len() == 1 { vec![0] } else { matches_capped(pool, s.org, prefixes, 1000).await? };
    let mut ordered: Vec<(i64, &String)> = counts.into_iter().zip(prefixes).collect();
    ordered.sort_by_key(|(n, _)| *n);
    let first = ordered[0].1;
    let extra = super::more_words(ordered.len() - 1, 7);
    // A person with several matching words appears once: at their first matching word.
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM search_words w JOIN people p ON p.id = w.person_id {ROW_JOINS}
         WHERE w.org_id = $1 AND w.word >= $5 AND w.word < $6
           AND NOT EXISTS (SELECT 1 FROM search_words w0 WHERE w0.person_id = w.person_id AND w0.word >= $5 AND w0.word < w.word)
           AND {guest_in_scope}{extra}
         ORDER BY w.word, w.person_id LIMIT $4"
    );
    let mut q = sqlx::query_as(&sql)
        .bind(s.org.0)
        .bind(as_flag(s.whole_org))
        .bind(s.viewer.0)
        .bind(limit)
        .bind(first.clone())
        .bind(crate::domain::search::upper_bound(first));
    for (_, p) in &ordered[1..] {
        q = q.bind((*p).clone()).bind(crate::domain::search::upper_bound(p));
    }
    Ok(q.fetch_all(pool).await?)
}

/// How many words start with each of `prefixes`, counting no further than `cap`: one
/// statement for all of them.
async fn matches_capped(pool: &AnyPool, org: OrgId, prefixes: &[String], cap: i64) -> DbResult<Vec<i64>> {
    let counts: Vec<String> = (0..prefixes.len())
        .map(|i| {
            let (lo, hi) = (3 + 2 * i, 4 + 2 * i);
            format!("(SELECT COUNT(*) FROM (SELECT 1 FROM search_words WHERE org_id = $1 AND word >= ${lo} AND word < ${hi} LIMIT $2) c{i})")
        })
        .collect();
    let sql = format!("SELECT {}", counts.join(", "));
    let mut q = sqlx::query(&sql).bind(org.0).bind(cap);
    for p in prefixes {
        q = q.bind(p.clone()).bind(crate::domain::search::upper_bound(p));
    }
    let row = q.fetch_one(pool).await?;
    Ok((0..prefixes.len()).map(|i| sqlx::Row::try_get::<i64, _>(&row, i)).collect::<Result<_, _>>()?)
}

/// A guest in scope, by id; `None` for unknown ids, other organizations, members,
/// removed guests and guests outside the viewer's departments alike.
pub async fn get(pool: &AnyPool, s: ScopeOf, id: PersonId) -> DbResult<Option<GuestRow>> {
    let guest_in_scope = guest_in_scope();
    Ok(sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM people p {ROW_JOINS} WHERE {guest_in_scope} AND p.id = $4"
    ))
    .bind(s.org.0)
    .bind(as_flag(s.whole_org))
    .bind(s.viewer.0)
    .bind(id.0)
    .fetch_optional(pool)
    .await?)
}

/// A live guest of the organization whom `inviter` invited, by id (for the inviter's
/// own rights over their guests' expiry).
pub async fn get_invited_by(pool: &AnyPool, org: OrgId, inviter: PersonId, id: PersonId) -> DbResult<Option<GuestRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM people p {ROW_JOINS}
         WHERE p.org_id = $1 AND p.kind = 'guest' AND p.state <> 'removed' AND p.invited_by = $2 AND p.id = $3"
    ))
    .bind(org.0)
    .bind(inviter.0)
    .bind(id.0)
    .fetch_optional(pool)
    .await?)
}

/// The selected ids as they are now, inside the action's transaction (whose lock makes
/// the answer hold until commit).
pub async fn selected(tx: &mut WriteTx, s: ScopeOf, ids: &[PersonId]) -> DbResult<Vec<SelectedPerson>> {
    let person_in_scope = person_in_scope();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // `+p.org_id`: see [`bind_ids`].
    let sql = format!(
        "SELECT p.id, p.kind, p.state, p.first_name || ' ' || p.last_name,
                CASE WHEN {person_in_scope} THEN 1 ELSE 0 END
         FROM people p WHERE +p.org_id = $1 AND p.id IN ({})",
        placeholders(4, ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64, String, String, String, i64)>(&sql)
        .bind(s.org.0)
        .bind(as_flag(s.whole_org))
        .bind(s.viewer.0);
    for id in ids {
        q = q.bind(id.0);
    }
    Ok(q
        .fetch_all(tx.conn())
        .await?
        .into_iter()
        .map(|(id, kind, state, name, in_scope)| SelectedPerson {
            id: PersonId(id),
            kind: PersonKind::from_db(&kind).unwrap_or(PersonKind::Member),
            state: PersonState::from_db(&state).unwrap_or(PersonState::Removed),
            name,
            in_scope: in_scope != 0,
        })
        .collect())
}

/// `q` with the ids of a selection bound after its other parameters.
///
/// The statements over a selection of ids write `+org_id = …` (the same number on both
/// backends): the unary plus keeps SQLite from walking an index of the whole organization
/// (`people_directory`, `people_counter`: a million entries) and filtering it by the ids,
/// so it looks each id up by its key instead (an expiry change of 500 guests at a
/// million: 409 → 77 ms median, BENCHMARKS.md).
fn bind_ids<'q>(q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>, ids: &[PersonId]) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    ids.iter().fold(q, |q, id| q.bind(id.0))
}

/// Turns the guests of `ids` into members: into `into` or else each one's sponsor
/// department, in the All group, their project kept with edit permission, expiry
/// cleared, and the Guests list's department and project sort keys with them (the
/// trigger that keeps those keys runs for guests only, migration 0020). One statement
/// per table for the whole selection. The caller has checked eligibility and the
/// department.
pub async fn incorporate(tx: &mut WriteTx, org: OrgId, ids: &[PersonId], into: Option<DeptId>, actor: PersonId, now: i64) -> DbResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    // Logged first, while they are still guests: each entry's scope is the guest's
    // sponsor department, so its admins keep seeing it in the report afterwards.
    activity::record_for_people(tx, ids, now, Some(actor), Action::Incorporated, "").await?;
    let sql = format!(
        "INSERT INTO project_members (project_id, person_id, permission)
         SELECT project_id, id, 'edit' FROM people WHERE +org_id = $1 AND id IN ({}) AND project_id IS NOT NULL
         ON CONFLICT DO NOTHING",
        placeholders(2, ids.len())
    );
    let q = sqlx::query(&sql).bind(org.0);
    bind_ids(q, ids).execute(tx.conn()).await?;
    let sql = format!(
        "UPDATE people SET kind = 'member', department_id = COALESCE(CAST($2 AS BIGINT), sponsor_department_id),
                sponsor_department_id = NULL, project_id = NULL, permission = NULL, expires_at = NULL,
                expiry_period = NULL, next_reminder_at = NULL, sort_department = '', sort_project = ''
         WHERE +org_id = $1 AND kind = 'guest' AND id IN ({})",
        placeholders(3, ids.len())
    );
    let q = sqlx::query(&sql).bind(org.0).bind(into.map(|d| d.0));
    bind_ids(q, ids).execute(tx.conn()).await?;
    let sql = format!(
        "INSERT INTO group_members (group_id, person_id)
         SELECT g.id, p.id FROM org_groups g JOIN people p ON +p.org_id = g.org_id
         WHERE g.org_id = $1 AND g.is_all = 1 AND p.id IN ({})
         ON CONFLICT DO NOTHING",
        placeholders(2, ids.len())
    );
    let q = sqlx::query(&sql).bind(org.0);
    bind_ids(q, ids).execute(tx.conn()).await?;
    Ok(())
}

/// Removes the guests of `ids` from the organization: the records stay (the log keeps
/// the names), their sessions end, they leave search. One statement per table for the
/// whole selection. The caller has checked eligibility.
pub async fn delete(tx: &mut WriteTx, org: OrgId, ids: &[PersonId], actor: Option<PersonId>, now: i64, action: Action) -> DbResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE people SET state = 'removed', removed_at = $1, session_epoch = session_epoch + 1
         WHERE +org_id = $2 AND id IN ({})",
        placeholders(3, ids.len())
    );
    let q = sqlx::query(&sql).bind(now).bind(org.0);
    bind_ids(q, ids).execute(tx.conn()).await?;
    let sql = format!("DELETE FROM search_words WHERE person_id IN ({})", placeholders(1, ids.len()));
    let q = sqlx::query(&sql);
    bind_ids(q, ids).execute(tx.conn()).await?;
    activity::record_for_people(tx, ids, now, actor, action, "").await
}

/// Renames a guest and refreshes their search words.
pub async fn rename(tx: &mut WriteTx, org: OrgId, id: PersonId, first: &str, last: &str, actor: PersonId, now: i64) -> DbResult<()> {
    sqlx::query("UPDATE people SET first_name = $1, last_name = $2 WHERE id = $3 AND org_id = $4")
        .bind(first)
        .bind(last)
        .bind(id.0)
        .bind(org.0)
        .execute(tx.conn())
        .await?;
    super::people::set_search_text(tx, id).await?;
    activity::record(tx, Entry { org, at: now, actor: Some(actor), subject: Some(id), action: Action::GuestEdited, details: "name", target: None, scope: None }).await
}

pub async fn set_avatar(tx: &mut WriteTx, org: OrgId, id: PersonId, content_type: &str, bytes: &[u8], actor: PersonId, now: i64) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO avatars (person_id, content_type, bytes, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (person_id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes, updated_at = excluded.updated_at",
    )
    .bind(id.0)
    .bind(content_type)
    .bind(bytes.to_vec())
    .bind(now)
    .execute(tx.conn())
    .await?;
    sqlx::query("UPDATE people SET avatar = $1 WHERE id = $2").bind(now.to_string()).bind(id.0).execute(tx.conn()).await?;
    activity::record(tx, Entry { org, at: now, actor: Some(actor), subject: Some(id), action: Action::GuestEdited, details: "avatar", target: None, scope: None }).await
}

/// A person's avatar (content type, bytes) if the viewer may see that person.
pub async fn avatar(pool: &AnyPool, s: ScopeOf, id: PersonId) -> DbResult<Option<(String, Vec<u8>)>> {
    let person_in_scope = person_in_scope();
    Ok(sqlx::query_as(&format!(
        "SELECT a.content_type, a.bytes FROM avatars a JOIN people p ON p.id = a.person_id
         WHERE p.id = $4 AND p.org_id = $1 AND p.state <> 'removed' AND (p.id = $3 OR {person_in_scope})"
    ))
    .bind(s.org.0)
    .bind(as_flag(s.whole_org))
    .bind(s.viewer.0)
    .bind(id.0)
    .fetch_optional(pool)
    .await?)
}

/// Sets the expiry of the live guests of `ids` to `expires_at` (`None`: without
/// expiration), given by `period` at `now`, and schedules each one's first reminder from
/// now; logged with `details`. One statement for the change and one for the log.
#[allow(clippy::too_many_arguments)]
pub async fn set_expiry(
    tx: &mut WriteTx,
    org: OrgId,
    ids: &[PersonId],
    period: ExpiryPeriod,
    expires_at: Option<i64>,
    details: &str,
    actor: PersonId,
    now: i64,
) -> DbResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let next = expires_at.and_then(|e| first_reminder(now, e));
    let key = expires_at.map(|_| period.key());
    let sql = format!(
        "UPDATE people SET expires_at = $1, expiry_period = $2, next_reminder_at = $3
         WHERE +org_id = $4 AND kind = 'guest' AND state <> 'removed' AND id IN ({})",
        placeholders(5, ids.len())
    );
    let q = sqlx::query(&sql).bind(expires_at).bind(key).bind(next).bind(org.0);
    bind_ids(q, ids).execute(tx.conn()).await?;
    activity::record_for_people(tx, ids, now, Some(actor), Action::ExpiryChanged, details).await
}

/// "Let expire": the guest keeps their date and no further reminder is sent.
pub async fn let_expire(tx: &mut WriteTx, org: OrgId, id: PersonId, actor: PersonId, now: i64) -> DbResult<bool> {
    activity::change_logged(
        tx,
        sqlx::query("UPDATE people SET next_reminder_at = NULL WHERE id = $1 AND org_id = $2 AND kind = 'guest' AND state <> 'removed'")
        .bind(id.0)
        .bind(org.0),
        Entry { org, at: now, actor: Some(actor), subject: Some(id), action: Action::LetExpire, details: "no further reminders", target: None, scope: None },
    )
    .await
}

/// Who invited a live guest of the organization (for the inviter's right to set expiry).
pub async fn inviter_of(tx: &mut WriteTx, org: OrgId, id: PersonId) -> DbResult<Option<PersonId>> {
    let v: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT invited_by FROM people WHERE id = $1 AND org_id = $2 AND kind = 'guest' AND state <> 'removed'",
    )
    .bind(id.0)
    .bind(org.0)
    .fetch_optional(tx.conn())
    .await?;
    Ok(v.flatten().map(PersonId))
}

/// Up to `limit` guests whose time is up at `now`, oldest expiry first: (id, org).
pub async fn due(pool: &AnyPool, now: i64, limit: i64) -> DbResult<Vec<(PersonId, OrgId)>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, org_id FROM people WHERE kind = 'guest' AND state <> 'removed' AND expires_at <= $1
         ORDER BY expires_at, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(p, o)| (PersonId(p), OrgId(o))).collect())
}

/// Removes the guests of `ids` whose time is still up at `now`, returning those this
/// call removed: one conditional `UPDATE … RETURNING`, so of several sweepers racing for
/// the same guests each guest is removed (and logged) by exactly one — PostgreSQL
/// re-checks the WHERE after the row lock, SQLite's writers are serialized. Their search
/// words go and each removal is logged, with one statement each for the whole batch.
pub async fn sweep(tx: &mut WriteTx, ids: &[PersonId], now: i64) -> DbResult<Vec<(PersonId, OrgId)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "UPDATE people SET state = 'removed', removed_at = $1, session_epoch = session_epoch + 1
         WHERE id IN ({}) AND kind = 'guest' AND state <> 'removed' AND expires_at <= $1
         RETURNING id, org_id",
        placeholders(2, ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64, i64)>(&sql).bind(now);
    for id in ids {
        q = q.bind(id.0);
    }
    let mut removed: Vec<(PersonId, OrgId)> = q.fetch_all(tx.conn()).await?.into_iter().map(|(p, o)| (PersonId(p), OrgId(o))).collect();
    if removed.is_empty() {
        return Ok(removed);
    }
    removed.sort_by_key(|(p, _)| p.0);
    let people: Vec<PersonId> = removed.iter().map(|(p, _)| *p).collect();
    let sql = format!("DELETE FROM search_words WHERE person_id IN ({})", placeholders(1, people.len()));
    bind_ids(sqlx::query(&sql), &people).execute(tx.conn()).await?;
    activity::record_for_people(tx, &people, now, None, Action::ExpiredRemoval, "automatic").await?;
    Ok(removed)
}
