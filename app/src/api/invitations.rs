//! Inviting people by email (F-AUTH-INVITE, F-INVITE, F-QUOTA), the pending-invitations
//! list with Resend and Revoke, accepting an invitation by its link (F-ACCEPT), and the
//! outbox of mail sent without an SMTP server.

use crate::domain::paging::Page;
use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::invitations::*;

#[server(endpoint = "invite_options")]
pub async fn invite_options() -> Result<InviteChoices, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::invitations::options(&state, &viewer).await }).await
}

#[server(endpoint = "send_invitations", input = server_fn::codec::Json)]
pub async fn send_invitations(input: InviteInput) -> Result<usize, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::invitations::send(&state, &viewer, input).await }).await
}

#[server(endpoint = "list_invitations")]
pub async fn list_invitations(#[server(default)] cursor: Option<String>) -> Result<Page<InvitationItem>, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::invitations::list(&state, &viewer, cursor.as_deref()).await }).await
}

#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(id: i64) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::invitations::resend(&state, &viewer, id).await }).await
}

#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(id: i64) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::invitations::revoke(&state, &viewer, id).await }).await
}

/// Open to anonymous callers: the link's token is the credential.
#[server(endpoint = "invitation_info")]
pub async fn invitation_info(token: String) -> Result<InvitationPreview, AppError> {
    use super::ctx::*;
    for_anyone(|state| async move { crate::service::invitations::info(&state, &token).await }).await
}

/// Open to anonymous callers: the link's token is the credential.
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(
    token: String,
    first_name: String,
    last_name: String,
    password: String,
    mobile: String,
) -> Result<(), AppError> {
    use super::ctx::*;
    for_anyone(|state| async move {
        let person = crate::service::invitations::accept(&state, &token, &first_name, &last_name, &password, &mobile).await?;
        // Signed in at once, landing on their home (a guest: their project).
        let user = crate::auth::session_user(&state, person).await?.ok_or(AppError::Internal)?;
        leptos_axum::redirect(start_session(&state, &user).await?);
        Ok(())
    })
    .await
}

#[server(endpoint = "outbox")]
pub async fn outbox(#[server(default)] cursor: Option<String>) -> Result<Page<MailItem>, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::invitations::outbox(&state, &viewer, cursor.as_deref()).await }).await
}
