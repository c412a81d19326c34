//! Server functions: the only door from the browser to the data. Each one is thin —
//! it takes the session, then calls an `inner` function (ssr only) that checks the
//! caller's role and scope and does the work; the inner functions are what the
//! integration tests call against real databases.

pub mod auth;
#[cfg(feature = "ssr")]
pub mod ctx;
pub mod guests;
pub mod invitations;
pub mod people;
pub mod projects;
pub mod reminders;
pub mod settings;
