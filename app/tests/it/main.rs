//! The integration tests, one binary: each module was its own test binary, and each
//! binary linked the whole application (twenty links, gigabytes of target/). The
//! Activity Report memory test stays apart: it installs its own global allocator.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod access;
mod access_matrix;
mod api;
mod assets;
mod avatars;
mod counts;
mod data_layer;
mod directory;
mod expiry;
mod guests;
mod hardening;
mod inventory;
mod invitations;
mod mail_and_projects;
mod messages;
mod profile;
mod reminders;
mod report;
mod sign_in;
mod structure;
