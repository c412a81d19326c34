//! The people of an organization as the console shows them: dashboard counts and the
//! Users page.
//!
//! These are the types the console and the server exchange (shared by both).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFigures {
    pub users: i64,
    pub guests: i64,
    /// Guest places used (guests and pending guest invitations) of the organization's quota.
    pub quota_used: i64,
    pub quota_limit: i64,
    /// Guests leaving within 7 days.
    pub leaving_soon: i64,
    /// Pending guest invitations, and how many of them lapse within 48 hours.
    pub pending: i64,
    pub lapsing_soon: i64,
    /// Guests who never signed in, with the pending invitations (who have not either).
    pub never_signed_in: i64,
    /// The newest activity entries, when the Activity Report is on.
    pub recent: Option<Vec<crate::model::report::ReportEntry>>,
    /// Invitations against removals over 30 days, when guest activity is shown.
    pub sparkline: Option<crate::domain::dashboard::Sparkline>,
}

/// An authorized user's own guests and pending invitations, on their home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnGuests {
    pub guests: Vec<OwnGuest>,
    pub invitations: Vec<OwnInvitation>,
    pub now: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnGuest {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub expires_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnInvitation {
    pub id: i64,
    pub email: String,
    pub sent_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// The mobile number when known, else the user id.
    pub user_id: String,
    /// For a guest: the sponsor department.
    pub department: String,
    pub is_guest: bool,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeoplePage {
    pub page: crate::domain::paging::Page<PersonRow>,
    pub total: i64,
    pub page_size: i64,
}

pub const PAGE_SIZE: i64 = crate::domain::paging::USERS_PAGE;
