//! `/api/v1/tokens`: API tokens. Listing, making and revoking tokens needs the
//! manage_settings scope (a Company Admin's); any token may revoke itself.

use super::problem::{ApiError, ApiJson, ApiPath, Errors};
use super::{time, ApiResult, Caller};
use crate::domain::api_token::Scope;
use crate::model::api_tokens::{NewTokenInput, TokenInfo};
use crate::service::api_tokens as service;
use crate::web::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A token (never its secret).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Token {
    pub id: i64,
    pub name: String,
    /// The secret's first characters.
    pub hint: String,
    pub owner_email: String,
    pub scopes: Vec<Scope>,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
    pub last_used_from: Option<String>,
}

impl From<TokenInfo> for Token {
    fn from(t: TokenInfo) -> Self {
        Token {
            id: t.id,
            name: t.name,
            hint: t.hint,
            owner_email: t.owner_email,
            scopes: t.scopes,
            created_at: time(t.created_at),
            expires_at: time(t.expires_at),
            revoked_at: t.revoked_at.map(time),
            last_used_at: t.last_used_at.map(time),
            last_used_from: t.last_used_from,
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<Token>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub name: String,
    pub scopes: Vec<Scope>,
    /// Days until it expires, 1 to 365.
    #[schema(minimum = 1, maximum = 365)]
    pub days: i64,
}

/// A new token: its secret, shown this once.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    pub token: Token,
    pub secret: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Revoked {
    pub revoked: bool,
}

/// List tokens
///
/// The organization's tokens (revoked and expired ones for 30 days). Scope: manage_settings.
#[utoipa::path(operation_id = "list_tokens", get, path = "/api/v1/tokens", tag = "Tokens", security(("bearer" = [])),
    responses((status = 200, description = "The tokens", body = TokenList), Errors))]
pub async fn list(State(state): State<AppState>, Caller(c): Caller) -> ApiResult<TokenList> {
    let viewer = c.with(Scope::ManageSettings)?;
    Ok(Json(TokenList { items: service::list(&state, viewer).await?.into_iter().map(Token::from).collect() }))
}

/// Make a token
///
/// Owned by the calling token's owner, with at most the scopes they may grant.
/// Scope: manage_settings.
#[utoipa::path(operation_id = "create_token", post, path = "/api/v1/tokens", tag = "Tokens", request_body = NewToken, security(("bearer" = [])),
    responses((status = 201, description = "The token and its secret", body = CreatedToken), Errors))]
pub async fn create(State(state): State<AppState>, Caller(c): Caller, ApiJson(b): ApiJson<NewToken>) -> Result<(http::StatusCode, Json<CreatedToken>), ApiError> {
    let viewer = c.with(Scope::ManageSettings)?;
    let input = NewTokenInput { name: b.name, scopes: b.scopes, days: b.days };
    let made = service::create(&state, viewer, input).await?;
    Ok((http::StatusCode::CREATED, Json(CreatedToken { token: made.token.into(), secret: made.secret })))
}

/// Revoke a token
///
/// Scope: manage_settings.
#[utoipa::path(operation_id = "revoke_token", delete, path = "/api/v1/tokens/{id}", tag = "Tokens", params(("id" = i64, Path, description = "The token's id")), security(("bearer" = [])),
    responses((status = 200, description = "Revoked", body = Revoked), Errors))]
pub async fn revoke(State(state): State<AppState>, Caller(c): Caller, ApiPath(id): ApiPath<i64>) -> ApiResult<Revoked> {
    let viewer = c.with(Scope::ManageSettings)?;
    service::revoke(&state, viewer, id).await?;
    Ok(Json(Revoked { revoked: true }))
}

/// Revoke this token
///
/// The token of this request stops working at once. Any scope.
#[utoipa::path(operation_id = "revoke_current_token", delete, path = "/api/v1/tokens/current", tag = "Tokens", security(("bearer" = [])),
    responses((status = 200, description = "Revoked", body = Revoked), Errors))]
pub async fn revoke_current(State(state): State<AppState>, Caller(c): Caller) -> ApiResult<Revoked> {
    service::revoke_current(&state, &c).await?;
    Ok(Json(Revoked { revoked: true }))
}
