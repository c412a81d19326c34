//! The activity log: append-only (the tables' triggers refuse updates and deletes), and
//! [`record`] is the one way anything is written to it. Every change to a person, an
//! invitation, a project or a setting calls it inside the change's own transaction, so
//! the log and the change commit or roll back together.

use super::{DbResult, WriteTx};
use crate::domain::{OrgId, PersonId};
use sqlx::AnyPool;

/// What happened. Stored by its `key`; later issues add variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    OrganizationCreated,
    MemberAdded,
    GuestAdded,
    PersonDisabled,
    PersonRemoved,
    DepartmentCreated,
    ProjectCreated,
    Incorporated,
    Deleted,
    GuestEdited,
    SettingsChanged,
    Invited,
    InvitationResent,
    InvitationRevoked,
    InvitationAccepted,
    InvitationLapsed,
    RemovedFromProject,
    AddedToProject,
    ProjectChanged,
    ExpiryChanged,
    ExpiredRemoval,
    ExpiryReminder,
    LetExpire,
}

impl Action {
    pub fn key(self) -> &'static str {
        match self {
            Action::OrganizationCreated => "organization_created",
            Action::MemberAdded => "member_added",
            Action::GuestAdded => "guest_added",
            Action::PersonDisabled => "person_disabled",
            Action::PersonRemoved => "person_removed",
            Action::DepartmentCreated => "department_created",
            Action::ProjectCreated => "project_created",
            Action::Incorporated => "incorporation",
            Action::Deleted => "deletion",
            Action::GuestEdited => "guest_edited",
            Action::SettingsChanged => "settings_changed",
            Action::Invited => "invitation",
            Action::InvitationResent => "invitation_resent",
            Action::InvitationRevoked => "invitation_revoked",
            Action::InvitationAccepted => "acceptance",
            Action::InvitationLapsed => "invitation_lapsed",
            Action::RemovedFromProject => "project_removal",
            Action::AddedToProject => "project_addition",
            Action::ProjectChanged => "project_changed",
            Action::ExpiryChanged => "expiry_change",
            Action::ExpiredRemoval => "automatic_removal",
            Action::ExpiryReminder => "expiry_reminder",
            Action::LetExpire => "let_expire",
        }
    }
}

pub struct Entry<'a> {
    pub org: OrgId,
    pub at: i64,
    /// `None` when Lobby itself acted (the expiry sweeper, set-up commands).
    pub actor: Option<PersonId>,
    pub subject: Option<PersonId>,
    pub action: Action,
    pub details: &'a str,
}

pub async fn record(tx: &mut WriteTx, e: Entry<'_>) -> DbResult<()> {
    // Stored to the second, as the Activity Report shows it.
    record_many(tx, &[e]).await
}

/// Records several entries with one statement (the sweeper's batches). Same rules as
/// [`record`]: inside the change's transaction, stored to the second.
pub async fn record_many(tx: &mut WriteTx, entries: &[Entry<'_>]) -> DbResult<()> {
    // 6 parameters a row; 500 rows stay far below both backends' parameter limits.
    for chunk in entries.chunks(500) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 6;
                format!("(${}, ${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6)
            })
            .collect();
        let sql = format!("INSERT INTO activity (org_id, at, actor_id, subject_id, action, details) VALUES {}", rows.join(", "));
        let mut q = sqlx::query(&sql);
        for e in chunk {
            q = q
                .bind(e.org.0)
                .bind(e.at - e.at.rem_euclid(1000))
                .bind(e.actor.map(|p| p.0))
                .bind(e.subject.map(|p| p.0))
                .bind(e.action.key())
                .bind(e.details);
        }
        q.execute(tx.conn()).await?;
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ActivityRow {
    pub at: i64,
    pub actor_id: Option<i64>,
    pub subject_id: Option<i64>,
    pub action: String,
    pub details: String,
}

/// An organization's log entries from `since` (unix ms), oldest first.
pub async fn entries(pool: &AnyPool, org: OrgId, since: i64) -> DbResult<Vec<ActivityRow>> {
    Ok(sqlx::query_as(
        "SELECT at, actor_id, subject_id, action, details FROM activity
         WHERE org_id = $1 AND at >= $2 ORDER BY at, id",
    )
    .bind(org.0)
    .bind(since)
    .fetch_all(pool)
    .await?)
}
