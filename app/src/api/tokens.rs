//! Settings → API tokens: the tokens the viewer sees (a Company Admin all of the
//! organization's, a Department Admin their own), a new token (its secret in the answer
//! and nowhere else), and revocation. Admins only; the service checks it.

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::api_tokens::*;

#[server(endpoint = "api_tokens")]
pub async fn api_tokens() -> Result<TokensView, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::api_tokens::view(&state, &viewer).await }).await
}

#[server(endpoint = "create_api_token", input = server_fn::codec::Json)]
pub async fn create_api_token(input: NewTokenInput) -> Result<CreatedToken, AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::api_tokens::create(&state, &viewer, input).await }).await
}

#[server(endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    use super::ctx::*;
    for_viewer(|state, viewer| async move { crate::service::api_tokens::revoke(&state, &viewer, id).await }).await
}
