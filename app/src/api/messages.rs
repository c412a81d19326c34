//! Messages and channels (F-MESSAGES): each door enters its conversation and asks the
//! Guest Profile's policy in [`crate::service::messages`]. Files go through the axum
//! routes of [`crate::web::http`] (a multipart body has its own limit).

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::messages::*;

#[server(endpoint = "load_conversations")]
pub async fn load_conversations(#[server(default)] cursor: Option<String>) -> Result<ConversationList, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::messages::list(&state, &viewer, cursor.as_deref()).await }).await
}

#[server(endpoint = "load_conversation")]
pub async fn load_conversation(id: i64, #[server(default)] cursor: Option<String>) -> Result<ConversationView, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::messages::view(&state, &viewer, id, cursor.as_deref()).await }).await
}

#[server(endpoint = "newer_messages")]
pub async fn newer_messages(id: i64, #[server(default)] cursor: Option<String>) -> Result<NewMessages, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::messages::newer(&state, &viewer, id, cursor.as_deref()).await }).await
}

#[server(endpoint = "send_message")]
pub async fn send_message(id: i64, text: String) -> Result<Message, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::messages::send(&state, &viewer, id, &text).await }).await
}

/// "Message" on a contact card: the conversation with that person.
#[server(endpoint = "open_conversation")]
pub async fn open_conversation(with: i64) -> Result<i64, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::messages::open_direct(&state, &viewer, with).await }).await
}

#[server(endpoint = "create_channel", input = server_fn::codec::Json)]
pub async fn create_channel(name: String, people: Vec<i64>) -> Result<i64, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::messages::create_channel(&state, &viewer, &name, &people).await }).await
}

#[server(endpoint = "add_to_channel", input = server_fn::codec::Json)]
pub async fn add_to_channel(id: i64, people: Vec<i64>) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::messages::add_to_channel(&state, &viewer, id, &people).await }).await
}
