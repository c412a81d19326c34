//! Server functions: the only door from the browser to the data. Each one is a few lines:
//! it takes the session through [`ctx::for_viewer`] (or [`ctx::for_anyone`]) and calls
//! one use case of [`crate::service`], which checks the caller's role and scope and does
//! the work. No module here calls another's internals.

pub mod auth;
#[cfg(feature = "ssr")]
pub mod ctx;
pub mod directory;
pub mod guests;
pub mod invitations;
pub mod inventory;
pub mod messages;
pub mod people;
pub mod projects;
pub mod reminders;
pub mod report;
pub mod settings;
pub mod structure;
pub mod tokens;
