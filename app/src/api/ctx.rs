//! The one way a server function reaches the service layer: the shared state, the
//! signed-in viewer ([`for_viewer`]) or nobody in particular ([`for_anyone`]), a new
//! session ([`start_session`]), and the error's HTTP status on the response.

use crate::auth::AuthSession;
use crate::domain::Viewer;
use crate::error::AppError;
use crate::web::state::AppState;
use axum::extract::ConnectInfo;
use std::net::SocketAddr;

pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| AppError::internal("server function", "AppState missing from context"))
}

pub async fn auth_session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>()
        .await
        .map_err(|e| AppError::internal("reading the session", e))
}

/// The signed-in viewer, or `Unauthenticated`. The session layer has already checked
/// that the person is active, not expired, and that the session epoch matches.
pub async fn signed_in() -> Result<(AppState, Viewer), AppError> {
    let state = app_state()?;
    let session = auth_session().await?;
    match session.user {
        Some(u) => Ok((state, u.viewer)),
        None => Err(AppError::Unauthenticated),
    }
}

/// The client's address for throttling (the socket peer).
pub async fn client_address() -> String {
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map(|ConnectInfo(a)| a.ip().to_string())
        .unwrap_or_else(|_| "unknown".to_string())
}

/// Sets the response status from the error, so an API caller sees a 4xx for its own
/// mistakes and a 5xx only for ours.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            opts.set_status(http::StatusCode::from_u16(e.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
        }
    }
    result
}

/// Runs a use case for the signed-in viewer (401 when nobody is signed in), with the
/// response status taken from its error.
pub async fn for_viewer<T, F, Fut>(f: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, Viewer) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    respond(
        async {
            let (state, viewer) = signed_in().await?;
            f(state, viewer).await
        }
        .await,
    )
}

/// Runs a use case open to anonymous callers (its arguments carry the credential, e.g.
/// an invitation token), with the response status taken from its error.
pub async fn for_anyone<T, F, Fut>(f: F) -> Result<T, AppError>
where
    F: FnOnce(AppState) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    respond(
        async {
            let state = app_state()?;
            f(state).await
        }
        .await,
    )
}

/// Signs `user` in on this request: a new session id (no fixation, even over an existing
/// session), the session itself, and the last sign-in recorded. Returns their home page.
pub async fn start_session(state: &AppState, user: &crate::auth::SessionUser) -> Result<&'static str, AppError> {
    let mut session = auth_session().await?;
    session.session.cycle_id().await.map_err(|e| AppError::internal("renewing the session id", e))?;
    session.login(user).await.map_err(|e| AppError::internal("starting a session", e))?;
    if let Err(e) = crate::auth::note_seen(state, &session.session, user.viewer.id, true).await {
        tracing::warn!(error = %e, "recording a sign-in");
    }
    Ok(user.viewer.navigation().first().map(|n| n.path()).unwrap_or("/"))
}
