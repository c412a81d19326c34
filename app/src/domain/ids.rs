//! Typed identifiers (a `PersonId` cannot be passed where a `ProjectId` is expected) and
//! the one timestamp type of stored rows.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )*};
}

id_type!(
    /// An organization: the boundary no data ever crosses.
    OrgId,
    /// A member or guest. Its number is also the "User ID" Lobby assigns.
    PersonId,
    /// A department of an organization's tree (including its special Guests department).
    DeptId,
    /// A group of members.
    GroupId,
    /// A project (workspace).
    ProjectId,
    /// An invitation (pending or closed).
    InvitationId,
    /// A mail of the outbox.
    MailId,
    /// A direct conversation, a department channel or a channel.
    ConversationId,
    /// A message of a conversation.
    MessageId,
    /// An API token.
    TokenId,
);

/// A moment as Lobby stores it: milliseconds since the Unix epoch, UTC. Rows carry this
/// rather than a bare number, so a date is never added to an id or a count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn millis(self) -> i64 {
        self.0
    }

    /// The moment as a date and time (UTC); `None` beyond chrono's range.
    pub fn to_datetime(self) -> Option<chrono::DateTime<chrono::Utc>> {
        chrono::DateTime::from_timestamp_millis(self.0)
    }
}

impl From<chrono::DateTime<chrono::Utc>> for Timestamp {
    fn from(t: chrono::DateTime<chrono::Utc>) -> Timestamp {
        Timestamp(t.timestamp_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_unix_milliseconds_in_utc() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-23T13:40:00.250Z").unwrap().with_timezone(&chrono::Utc);
        assert_eq!(Timestamp::from(t), Timestamp(1_795_441_200_250));
        assert_eq!(Timestamp(1_795_441_200_250).to_datetime(), Some(t));
        assert!(Timestamp(1) < Timestamp(2));
        assert_eq!(Timestamp(i64::MAX).to_datetime(), None);
        assert_eq!("42".parse::<PersonId>(), Ok(PersonId(42)));
        assert_eq!(serde_json::to_string(&Timestamp(5)).unwrap(), "5");
    }
}
