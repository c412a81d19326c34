//! The pages a reminder mail's links open: Extend, Let expire, Incorporate. Opening one
//! only reads ([`preview_reminder_choice`]); the change happens when the person confirms
//! ([`confirm_reminder_choice`]). Admins act on guests in their scope; the person who
//! invited a guest may Extend or Let expire, not Incorporate; nobody else may do any.

use crate::domain::expiry::ReminderChoice;
use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::reminders::*;

#[server(endpoint = "preview_reminder_choice")]
pub async fn preview_reminder_choice(id: i64, choice: ReminderChoice) -> Result<ReminderPreview, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::reminders::preview(&state, &viewer, id, choice).await }).await
}

/// Carries out a reminder's choice; returns the sentence that confirms it.
#[server(endpoint = "confirm_reminder_choice")]
pub async fn confirm_reminder_choice(id: i64, choice: ReminderChoice) -> Result<String, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::reminders::confirm(&state, &viewer, id, choice).await }).await
}
