//! The directory as a person sees it (F-CONTACTS, F-VISIBILITY): live people (active,
//! not expired), departments with their members, groups. Every query here applies the
//! one visibility rule in SQL: a guest is listed to nobody but members, and never in a
//! department's or a group's member list.

use super::{as_flag, flag, DbFlag, DbResult};
use crate::domain::paging::{Key, KeyValue, Position};
use crate::domain::{DeptId, GroupId, OrgId, PersonId, PersonKind};
use sqlx::AnyPool;

/// The directory's order: last name, then first name, case-folded (the expression of
/// the `people_directory` index).
pub const NAME_KEY: &str = "LOWER(p.last_name || ' ' || p.first_name)";

/// A live person: active and, for a guest, not past their expiry at `$2`.
const LIVE: &str = "p.state = 'active' AND (p.expires_at IS NULL OR p.expires_at > $2)";

/// A live member: members never have an expiry (only guests do; incorporation clears
/// it), so an active member is live, and the counts of members are answered from the
/// people indexes alone, without reading each row for its expiry.
const LIVE_MEMBER: &str = "p.kind = 'member' AND p.state = 'active'";

/// One person in a directory list.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ContactRow {
    pub id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub kind: PersonKind,
    /// The department's name ("Guests" for a guest).
    pub department: String,
    pub department_id: DeptId,
    pub avatar: Option<String>,
    pub sort_text: String,
}

pub fn contact_key(r: &ContactRow) -> Key {
    Key { value: KeyValue::Text(r.sort_text.clone()), id: r.id.0 }
}

const CONTACT_COLUMNS: &str = "p.id, p.first_name, p.last_name, p.kind, COALESCE(d.name, '') AS department, p.department_id, p.avatar";

/// Who a list is for: the viewer (never listed to themself) and whether they may see
/// guests (a guest may not).
#[derive(Clone, Copy, Debug)]
pub struct Seer {
    pub org: OrgId,
    pub person: PersonId,
    pub sees_guests: bool,
}

/// One page of the people the seer may see, by name.
pub async fn people(pool: &AnyPool, s: Seer, now: i64, pos: &Position, limit: i64) -> DbResult<Vec<ContactRow>> {
    let (after, order) = super::keyset(NAME_KEY, "p.id", false, pos, 6);
    let sql = format!(
        "SELECT {CONTACT_COLUMNS}, {NAME_KEY} AS sort_text
         FROM people p LEFT JOIN departments d ON d.id = p.department_id
         WHERE p.org_id = $1 AND {LIVE} AND p.id <> $3 AND ($4 = 1 OR p.kind = 'member') {after}
         ORDER BY {order} LIMIT $5"
    );
    let q = sqlx::query_as(&sql).bind(s.org.0).bind(now).bind(s.person.0).bind(as_flag(s.sees_guests)).bind(limit);
    Ok(super::bind_key(q, pos).fetch_all(pool).await?)
}

/// People the seer may see with a word starting with each of `prefixes`, at most
/// `limit`, in the order of the matching word (as the Guests list's search).
///
/// With `scoped`, only the people in the seer's admin scope as a Department Admin
/// (members by department, guests by sponsor, the departments they manage and below).
pub async fn search(pool: &AnyPool, s: Seer, now: i64, prefixes: &[String], limit: i64, scoped: bool) -> DbResult<Vec<ContactRow>> {
    let Some((first, rest)) = prefixes.split_first() else { return Ok(Vec::new()) };
    let managed = super::people::managed_depts("$3");
    let extra = super::more_words(rest.len(), 9);
    let sql = format!(
        "SELECT {CONTACT_COLUMNS}, {NAME_KEY} AS sort_text
         FROM search_words w JOIN people p ON p.id = w.person_id LEFT JOIN departments d ON d.id = p.department_id
         WHERE w.org_id = $1 AND w.word >= $6 AND w.word < $7
           AND NOT EXISTS (SELECT 1 FROM search_words x WHERE x.person_id = w.person_id AND x.word >= $6 AND x.word < w.word)
           AND p.org_id = $1 AND {LIVE} AND p.id <> $3 AND ($4 = 1 OR p.kind = 'member')
           AND ($8 = 0 OR (CASE WHEN p.kind = 'guest' THEN p.sponsor_department_id ELSE p.department_id END) IN ({managed})){extra}
         ORDER BY w.word, w.person_id LIMIT $5"
    );
    let mut q = sqlx::query_as(&sql)
        .bind(s.org.0)
        .bind(now)
        .bind(s.person.0)
        .bind(as_flag(s.sees_guests))
        .bind(limit)
        .bind(first.clone())
        .bind(crate::domain::search::upper_bound(first))
        .bind(as_flag(scoped));
    for p in rest {
        q = q.bind(p.clone()).bind(crate::domain::search::upper_bound(p));
    }
    if rest.is_empty() {
        return Ok(q.fetch_all(pool).await?);
    }
    // Several words: how selective each is decides the plan. PostgreSQL's generic plan
    // for them took 68–78 ms on "member 42" at 110,000 people, the plan for the values
    // 7 ms (BENCHMARKS.md), so this read is planned for its own values.
    let mut tx = super::begin_custom_planned(pool).await?;
    let rows = q.fetch_all(&mut *tx).await?;
    tx.commit().await?;
    Ok(rows)
}

/// A person of `org` for a contact card, whatever their state (the policy says why a
/// removed one cannot be reached); the caller applies visibility.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CardRow {
    pub id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub kind: PersonKind,
    pub department: String,
    pub department_id: DeptId,
    pub avatar: Option<String>,
    pub state: crate::domain::PersonState,
    pub expires_at: Option<i64>,
}

/// A person of the organization with their standing (through a pool, or a transaction's
/// connection so that what is read holds for what it then writes).
pub async fn card<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(ex: E, org: OrgId, id: PersonId) -> DbResult<Option<CardRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {CONTACT_COLUMNS}, p.state, p.expires_at
         FROM people p LEFT JOIN departments d ON d.id = p.department_id WHERE p.id = $1 AND p.org_id = $2"
    ))
    .bind(id.0)
    .bind(org.0)
    .fetch_optional(ex)
    .await?)
}

/// A department of the directory with its live members counted (never guests).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DepartmentRow {
    pub id: DeptId,
    pub parent_id: Option<DeptId>,
    pub name: String,
    pub members: i64,
}

/// The organization's departments (not the Guests department), each with its live
/// members counted, by name.
pub async fn departments(pool: &AnyPool, org: OrgId, now: i64) -> DbResult<Vec<DepartmentRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT d.id, d.parent_id, d.name,
                (SELECT COUNT(*) FROM people p WHERE p.department_id = d.id AND {LIVE_MEMBER}) AS members
         FROM departments d WHERE d.org_id = $1 AND d.is_guests = 0 AND d.removed_at IS NULL ORDER BY LOWER(d.name), d.id"
    ))
    .bind(org.0)
    .bind(now)
    .fetch_all(pool)
    .await?)
}

/// One page of a department's live members, by name; `None` when the department is
/// not an ordinary department of `org`.
pub async fn department_members(pool: &AnyPool, org: OrgId, dept: DeptId, now: i64, pos: &Position, limit: i64) -> DbResult<Option<Vec<ContactRow>>> {
    let ordinary: Option<i64> = sqlx::query_scalar("SELECT id FROM departments WHERE id = $1 AND org_id = $2 AND is_guests = 0 AND removed_at IS NULL")
        .bind(dept.0)
        .bind(org.0)
        .fetch_optional(pool)
        .await?;
    if ordinary.is_none() {
        return Ok(None);
    }
    let (after, order) = super::keyset(NAME_KEY, "p.id", false, pos, 5);
    let sql = format!(
        "SELECT {CONTACT_COLUMNS}, {NAME_KEY} AS sort_text
         FROM people p JOIN departments d ON d.id = p.department_id
         WHERE p.department_id = $3 AND p.org_id = $1 AND {LIVE_MEMBER} {after}
         ORDER BY {order} LIMIT $4"
    );
    let q = sqlx::query_as(&sql).bind(org.0).bind(now).bind(dept.0).bind(limit);
    Ok(Some(super::bind_key(q, pos).fetch_all(pool).await?))
}

/// A group as the directory shows it: All, or one the person belongs to.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct GroupRow {
    pub id: GroupId,
    pub name: String,
    #[sqlx(try_from = "DbFlag")]
    pub is_all: bool,
    pub members: i64,
}

/// Live members of a group, by the group's kind: All holds every live member of the
/// organization (never a guest), any other group its listed members who are live
/// members (a guest is never in a group).
pub(crate) fn group_member_filter() -> String {
    format!(
        "p.org_id = $1 AND {LIVE_MEMBER}
         AND (g.is_all = 1 OR EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id AND m.person_id = p.id))"
    )
}

/// The groups `person` belongs to, and All when `with_all`, each with its live members
/// counted; All first, then by name.
pub async fn groups_of(pool: &AnyPool, org: OrgId, person: PersonId, with_all: bool, now: i64) -> DbResult<Vec<GroupRow>> {
    let members = group_member_filter();
    Ok(sqlx::query_as(&format!(
        "SELECT g.id, g.name, g.is_all, (SELECT COUNT(*) FROM people p WHERE {members}) AS members
         FROM org_groups g
         WHERE g.org_id = $1 AND g.removed_at IS NULL AND ((g.is_all = 1 AND $4 = 1)
               OR (g.is_all = 0 AND EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id AND m.person_id = $3)))
         ORDER BY g.is_all DESC, LOWER(g.name), g.id"
    ))
    .bind(org.0)
    .bind(now)
    .bind(person.0)
    .bind(as_flag(with_all))
    .fetch_all(pool)
    .await?)
}

/// One page of a group's live members, by name; `None` when `group` is not a group of
/// `org`. Whether the seer may open it is the caller's rule.
pub async fn group_members(pool: &AnyPool, org: OrgId, group: GroupId, now: i64, pos: &Position, limit: i64) -> DbResult<Option<(bool, Vec<ContactRow>)>> {
    let found: Option<i64> = sqlx::query_scalar("SELECT is_all FROM org_groups WHERE id = $1 AND org_id = $2 AND removed_at IS NULL")
        .bind(group.0)
        .bind(org.0)
        .fetch_optional(pool)
        .await?;
    let Some(is_all) = found else { return Ok(None) };
    let members = group_member_filter();
    let (after, order) = super::keyset(NAME_KEY, "p.id", false, pos, 5);
    let sql = format!(
        "SELECT {CONTACT_COLUMNS}, {NAME_KEY} AS sort_text
         FROM people p JOIN org_groups g ON g.id = $3 LEFT JOIN departments d ON d.id = p.department_id
         WHERE {members} {after}
         ORDER BY {order} LIMIT $4"
    );
    let q = sqlx::query_as(&sql).bind(org.0).bind(now).bind(group.0).bind(limit);
    Ok(Some((flag(is_all), super::bind_key(q, pos).fetch_all(pool).await?)))
}

/// Whether `person` is listed in `group`.
pub async fn in_group(pool: &AnyPool, group: GroupId, person: PersonId) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM group_members WHERE group_id = $1 AND person_id = $2")
        .bind(group.0)
        .bind(person.0)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}

/// A live person's avatar, when the seer may see them (themself included).
pub async fn avatar(pool: &AnyPool, s: Seer, now: i64, id: PersonId) -> DbResult<Option<(String, Vec<u8>)>> {
    Ok(sqlx::query_as(&format!(
        "SELECT a.content_type, a.bytes FROM avatars a JOIN people p ON p.id = a.person_id
         WHERE p.id = $5 AND p.org_id = $1 AND {LIVE} AND (p.id = $3 OR $4 = 1 OR p.kind = 'member')"
    ))
    .bind(s.org.0)
    .bind(now)
    .bind(s.person.0)
    .bind(as_flag(s.sees_guests))
    .bind(id.0)
    .fetch_optional(pool)
    .await?)
}

/// Where a person sits, for an admin's scope: (kind, department, sponsor department).
pub async fn placement(pool: &AnyPool, org: OrgId, id: PersonId) -> DbResult<Option<(PersonKind, DeptId, Option<DeptId>)>> {
    Ok(sqlx::query_as("SELECT kind, department_id, sponsor_department_id FROM people WHERE id = $1 AND org_id = $2")
        .bind(id.0)
        .bind(org.0)
        .fetch_optional(pool)
        .await?)
}

/// Whether `actor` logged a View as of `target` since `since` (so a page of View as
/// is logged once, not on every click).
pub async fn viewed_as_since(conn: &mut sqlx::AnyConnection, org: OrgId, actor: PersonId, target: PersonId, since: i64) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM activity WHERE org_id = $1 AND actor_id = $2 AND subject_id = $3 AND action = 'viewed_as' AND at >= $4",
    )
    .bind(org.0)
    .bind(actor.0)
    .bind(target.0)
    .bind(since)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Whether `person` of `org` is within Department Admin `admin`'s scope: a member by
/// department, a guest by sponsor, in the departments they manage or below.
pub async fn in_scope_of(pool: &AnyPool, org: OrgId, admin: PersonId, person: PersonId) -> DbResult<bool> {
    let managed = super::people::managed_depts("$1");
    let n: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM people p WHERE p.id = $2 AND p.org_id = $3
           AND (CASE WHEN p.kind = 'guest' THEN p.sponsor_department_id ELSE p.department_id END) IN ({managed})"
    ))
    .bind(admin.0)
    .bind(person.0)
    .bind(org.0)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}
