//! Settings → Users Authorization (Company Admin only): the *Invitation of External
//! Users* feature, who may invite guests besides admins, and the guest quota per member.
//!
//! These are the types the console and the server exchange (shared by both).

use crate::domain::invite::OrgSettings;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberChoice {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub authorized: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub settings: OrgSettings,
    /// Members who could be authorized (Company Admins invite anyway and are left out).
    pub members: Vec<MemberChoice>,
}
