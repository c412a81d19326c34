//! Signing in and out, and who is signed in.

use crate::domain::Viewer;
use crate::error::AppError;
use leptos::prelude::*;

/// Signs in with email and password, then opens `next` (a page of this site the person
/// was sent from) or their home page. The only server function open to anonymous callers.
#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String, #[server(default)] next: Option<String>) -> Result<(), AppError> {
    use super::ctx::*;
    for_anyone(|state| async move {
        let attempt = crate::auth::SignInAttempt { email, password, address: client_address().await };
        let user = crate::auth::check_sign_in(&state, &attempt).await?;
        let home = start_session(&state, &user).await?;
        leptos_axum::redirect(next.as_deref().and_then(crate::domain::links::return_path).unwrap_or(home));
        Ok(())
    })
    .await
}

/// Ends the session on the server: its record is deleted, so the old cookie is useless.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use super::ctx::*;
    respond(
        async {
            let mut session = auth_session().await?;
            if session.user.is_none() {
                return Err(AppError::Unauthenticated);
            }
            session.logout().await.map_err(|e| AppError::internal("ending a session", e))?;
            leptos_axum::redirect("/login");
            Ok(())
        }
        .await,
    )
}

/// The signed-in person.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Viewer, AppError> {
    use super::ctx::*;
    for_viewer(|_, viewer| async move { Ok(viewer) }).await
}
