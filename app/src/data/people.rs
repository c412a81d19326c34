//! People: members and guests. Reads apply the viewer's scope in SQL: a Company Admin
//! reaches the whole organization, a Department Admin the people of the departments they
//! manage and every sub-department (members by department, guests by sponsor
//! department), through the `department_closure` table.

use super::{as_flag, flag, orgs, DbFlag, DbResult, WriteTx};
use crate::domain::{PersonState, 
    DeptId, OrgId, Permission, PersonId, PersonKind, ProjectId, Viewer,
};
use crate::domain::expiry::{first_reminder, ExpiryPeriod};
use sqlx::AnyPool;

/// Who is looking, as the queries need it.
#[derive(Clone, Copy, Debug)]
pub struct ScopeOf {
    pub org: OrgId,
    pub viewer: PersonId,
    /// Company Admin: no department filter.
    pub whole_org: bool,
}

impl ScopeOf {
    pub fn of(v: &Viewer) -> ScopeOf {
        ScopeOf { org: v.org_id, viewer: v.id, whole_org: v.is_company_admin }
    }
}

/// The departments a Department Admin reaches, the person being the placeholder
/// `person` (e.g. `"$3"`): the departments they manage and every sub-department. The one
/// place the scope's SQL is written: every scoped query embeds it.
pub(crate) fn managed_depts(person: &str) -> String {
    format!(
        "SELECT c.descendant_id FROM department_admins a
         JOIN department_closure c ON c.ancestor_id = a.department_id WHERE a.person_id = {person}"
    )
}

/// Whether `dept` is within the departments `person` manages (with sub-departments).
pub async fn manages(conn: &mut sqlx::AnyConnection, person: PersonId, dept: DeptId) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM departments d WHERE d.id = $2 AND d.id IN ({})", managed_depts("$1")))
        .bind(person.0)
        .bind(dept.0)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

pub struct NewMember<'a> {
    pub org: OrgId,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub mobile: Option<&'a str>,
    pub department: DeptId,
    pub is_company_admin: bool,
    pub authorized_to_invite: bool,
    pub password_hash: Option<&'a str>,
    pub now: i64,
}

/// Inserts a member and puts them in the organization's All group.
pub async fn insert_member(tx: &mut WriteTx, m: NewMember<'_>) -> DbResult<PersonId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO people (org_id, email, first_name, last_name, mobile, kind, department_id, state,
                             is_company_admin, authorized_to_invite, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, 'member', $6, 'active', $7, $8, $9, $10) RETURNING id",
    )
    .bind(m.org.0)
    .bind(m.email)
    .bind(m.first_name)
    .bind(m.last_name)
    .bind(m.mobile)
    .bind(m.department.0)
    .bind(as_flag(m.is_company_admin))
    .bind(as_flag(m.authorized_to_invite))
    .bind(m.password_hash)
    .bind(m.now)
    .fetch_one(tx.conn())
    .await?;
    set_search_text(tx, PersonId(id)).await?;
    sqlx::query(
        "INSERT INTO group_members (group_id, person_id)
         SELECT id, $2 FROM org_groups WHERE org_id = $1 AND is_all = 1",
    )
    .bind(m.org.0)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(PersonId(id))
}

pub struct NewGuest<'a> {
    pub org: OrgId,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub mobile: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub invited_by: PersonId,
    pub invited_at: i64,
    pub sponsor_department: DeptId,
    pub project: Option<ProjectId>,
    pub permission: Permission,
    pub expires_at: Option<i64>,
    /// The period that gave `expires_at`, when one did (for "Extend" in reminders).
    pub expiry_period: Option<ExpiryPeriod>,
    /// When the expiry was set: reminders are scheduled from it.
    pub expiry_set_at: i64,
    pub now: i64,
}

/// Inserts a guest into the organization's Guests department, with the first expiry
/// reminder scheduled if their expiry is far enough ahead.
pub async fn insert_guest(tx: &mut WriteTx, g: NewGuest<'_>) -> DbResult<PersonId> {
    let guests_dept = orgs::guests_department(tx.conn(), g.org).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO people (org_id, email, first_name, last_name, mobile, kind, department_id, state,
                             password_hash, created_at, invited_by, invited_at, sponsor_department_id,
                             project_id, permission, expires_at, expiry_period, next_reminder_at)
         VALUES ($1, $2, $3, $4, $5, 'guest', $6, 'active', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
    )
    .bind(g.org.0)
    .bind(g.email)
    .bind(g.first_name)
    .bind(g.last_name)
    .bind(g.mobile)
    .bind(guests_dept.0)
    .bind(g.password_hash)
    .bind(g.now)
    .bind(g.invited_by.0)
    .bind(g.invited_at)
    .bind(g.sponsor_department.0)
    .bind(g.project.map(|p| p.0))
    .bind(g.permission.as_db())
    .bind(g.expires_at)
    .bind(g.expires_at.and(g.expiry_period).map(|p| p.key()))
    .bind(g.expires_at.and_then(|e| first_reminder(g.expiry_set_at, e)))
    .fetch_one(tx.conn())
    .await?;
    set_search_text(tx, PersonId(id)).await?;
    Ok(PersonId(id))
}

/// Refreshes a person's search words from the row itself (names, email, mobile or id):
/// the `search_text` column and the `search_words` rows the prefix search reads.
pub(crate) async fn set_search_text(tx: &mut WriteTx, id: PersonId) -> DbResult<()> {
    let (org, first, last, email, mobile): (i64, String, String, String, Option<String>) =
        sqlx::query_as("SELECT org_id, first_name, last_name, email, mobile FROM people WHERE id = $1")
            .bind(id.0)
            .fetch_one(tx.conn())
            .await?;
    let uid = crate::domain::user_id_label(mobile.as_deref(), id.0);
    let words = crate::domain::search::person_words(&first, &last, &email, &uid);
    sqlx::query("UPDATE people SET search_text = $1 WHERE id = $2")
        .bind(words.join(" "))
        .bind(id.0)
        .execute(tx.conn())
        .await?;
    sqlx::query("DELETE FROM search_words WHERE person_id = $1").bind(id.0).execute(tx.conn()).await?;
    for w in &words {
        sqlx::query("INSERT INTO search_words (org_id, word, person_id) VALUES ($1, $2, $3)")
            .bind(org)
            .bind(w)
            .bind(id.0)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

pub async fn add_department_admin(tx: &mut WriteTx, person: PersonId, dept: DeptId) -> DbResult<()> {
    sqlx::query("INSERT INTO department_admins (person_id, department_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(person.0)
        .bind(dept.0)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn add_project_member(
    tx: &mut WriteTx,
    project: ProjectId,
    person: PersonId,
    permission: Permission,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO project_members (project_id, person_id, permission) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(project.0)
    .bind(person.0)
    .bind(permission.as_db())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A live person who might be signing in with `email`, in any organization.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub id: PersonId,
    pub password_hash: Option<String>,
}

/// Active people with this email whose time has not run out, in any organization.
pub async fn sign_in_candidates(pool: &AnyPool, email: &str, now: i64) -> DbResult<Vec<Credentials>> {
    let rows: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT id, password_hash FROM people
         WHERE email = $1 AND state = 'active' AND (expires_at IS NULL OR expires_at > $2)
         ORDER BY id",
    )
    .bind(email)
    .bind(now)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, h)| Credentials { id: PersonId(id), password_hash: h }).collect())
}

/// The signed-in person, if they may still be signed in: active and not expired.
/// Returns the viewer and the session epoch that their sessions must carry.
pub async fn load_viewer(pool: &AnyPool, id: PersonId, now: i64) -> DbResult<Option<(Viewer, i64)>> {
    #[allow(clippy::type_complexity)]
    let row: Option<(i64, i64, String, String, String, String, String, i64, i64, Option<i64>, i64)> =
        sqlx::query_as(
            "SELECT p.id, p.org_id, o.name, p.first_name, p.last_name, p.email, p.kind,
                    p.is_company_admin, p.authorized_to_invite, p.project_id, p.session_epoch
             FROM people p JOIN organizations o ON o.id = p.org_id
             WHERE p.id = $1 AND p.state = 'active' AND (p.expires_at IS NULL OR p.expires_at > $2)",
        )
        .bind(id.0)
        .bind(now)
        .fetch_optional(pool)
        .await?;
    let Some((id, org, org_name, first, last, email, kind, admin, auth, project, epoch)) = row else {
        return Ok(None);
    };
    let kind = PersonKind::from_db(&kind).unwrap_or(PersonKind::Guest);
    let managed: Vec<i64> = if kind == PersonKind::Member {
        sqlx::query_scalar("SELECT department_id FROM department_admins WHERE person_id = $1 ORDER BY department_id")
            .bind(id)
            .fetch_all(pool)
            .await?
    } else {
        Vec::new()
    };
    Ok(Some((
        Viewer {
            id: PersonId(id),
            org_id: OrgId(org),
            org_name,
            first_name: first,
            last_name: last,
            email,
            kind,
            is_company_admin: kind == PersonKind::Member && flag(admin),
            managed_departments: managed.into_iter().map(DeptId).collect(),
            authorized_to_invite: flag(auth),
            project_id: project.map(ProjectId),
        },
        epoch,
    )))
}

/// Counts of live (not removed) members and guests within the viewer's scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    pub members: i64,
    pub guests: i64,
}

pub async fn counts(pool: &AnyPool, s: ScopeOf) -> DbResult<Counts> {
    let managed = managed_depts("$3");
    let sql = format!(
        "SELECT
           CAST(COALESCE(SUM(CASE WHEN c.kind = 'member' THEN c.n ELSE 0 END), 0) AS BIGINT),
           CAST(COALESCE(SUM(CASE WHEN c.kind = 'guest' THEN c.n ELSE 0 END), 0) AS BIGINT)
         FROM people_counts c WHERE c.org_id = $1 AND ($2 = 1 OR c.department_id IN ({managed}))"
    );
    let (members, guests): (i64, i64) = sqlx::query_as(&sql)
        .bind(s.org.0)
        .bind(as_flag(s.whole_org))
        .bind(s.viewer.0)
        .fetch_one(pool)
        .await?;
    Ok(Counts { members, guests })
}

/// One row of the Users page.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonListRow {
    pub id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub mobile: Option<String>,
    pub kind: PersonKind,
    pub state: PersonState,
    pub department: String,
    #[sqlx(try_from = "DbFlag")]
    pub is_company_admin: bool,
    #[sqlx(try_from = "DbFlag")]
    pub is_department_admin: bool,
}

/// A row of the Users page with its place in the list's order.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ListedPerson {
    #[sqlx(flatten)]
    pub row: PersonListRow,
    pub sort_name: String,
}

/// The Users page's order: last name, then first name, folded, then id (the index
/// `people_directory` and, members only, `people_live_member_names`).
const USERS_ORDER: &str = "LOWER(p.last_name || ' ' || p.first_name)";

/// A listed person's place in the Users page's order.
pub fn listed_key(p: &ListedPerson) -> crate::domain::paging::Key {
    crate::domain::paging::Key { value: crate::domain::paging::KeyValue::Text(p.sort_name.clone()), id: p.row.id.0 }
}

/// `limit` live members (and guests, if asked) within the viewer's scope from the keyset
/// position `pos`, by name. The count beside it is [`counts`] (kept, not scanned).
pub async fn list_people(
    pool: &AnyPool,
    s: ScopeOf,
    include_guests: bool,
    pos: &crate::domain::paging::Position,
    limit: i64,
) -> DbResult<Vec<ListedPerson>> {
    let managed = managed_depts("$3");
    let filter = if include_guests {
        format!(
            "p.org_id = $1 AND p.state <> 'removed' AND (
               (p.kind = 'member' AND ($2 = 1 OR p.department_id IN ({managed})))
               OR (p.kind = 'guest' AND ($2 = 1 OR p.sponsor_department_id IN ({managed}))))"
        )
    } else {
        format!("p.org_id = $1 AND p.kind = 'member' AND p.state <> 'removed' AND ($2 = 1 OR p.department_id IN ({managed}))")
    };
    let (after, order) = super::keyset(USERS_ORDER, "p.id", false, pos, 5);
    let sql = format!(
        "SELECT p.id, p.first_name, p.last_name, p.email, p.mobile, p.kind, p.state,
                d.name AS department, p.is_company_admin,
                CASE WHEN EXISTS (SELECT 1 FROM department_admins a WHERE a.person_id = p.id) THEN 1 ELSE 0 END AS is_department_admin,
                {USERS_ORDER} AS sort_name
         FROM people p JOIN departments d ON d.id = COALESCE(p.sponsor_department_id, p.department_id)
         WHERE {filter} {after}
         ORDER BY {order} LIMIT $4"
    );
    let q = sqlx::query_as(&sql).bind(s.org.0).bind(as_flag(s.whole_org)).bind(s.viewer.0).bind(limit);
    Ok(super::bind_key(q, pos).fetch_all(pool).await?)
}

/// Marks a person removed (or disabled) and ends all their sessions at once by moving
/// their session epoch. A removed person's email becomes free again.
pub async fn set_state(
    tx: &mut WriteTx,
    org: OrgId,
    id: PersonId,
    state: crate::domain::PersonState,
    now: i64,
) -> DbResult<bool> {
    let removed_at = (state == crate::domain::PersonState::Removed).then_some(now);
    let n = sqlx::query(
        "UPDATE people SET state = $1, removed_at = $2, session_epoch = session_epoch + 1
         WHERE id = $3 AND org_id = $4 AND state <> 'removed'",
    )
    .bind(state.as_db())
    .bind(removed_at)
    .bind(id.0)
    .bind(org.0)
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The live person of the organization with this email.
pub async fn live_by_email(pool: &AnyPool, org: OrgId, email: &str) -> DbResult<Option<PersonId>> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE org_id = $1 AND email = $2 AND state <> 'removed'")
        .bind(org.0)
        .bind(email)
        .fetch_optional(pool)
        .await?;
    Ok(id.map(PersonId))
}

/// Whether an email is in use by a live person of the organization.
pub async fn email_in_use(pool: &AnyPool, org: OrgId, email: &str) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE org_id = $1 AND email = $2 AND state <> 'removed'")
        .bind(org.0)
        .bind(email)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}

/// The first department (by id) of an organization, for tools that need one.
pub async fn any_department(pool: &AnyPool, org: OrgId) -> DbResult<Option<DeptId>> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM departments WHERE org_id = $1 AND is_guests = 0 AND removed_at IS NULL ORDER BY id LIMIT 1",
    )
    .bind(org.0)
    .fetch_optional(pool)
    .await?;
    Ok(id.map(DeptId))
}

/// Whether an email is in use by a live person of the organization, inside a write.
pub async fn email_in_use_tx(tx: &mut WriteTx, org: OrgId, email: &str) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE org_id = $1 AND email = $2 AND state <> 'removed'")
        .bind(org.0)
        .bind(email)
        .fetch_one(tx.conn())
        .await?;
    Ok(n > 0)
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MemberChoiceRow {
    pub id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[sqlx(try_from = "DbFlag")]
    pub authorized_to_invite: bool,
    #[sqlx(try_from = "DbFlag")]
    pub is_company_admin: bool,
}

/// Live members of the organization by name, for pickers (at most `limit`).
pub async fn members_for_picker(pool: &AnyPool, org: OrgId, limit: i64) -> DbResult<Vec<MemberChoiceRow>> {
    Ok(sqlx::query_as(
        "SELECT id, first_name, last_name, email, authorized_to_invite, is_company_admin FROM people
         WHERE org_id = $1 AND kind = 'member' AND state <> 'removed' ORDER BY last_name, first_name, id LIMIT $2",
    )
    .bind(org.0)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Records that a person signed in or used Lobby at `now`.
pub async fn record_seen(pool: &AnyPool, id: PersonId, now: i64) -> DbResult<()> {
    sqlx::query("UPDATE people SET last_seen_at = $1 WHERE id = $2").bind(now).bind(id.0).execute(pool).await?;
    Ok(())
}

/// When this database began to record last sign-ins (unix ms).
pub async fn last_seen_recorded_since(pool: &AnyPool) -> DbResult<i64> {
    let v: Option<i64> = sqlx::query_scalar("SELECT value FROM lobby_meta WHERE key = 'last_seen_recorded_since'")
        .fetch_optional(pool)
        .await?;
    Ok(v.unwrap_or(0))
}
