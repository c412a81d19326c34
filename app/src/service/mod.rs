//! The use cases (server only), one module per aggregate: each function takes the state
//! and the viewer, checks the viewer's role and scope with the rules of
//! [`crate::domain::access`], validates its input with `domain` types, and calls the data
//! layer, in one transaction when it writes. The server functions of [`crate::api`] and
//! the JSON API are both thin shells over this layer, so neither can do what the other
//! may not; the integration tests call it directly on both backends.

pub mod api_tokens;
pub mod csv;
pub mod dashboard;
pub mod directory;
pub mod guests;
pub mod invitations;
pub mod inventory;
pub mod messages;
pub mod people;
pub mod projects;
pub mod report;
pub mod reminders;
pub mod settings;
pub mod structure;
