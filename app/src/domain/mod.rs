//! Lobby's rules, free of I/O: identifiers, validated values, roles and scopes, the
//! department tree, the guest quota and expiry arithmetic. Compiled for the server and
//! for the browser alike, so a rule lives here once and both sides agree on it.

pub mod access;
pub mod api_token;
pub mod activity;
pub mod avatar;
pub mod dashboard;
pub mod dept_tree;
pub mod expiry;
pub mod guests;
pub mod ids;
pub mod inventory;
pub mod links;
pub mod messages;
pub mod paging;
pub mod invite;
pub mod people;
pub mod profile;
pub mod quota;
pub mod report;
pub mod roles;
pub mod search;
pub mod structure;
pub mod values;

pub use ids::*;
pub use people::*;
pub use roles::*;
pub use values::*;
