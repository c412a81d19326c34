//! Typed identifiers: a `PersonId` cannot be passed where a `ProjectId` is expected.

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
);
