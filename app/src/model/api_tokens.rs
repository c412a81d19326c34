//! API tokens as Settings → API tokens shows them, and what its form sends.

use crate::domain::api_token::Scope;
use serde::{Deserialize, Serialize};

/// A token as listed: never the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    /// The first characters of the secret, to tell tokens apart.
    pub hint: String,
    pub owner: String,
    pub owner_email: String,
    pub scopes: Vec<Scope>,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub last_used_from: Option<String>,
}

impl TokenInfo {
    /// "Active", "Revoked" or "Expired" at `now`.
    pub fn state_label(&self, now: i64) -> &'static str {
        if self.revoked_at.is_some() {
            "Revoked"
        } else if self.expires_at <= now {
            "Expired"
        } else {
            "Active"
        }
    }
}

/// A new token's settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTokenInput {
    pub name: String,
    pub scopes: Vec<Scope>,
    /// Days until it expires (1 to 365).
    pub days: i64,
}

/// A token just made: its secret, shown this once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub token: TokenInfo,
    pub secret: String,
}

/// The tokens page: the tokens the viewer sees, and the scopes they may grant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensView {
    pub tokens: Vec<TokenInfo>,
    pub grantable: Vec<Scope>,
    pub now: i64,
}
