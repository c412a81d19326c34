//! The people of an organization as the console shows them: dashboard counts and the
//! Users page.
//!
//! These are the types the console and the server exchange (shared by both).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFigures {
    pub users: i64,
    pub guests: i64,
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
    pub rows: Vec<PersonRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

pub const PAGE_SIZE: i64 = crate::domain::paging::USERS_PAGE;
