//! The guest inventory as the console shows it (F-INVENTORY).

use crate::domain::expiry::ExpiryPeriod;
use crate::domain::inventory::{EntryState, InventoryFilters};
use crate::domain::paging::Page;
use crate::domain::{LastSignIn, Permission};
use serde::{Deserialize, Serialize};

/// What the page asks for: an order (a sort key and `asc`/`desc`; empty: invited,
/// newest first), the filters, and a page cursor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryQuery {
    pub sort: String,
    #[serde(default)]
    pub dir: String,
    #[serde(default)]
    pub filters: InventoryFilters,
    #[serde(default)]
    pub cursor: Option<String>,
}

/// A guest or a pending invitation as a row of the inventory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryItem {
    /// Unique across guests and invitations.
    pub rid: i64,
    pub guest_id: Option<i64>,
    pub invitation_id: Option<i64>,
    /// The guest's name; empty for an invitation.
    pub name: String,
    pub email: String,
    pub state: EntryState,
    pub department: String,
    pub inviter: String,
    pub project: Option<String>,
    pub permission: Option<Permission>,
    pub invited_at: Option<i64>,
    pub accepted_at: Option<i64>,
    /// A guest's last sign-in; `None` for an invitation (never).
    pub last_sign_in: Option<LastSignIn>,
    pub expires_at: Option<i64>,
    /// An invitation's expiry period, which starts at acceptance.
    pub expiry_period: Option<ExpiryPeriod>,
    /// When a pending invitation lapses.
    pub lapses_at: Option<i64>,
}

impl InventoryItem {
    /// The name, or for an invitation its email.
    pub fn display_name(&self) -> &str {
        if self.name.trim().is_empty() {
            &self.email
        } else {
            &self.name
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryPage {
    pub page: Page<InventoryItem>,
    /// The server's time, until the browser's clock ticks.
    pub now: i64,
}

/// The Inviter filter's choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviterChoice {
    pub id: i64,
    pub name: String,
}
