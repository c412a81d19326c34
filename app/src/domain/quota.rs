//! The guest quota: guests plus pending guest invitations never exceed
//! quota-per-member × members.

use serde::{Deserialize, Serialize};

pub const DEFAULT_GUESTS_PER_MEMBER: i64 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestQuota {
    pub per_member: i64,
    pub members: i64,
    /// Active guests plus pending guest invitations.
    pub used: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("The guest limit is {limit} ({per_member} per member); {remaining} more can be invited.")]
pub struct QuotaExceeded {
    pub limit: i64,
    pub per_member: i64,
    pub remaining: i64,
}

impl GuestQuota {
    pub fn limit(&self) -> i64 {
        self.per_member.max(0).saturating_mul(self.members.max(0))
    }

    pub fn remaining(&self) -> i64 {
        (self.limit() - self.used).max(0)
    }

    /// Whether `wanted` more guests fit.
    pub fn admit(&self, wanted: i64) -> Result<(), QuotaExceeded> {
        if wanted <= self.remaining() {
            Ok(())
        } else {
            Err(QuotaExceeded {
                limit: self.limit(),
                per_member: self.per_member,
                remaining: self.remaining(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_members_admit_nine_guests() {
        let q = GuestQuota { per_member: 3, members: 3, used: 0 };
        assert_eq!(q.limit(), 9);
        assert!(q.admit(9).is_ok());
        assert_eq!(
            q.admit(10).unwrap_err(),
            QuotaExceeded { limit: 9, per_member: 3, remaining: 9 }
        );
    }

    #[test]
    fn boundary_counts_used_slots() {
        let q = GuestQuota { per_member: 3, members: 3, used: 8 };
        assert!(q.admit(1).is_ok());
        assert!(q.admit(2).is_err());
        let full = GuestQuota { used: 9, ..q };
        assert_eq!(full.remaining(), 0);
        assert!(full.admit(1).is_err());
        assert!(full.admit(0).is_ok());
    }

    #[test]
    fn over_quota_reports_zero_remaining_not_negative() {
        let q = GuestQuota { per_member: 3, members: 1, used: 5 };
        assert_eq!(q.remaining(), 0);
    }

    #[test]
    fn message_says_the_limit_and_what_remains() {
        let e = GuestQuota { per_member: 3, members: 2, used: 5 }.admit(2).unwrap_err();
        assert_eq!(e.to_string(), "The guest limit is 6 (3 per member); 1 more can be invited.");
    }
}
