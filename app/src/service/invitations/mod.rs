//! Inviting people by email (F-AUTH-INVITE, F-INVITE, F-QUOTA), the pending-invitations
//! list with Resend and Revoke, accepting an invitation by its link (F-ACCEPT), and the
//! outbox of mail sent without an SMTP server.
//!
//! - [`sending`]: the dialog's choices, Send, the list, Resend and Revoke;
//! - [`acceptance`]: the invitee's page and Accept;
//! - [`outbox`]: the mail Lobby queued.

pub mod acceptance;
pub mod outbox;
pub mod sending;
pub mod token;

pub use acceptance::{accept, info};
pub use outbox::outbox;
pub use sending::{list, options, project_choices, resend, revoke, send};
