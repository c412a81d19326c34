//! Organization settings, invitations (stored with the SHA-256 of their token only),
//! the guest quota's figures, and the outbox of mail Lobby sends.

use super::activity::{self, Action, Entry, TargetKind};
use super::{as_flag, flag, DbResult, WriteTx};
use crate::domain::invite::{InvitePolicy, OrgSettings};
use crate::domain::profile::GuestProfile;
use crate::domain::paging::{Key, KeyValue, Position};
use crate::domain::quota::GuestQuota;
use crate::domain::expiry::ExpiryPeriod;
use crate::domain::invite::InvitationState;
use crate::domain::{DeptId, InvitationId, MailId, OrgId, Permission, PersonId, PersonKind, ProjectId, Timestamp};
use sqlx::{AnyConnection, AnyPool};

#[derive(sqlx::FromRow)]
struct SettingsRow {
    invitations_enabled: i64,
    invite_policy: String,
    guests_per_member: i64,
    display_all_group: i64,
    receive_activity_report: i64,
    guest_messaging: i64,
    guest_file_sharing: i64,
    guest_audio_calls: i64,
    guest_video_calls: i64,
    guest_screen_sharing: i64,
    guest_channel_creation: i64,
}

pub async fn settings(conn: &mut AnyConnection, org: OrgId) -> DbResult<OrgSettings> {
    let r: SettingsRow = sqlx::query_as(
        "SELECT invitations_enabled, invite_policy, guests_per_member, display_all_group, receive_activity_report,
                guest_messaging, guest_file_sharing, guest_audio_calls, guest_video_calls, guest_screen_sharing,
                guest_channel_creation
         FROM organizations WHERE id = $1",
    )
    .bind(org.0)
    .fetch_one(conn)
    .await?;
    Ok(OrgSettings {
        invitations_enabled: flag(r.invitations_enabled),
        invite_policy: InvitePolicy::from_db(&r.invite_policy).unwrap_or(InvitePolicy::Admins),
        guests_per_member: r.guests_per_member,
        display_all_group: flag(r.display_all_group),
        receive_activity_report: flag(r.receive_activity_report),
        guest_profile: GuestProfile {
            messaging: flag(r.guest_messaging),
            file_sharing: flag(r.guest_file_sharing),
            audio_calls: flag(r.guest_audio_calls),
            video_calls: flag(r.guest_video_calls),
            screen_sharing: flag(r.guest_screen_sharing),
            channel_creation: flag(r.guest_channel_creation),
        },
    })
}

pub async fn settings_of(pool: &AnyPool, org: OrgId) -> DbResult<OrgSettings> {
    let mut conn = pool.acquire().await?;
    settings(&mut conn, org).await
}

pub async fn save_settings(tx: &mut WriteTx, org: OrgId, s: &OrgSettings, actor: PersonId, now: i64) -> DbResult<()> {
    let g = &s.guest_profile;
    sqlx::query(
        "UPDATE organizations SET invitations_enabled = $1, invite_policy = $2, guests_per_member = $3,
                display_all_group = $4, receive_activity_report = $5, guest_messaging = $6, guest_file_sharing = $7,
                guest_audio_calls = $8, guest_video_calls = $9, guest_screen_sharing = $10, guest_channel_creation = $11
         WHERE id = $12",
    )
    .bind(as_flag(s.invitations_enabled))
    .bind(s.invite_policy.as_db())
    .bind(s.guests_per_member)
    .bind(as_flag(s.display_all_group))
    .bind(as_flag(s.receive_activity_report))
    .bind(as_flag(g.messaging))
    .bind(as_flag(g.file_sharing))
    .bind(as_flag(g.audio_calls))
    .bind(as_flag(g.video_calls))
    .bind(as_flag(g.screen_sharing))
    .bind(as_flag(g.channel_creation))
    .bind(org.0)
    .execute(tx.conn())
    .await?;
    let details = format!(
        "invitations {}, invite policy {}, {} guests per member, group All {}, activity report {}, guest profile: {}",
        if s.invitations_enabled { "on" } else { "off" },
        s.invite_policy.as_db(),
        s.guests_per_member,
        if s.display_all_group { "shown" } else { "hidden" },
        if s.receive_activity_report { "on" } else { "off" },
        g.active_list()
    );
    activity::record(
        tx,
        Entry { org, at: now, actor: Some(actor), subject: None, action: Action::SettingsChanged, details: &details, target: Some((TargetKind::Settings, None)), scope: None },
    )
    .await
}

/// Sets one member's "authorized to invite" flag; false when no such live member.
pub async fn set_authorized(tx: &mut WriteTx, org: OrgId, person: PersonId, on: bool, actor: PersonId, now: i64) -> DbResult<bool> {
    let details = if on { "authorized to invite" } else { "no longer authorized to invite" };
    activity::change_logged(
        tx,
        sqlx::query(
        "UPDATE people SET authorized_to_invite = $1 WHERE id = $2 AND org_id = $3 AND kind = 'member' AND state <> 'removed'",
    )
    .bind(as_flag(on))
    .bind(person.0)
    .bind(org.0),
        Entry { org, at: now, actor: Some(actor), subject: Some(person), action: Action::SettingsChanged, details, target: None, scope: None },
    )
    .await
}

/// The quota's figures now: live members, and live guests plus guest invitations still
/// pending (not lapsed).
pub async fn quota(conn: &mut AnyConnection, org: OrgId, now: i64) -> DbResult<GuestQuota> {
    let (per_member, members, guests, pending): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT o.guests_per_member,
           (SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM people_counts c WHERE c.org_id = o.id AND c.kind = 'member'),
           (SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM people_counts c WHERE c.org_id = o.id AND c.kind = 'guest'),
           (SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM invitation_counts c WHERE c.org_id = o.id AND c.kind = 'guest')
             - (SELECT COUNT(*) FROM invitations i WHERE i.org_id = o.id AND i.kind = 'guest' AND i.state = 'pending'
                  AND i.validity_ends_at <= $2)
         FROM organizations o WHERE o.id = $1",
    )
    .bind(org.0)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(GuestQuota { per_member, members, used: guests + pending })
}

pub struct NewInvitation<'a> {
    pub org: OrgId,
    pub email: &'a str,
    pub kind: PersonKind,
    pub project: Option<ProjectId>,
    pub permission: Option<Permission>,
    pub department: DeptId,
    pub inviter: PersonId,
    pub token_hash: &'a str,
    pub expiry_period: Option<&'a str>,
    pub now: i64,
    pub validity_ends_at: i64,
}

/// Whether `email` is taken in the organization: by a live person, or by a pending
/// invitation that has not lapsed. A lapsed one is marked so, freeing the address.
pub async fn email_taken(tx: &mut WriteTx, org: OrgId, email: &str, now: i64) -> DbResult<Option<&'static str>> {
    let person: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE org_id = $1 AND email = $2 AND state <> 'removed'")
        .bind(org.0)
        .bind(email)
        .fetch_one(tx.conn())
        .await?;
    if person > 0 {
        return Ok(Some("already belongs to a person of this organization"));
    }
    lapse_email(tx, org, email, now).await?;
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE org_id = $1 AND email = $2 AND state = 'pending'")
        .bind(org.0)
        .bind(email)
        .fetch_one(tx.conn())
        .await?;
    Ok((pending > 0).then_some("already has a pending invitation"))
}

pub async fn insert(tx: &mut WriteTx, i: NewInvitation<'_>) -> DbResult<InvitationId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO invitations (org_id, email, kind, project_id, permission, department_id, inviter_id, token_hash,
                                  created_at, sent_at, validity_ends_at, state, expiry_period)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, 'pending', $11) RETURNING id",
    )
    .bind(i.org.0)
    .bind(i.email)
    .bind(i.kind.as_db())
    .bind(i.project.map(|p| p.0))
    .bind(i.permission.map(|p| p.as_db()))
    .bind(i.department.0)
    .bind(i.inviter.0)
    .bind(i.token_hash)
    .bind(i.now)
    .bind(i.validity_ends_at)
    .bind(i.expiry_period)
    .fetch_one(tx.conn())
    .await?;
    let details = format!("{} invited{}", i.kind.as_db(), if i.kind == PersonKind::Guest { format!(" ({})", i.email) } else { String::new() });
    activity::record(
        tx,
        Entry {
            org: i.org,
            at: i.now,
            actor: Some(i.inviter),
            subject: None,
            action: Action::Invited,
            details: &details,
            target: Some((TargetKind::Invitation, Some(id))),
            scope: Some(i.department),
        },
    )
    .await?;
    Ok(InvitationId(id))
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: InvitationId,
    pub org_id: OrgId,
    pub email: String,
    pub kind: PersonKind,
    pub project_id: Option<ProjectId>,
    pub project: Option<String>,
    pub permission: Option<Permission>,
    pub department_id: DeptId,
    pub inviter_id: PersonId,
    pub inviter: String,
    pub created_at: Timestamp,
    pub sent_at: Timestamp,
    pub validity_ends_at: Timestamp,
    /// As stored: a pending one may be past its validity (see [`InvitationState::at`]).
    pub state: InvitationState,
    pub expiry_period: Option<ExpiryPeriod>,
    /// Resending limits: the day of resends began then, with this many so far.
    pub resend_day_start: Timestamp,
    pub resends_in_day: i64,
}

const INVITATION_COLUMNS: &str = "i.id, i.org_id, i.email, i.kind, i.project_id, pr.name AS project, i.permission,
    i.department_id, i.inviter_id, p.first_name || ' ' || p.last_name AS inviter, i.created_at, i.sent_at,
    i.validity_ends_at, i.state, i.expiry_period, i.resend_day_start, i.resends_in_day";
const INVITATION_JOINS: &str = "JOIN people p ON p.id = i.inviter_id LEFT JOIN projects pr ON pr.id = i.project_id";

/// A page of the invitations the viewer may manage, newest first: all of the
/// organization (`whole_org`), or those of the departments they manage, or only their
/// own (`own_only`); only those in `state` as people see it at `now` (a pending one past
/// its validity is lapsed) when given; `limit` rows from the keyset position `pos`.
#[allow(clippy::too_many_arguments)]
pub async fn list(
    pool: &AnyPool,
    org: OrgId,
    whole_org: bool,
    viewer: PersonId,
    own_only: bool,
    state: Option<InvitationState>,
    now: i64,
    pos: &Position,
    limit: i64,
) -> DbResult<Vec<InvitationRow>> {
    let managed = super::people::managed_depts("$3");
    let (after, order) = super::keyset("i.created_at", "i.id", true, pos, 8);
    let sql = format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations i {INVITATION_JOINS}
         WHERE i.org_id = $1 AND (
            ($4 = 1 AND i.inviter_id = $3)
            OR ($4 = 0 AND ($2 = 1 OR i.inviter_id = $3 OR i.department_id IN ({managed}))))
           AND ($6 = 'any'
            OR ($6 = 'pending' AND i.state = 'pending' AND i.validity_ends_at > $7)
            OR ($6 = 'lapsed' AND (i.state = 'lapsed' OR (i.state = 'pending' AND i.validity_ends_at <= $7)))
            OR ($6 IN ('accepted', 'revoked') AND i.state = $6)) {after}
         ORDER BY {order} LIMIT $5"
    );
    let q = sqlx::query_as(&sql)
        .bind(org.0)
        .bind(as_flag(whole_org))
        .bind(viewer.0)
        .bind(as_flag(own_only))
        .bind(limit)
        .bind(state.map_or("any", InvitationState::as_db))
        .bind(now);
    Ok(super::bind_key(q, pos).fetch_all(pool).await?)
}

/// An invitation's place in the newest-first lists.
pub fn list_key(r: &InvitationRow) -> Key {
    Key { value: KeyValue::Int(r.created_at.0), id: r.id.0 }
}

pub async fn by_id(conn: &mut AnyConnection, org: OrgId, id: InvitationId) -> DbResult<Option<InvitationRow>> {
    Ok(sqlx::query_as(&format!("SELECT {INVITATION_COLUMNS} FROM invitations i {INVITATION_JOINS} WHERE i.id = $1 AND i.org_id = $2"))
        .bind(id.0)
        .bind(org.0)
        .fetch_optional(conn)
        .await?)
}

pub async fn by_token_hash(conn: &mut AnyConnection, token_hash: &str) -> DbResult<Option<InvitationRow>> {
    Ok(sqlx::query_as(&format!("SELECT {INVITATION_COLUMNS} FROM invitations i {INVITATION_JOINS} WHERE i.token_hash = $1"))
        .bind(token_hash)
        .fetch_optional(conn)
        .await?)
}

/// Claims a pending, unlapsed invitation for acceptance in one atomic statement: of
/// several people redeeming the same link at once, exactly one gets `true`.
pub async fn claim(tx: &mut WriteTx, id: InvitationId, now: i64) -> DbResult<bool> {
    let n = sqlx::query(
        "UPDATE invitations SET state = 'accepted', accepted_at = $2
         WHERE id = $1 AND state = 'pending' AND validity_ends_at > $2",
    )
    .bind(id.0)
    .bind(now)
    .execute(tx.conn())
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn set_accepted_person(tx: &mut WriteTx, id: InvitationId, person: PersonId) -> DbResult<()> {
    sqlx::query("UPDATE invitations SET person_id = $1 WHERE id = $2").bind(person.0).bind(id.0).execute(tx.conn()).await?;
    Ok(())
}

/// Withdraws a pending invitation; false when it was no longer pending.
pub async fn revoke(tx: &mut WriteTx, org: OrgId, id: InvitationId, actor: PersonId, now: i64) -> DbResult<bool> {
    activity::change_logged(
        tx,
        sqlx::query("UPDATE invitations SET state = 'revoked', closed_at = $3 WHERE id = $1 AND org_id = $2 AND state = 'pending'")
        .bind(id.0)
        .bind(org.0)
        .bind(now),
        Entry { org, at: now, actor: Some(actor), subject: None, action: Action::InvitationRevoked, details: &format!("invitation {id}"), target: Some((TargetKind::Invitation, Some(id.0))), scope: None },
    )
    .await
}

/// What a resend stores: a new token, seven more days, and the resend limits' day.
pub struct Renewal<'a> {
    pub token_hash: &'a str,
    pub now: i64,
    pub validity_ends_at: i64,
    pub resend_day_start: i64,
    pub resends_in_day: i64,
}

/// Sends a pending (or lapsed) invitation again: a new token, seven more days.
pub async fn renew(tx: &mut WriteTx, org: OrgId, id: InvitationId, r: Renewal<'_>, actor: PersonId) -> DbResult<bool> {
    activity::change_logged(
        tx,
        sqlx::query(
        "UPDATE invitations SET token_hash = $1, sent_at = $2, validity_ends_at = $3, state = 'pending', closed_at = NULL,
                resend_day_start = $6, resends_in_day = $7
         WHERE id = $4 AND org_id = $5 AND state IN ('pending', 'lapsed')",
    )
    .bind(r.token_hash)
    .bind(r.now)
    .bind(r.validity_ends_at)
    .bind(id.0)
    .bind(org.0)
    .bind(r.resend_day_start)
    .bind(r.resends_in_day),
        Entry { org, at: r.now, actor: Some(actor), subject: None, action: Action::InvitationResent, details: &format!("invitation {id}"), target: Some((TargetKind::Invitation, Some(id.0))), scope: None },
    )
    .await
}

/// Pending invitations past their validity at `now`, across organizations, oldest
/// first: the lapse job's batch.
pub async fn due_lapses(pool: &AnyPool, now: i64, limit: i64) -> DbResult<Vec<(InvitationId, OrgId)>> {
    let rows: Vec<(InvitationId, OrgId)> = sqlx::query_as(
        "SELECT id, org_id FROM invitations WHERE state = 'pending' AND validity_ends_at <= $1
         ORDER BY validity_ends_at, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows)
}

/// Marks the invitations of `ids` lapsed if they are still pending and past validity at
/// `now`, logging each with Lobby as the actor; returns how many this call lapsed. One
/// conditional `UPDATE … RETURNING`, so with several servers each is lapsed and logged
/// once.
pub async fn lapse(tx: &mut WriteTx, ids: &[InvitationId], now: i64) -> DbResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "UPDATE invitations SET state = 'lapsed', closed_at = validity_ends_at
         WHERE id IN ({}) AND state = 'pending' AND validity_ends_at <= $1
         RETURNING id, org_id, email, kind, validity_ends_at",
        super::placeholders(2, ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64, i64, String, String, i64)>(&sql).bind(now);
    for id in ids {
        q = q.bind(id.0);
    }
    let rows = q.fetch_all(tx.conn()).await?;
    log_lapses(tx, &rows).await?;
    Ok(rows.len())
}

/// Lapses the organization's invitations to `email` that are past validity (before the
/// address is invited again), logging them as [`lapse`] does.
async fn lapse_email(tx: &mut WriteTx, org: OrgId, email: &str, now: i64) -> DbResult<()> {
    let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
        "UPDATE invitations SET state = 'lapsed', closed_at = validity_ends_at
         WHERE org_id = $1 AND email = $2 AND state = 'pending' AND validity_ends_at <= $3
         RETURNING id, org_id, email, kind, validity_ends_at",
    )
    .bind(org.0)
    .bind(email)
    .bind(now)
    .fetch_all(tx.conn())
    .await?;
    log_lapses(tx, &rows).await
}

async fn log_lapses(tx: &mut WriteTx, rows: &[(i64, i64, String, String, i64)]) -> DbResult<()> {
    let details: Vec<String> = rows.iter().map(|(_, _, email, kind, _)| format!("{kind} invitation ({email})")).collect();
    let entries: Vec<Entry> = rows
        .iter()
        .zip(&details)
        .map(|((id, org, _, _, at), d)| Entry {
            org: OrgId(*org),
            at: *at,
            actor: None,
            subject: None,
            action: Action::InvitationLapsed,
            details: d,
            target: Some((TargetKind::Invitation, Some(*id))),
            scope: None,
        })
        .collect();
    activity::record_many(tx, &entries).await
}

/// Deletes up to `limit` revoked and lapsed invitations that closed before `before`
/// (they leave the lists; the activity log keeps them). Returns how many went.
pub async fn purge_closed(pool: &AnyPool, before: i64, limit: i64) -> DbResult<u64> {
    Ok(sqlx::query(
        "DELETE FROM invitations WHERE id IN (
            SELECT id FROM invitations WHERE state IN ('revoked', 'lapsed') AND closed_at < $1 LIMIT $2)",
    )
    .bind(before)
    .bind(limit)
    .execute(pool)
    .await?
    .rows_affected())
}

/// A person's department (members) — the department a guest they invite is sponsored by.
pub async fn department_of(conn: &mut AnyConnection, person: PersonId) -> DbResult<DeptId> {
    let id: i64 = sqlx::query_scalar("SELECT department_id FROM people WHERE id = $1").bind(person.0).fetch_one(conn).await?;
    Ok(DeptId(id))
}

pub use super::people::manages;

// ---- Outbox -------------------------------------------------------------------------

pub struct NewMail<'a> {
    pub org: OrgId,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    pub now: i64,
    /// A file sent with it: its name and bytes.
    pub attachment: Option<(&'a str, &'a [u8])>,
}

pub async fn queue_mail(tx: &mut WriteTx, m: NewMail<'_>) -> DbResult<MailId> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox (org_id, to_email, subject, body_text, body_html, created_at, attachment_name, attachment)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(m.org.0)
    .bind(m.to)
    .bind(m.subject)
    .bind(m.text)
    .bind(m.html)
    .bind(m.now)
    .bind(m.attachment.map(|(name, _)| name))
    .bind(m.attachment.map(|(_, bytes)| bytes))
    .fetch_one(tx.conn())
    .await?)
}

/// A mail's attachment (name and bytes), when it has one and is of `org`.
pub async fn mail_attachment(pool: &AnyPool, org: OrgId, id: MailId) -> DbResult<Option<(String, Vec<u8>)>> {
    let row: Option<(Option<String>, Option<Vec<u8>>)> =
        sqlx::query_as("SELECT attachment_name, attachment FROM outbox WHERE id = $1 AND org_id = $2")
            .bind(id.0)
            .bind(org.0)
            .fetch_optional(pool)
            .await?;
    Ok(match row {
        Some((Some(name), Some(bytes))) => Some((name, bytes)),
        _ => None,
    })
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MailRow {
    pub id: MailId,
    pub to_email: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub org_id: OrgId,
    /// The name of its attachment, if it has one (the bytes: [`mail_attachment`]).
    pub attachment_name: Option<String>,
}

const MAIL_COLUMNS: &str = "id, to_email, subject, body_text, body_html, created_at, sent_at, org_id, attachment_name";

pub async fn mail_by_id(pool: &AnyPool, id: MailId) -> DbResult<Option<MailRow>> {
    Ok(sqlx::query_as(&format!("SELECT {MAIL_COLUMNS} FROM outbox WHERE id = $1")).bind(id.0).fetch_optional(pool).await?)
}

/// The newest `limit` mails of the organization.
pub async fn outbox(pool: &AnyPool, org: OrgId, limit: i64) -> DbResult<Vec<MailRow>> {
    outbox_page(pool, org, &Position::First, limit).await
}

/// `limit` mails of the organization, newest first, from the keyset position `pos`.
pub async fn outbox_page(pool: &AnyPool, org: OrgId, pos: &Position, limit: i64) -> DbResult<Vec<MailRow>> {
    let (after, order) = super::keyset("created_at", "id", true, pos, 3);
    let sql = format!("SELECT {MAIL_COLUMNS} FROM outbox WHERE org_id = $1 {after} ORDER BY {order} LIMIT $2");
    let q = sqlx::query_as(&sql).bind(org.0).bind(limit);
    Ok(super::bind_key(q, pos).fetch_all(pool).await?)
}

/// A mail's place in the outbox's newest-first order.
pub fn mail_key(m: &MailRow) -> Key {
    Key { value: KeyValue::Int(m.created_at.0), id: m.id.0 }
}

/// Marks a mail delivered through SMTP, keeping in the outbox only the text given (the
/// copy without usable invitation links: the mail itself carried them).
pub async fn mark_sent(pool: &AnyPool, id: MailId, now: i64, text: &str, html: &str) -> DbResult<()> {
    sqlx::query("UPDATE outbox SET sent_at = $1, body_text = $3, body_html = $4 WHERE id = $2")
        .bind(now)
        .bind(id.0)
        .bind(text)
        .bind(html)
        .execute(pool)
        .await?;
    Ok(())
}
