//! Helpers for server functions: the shared state, the signed-in viewer, and turning an
//! error into the right HTTP status.

use crate::auth::AuthSession;
use crate::domain::Viewer;
use crate::error::AppError;
use crate::state::AppState;
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
