//! Inviting people by email (F-AUTH-INVITE, F-INVITE, F-QUOTA), the pending-invitations
//! list with Resend and Revoke, accepting an invitation by its link (F-ACCEPT), and the
//! outbox of mail sent without an SMTP server.
//!
//! These are the types the console and the server exchange (shared by both).

use crate::domain::expiry::ExpiryPeriod;
use crate::domain::{Permission, PersonKind};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// What the invite dialog offers this person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteChoices {
    /// Why this person may not invite guests, if they may not.
    pub guest_refusal: Option<String>,
    pub may_invite_members: bool,
    pub projects: Vec<Choice>,
    /// Departments to choose from (sponsor of a guest, department of a member); empty
    /// when the inviter's own department is used.
    pub departments: Vec<Choice>,
    pub quota_limit: i64,
    pub quota_remaining: i64,
    /// Projects where this person has read-only access: they invite read-only there.
    pub read_only_projects: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteInput {
    /// One or more addresses.
    pub emails: String,
    pub role: PersonKind,
    pub project: Option<i64>,
    pub permission: Permission,
    pub department: Option<i64>,
    pub expiry: ExpiryPeriod,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationItem {
    pub id: i64,
    pub email: String,
    pub is_guest: bool,
    pub inviter: String,
    pub created_at: i64,
    pub project: Option<String>,
    pub permission: Option<Permission>,
    pub state: crate::domain::invite::InvitationState,
    pub may_resend: bool,
}

/// What the invitation page shows before the invitee accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationPreview {
    pub org_name: String,
    pub inviter: String,
    pub email: String,
    pub is_guest: bool,
    pub project: Option<String>,
    pub permission: Option<Permission>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailItem {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub created_at: i64,
    pub sent: bool,
    /// The name of the file sent with it (the monthly report's CSV), if any: its bytes
    /// are at `/outbox/{id}/attachment`.
    pub attachment: Option<String>,
}

/// Invitations per page.
pub const INVITATIONS_PAGE_SIZE: i64 = crate::domain::paging::INVITATIONS_PAGE;

/// Mail per outbox page.
pub const OUTBOX_PAGE_SIZE: i64 = crate::domain::paging::OUTBOX_PAGE;
