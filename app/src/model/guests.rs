//! The Guests list: page, counter, search, details, Incorporate, Delete, rename.
//! Only Company Admins (whole organization) and Department Admins (guests sponsored by
//! their departments and sub-departments) get anything; every function applies that
//! scope on the server.
//!
//! These are the types the console and the server exchange (shared by both).

use crate::domain::Permission;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestItem {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// The mobile number when known, else the user id.
    pub user_id: String,
    pub mobile: Option<String>,
    pub invited_by: String,
    /// Unix ms.
    pub invited_at: Option<i64>,
    /// The sponsor department.
    pub department: String,
    pub project: Option<String>,
    pub permission: Option<Permission>,
    /// Unix ms; `None` is "Without expiration".
    pub expires_at: Option<i64>,
    /// The period that gave `expires_at`, when known.
    pub expiry_period: Option<crate::domain::expiry::ExpiryPeriod>,
    /// When the next expiry reminder goes out (unix ms), if one will.
    pub next_reminder_at: Option<i64>,
}

impl GuestItem {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestPage {
    /// The guests of this page, with the cursors of the pages around it.
    pub page: crate::domain::paging::Page<GuestItem>,
    /// The "Guests created" counter.
    pub total: i64,
    /// Guests per page, for "Page N of M".
    pub page_size: i64,
    /// The server's clock (unix ms) when the page was read, for "Time left".
    pub now: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestDetail {
    pub guest: GuestItem,
    pub last_sign_in: crate::domain::LastSignIn,
    /// Cache-busting version of the avatar, if there is one.
    pub avatar: Option<String>,
    pub now: i64,
}
