//! The types the console and the server exchange through server functions: what a page
//! shows and what a form sends. Shared by the server and the browser; the rules that
//! produce them live in the service layer (server) and `domain` (both).

pub mod directory;
pub mod api_tokens;
pub mod guests;
pub mod invitations;
pub mod inventory;
pub mod people;
pub mod projects;
pub mod reminders;
pub mod settings;
pub mod structure;
pub mod messages;
pub mod report;
