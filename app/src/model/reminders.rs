//! The pages a reminder mail's links open: Extend, Let expire, Incorporate. Opening one
//! only reads ([`preview_reminder_choice`]); the change happens when the person confirms
//! ([`confirm_reminder_choice`]). Admins act on guests in their scope; the person who
//! invited a guest may Extend or Let expire, not Incorporate; nobody else may do any.
//!
//! These are the types the console and the server exchange (shared by both).

use crate::domain::expiry::{ExpiryPeriod, ReminderChoice};
use serde::{Deserialize, Serialize};

/// What the confirmation page shows before anything changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderPreview {
    pub guest_id: i64,
    pub guest_name: String,
    pub choice: ReminderChoice,
    /// The guest's current expiry (unix ms); `None`: without expiration.
    pub expires_at: Option<i64>,
    /// Extend: the period given again.
    pub period: Option<ExpiryPeriod>,
    /// Extend: the date it would give if confirmed now.
    pub new_expires_at: Option<i64>,
    /// Whether the viewer may open the guest's details page (admins in scope).
    pub may_open_details: bool,
    pub now: i64,
}
