//! The JSON API's errors and extractors: every refusal is an RFC 9457
//! `application/problem+json` body with a stable `type`, a `title` and a `detail` a
//! person can act on — never internals. The extractors wrap axum's so that a malformed
//! body, query or path gets such an answer too (400 malformed, 415 not JSON, 413 too
//! large, 422 well-formed but invalid) instead of axum's plain text.

use crate::error::AppError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use http::{header, HeaderValue, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// An RFC 9457 problem.
#[derive(Clone, Debug, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Problem {
    /// A stable identifier of the kind of problem, e.g. `urn:lobby:problem:not-found`.
    #[serde(rename = "type")]
    #[schema(example = "urn:lobby:problem:not-found")]
    pub kind: String,
    /// The kind of problem in words (the same for every problem of its `type`).
    #[schema(example = "Not found")]
    pub title: String,
    /// The HTTP status.
    #[schema(example = 404)]
    pub status: u16,
    /// What went wrong this time and, where it helps, what to do.
    #[schema(example = "This guest was not found.")]
    pub detail: String,
}

/// The errors any operation may answer.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum Errors {
    #[response(status = 400, description = "Malformed request", content_type = "application/problem+json")]
    Malformed(Problem),
    #[response(status = 401, description = "Missing, unknown, revoked or expired token", content_type = "application/problem+json")]
    Unauthenticated(Problem),
    #[response(status = 403, description = "The token or its owner may not do this", content_type = "application/problem+json")]
    Forbidden(Problem),
    #[response(status = 404, description = "Unknown, or outside the owner's scope", content_type = "application/problem+json")]
    NotFound(Problem),
    #[response(status = 409, description = "Conflict with the current state", content_type = "application/problem+json")]
    Conflict(Problem),
    #[response(status = 413, description = "Body too large", content_type = "application/problem+json")]
    TooLarge(Problem),
    #[response(status = 415, description = "Body not JSON", content_type = "application/problem+json")]
    Unsupported(Problem),
    #[response(status = 422, description = "Invalid input", content_type = "application/problem+json")]
    Invalid(Problem),
    #[response(status = 429, description = "Rate limited (see Retry-After)", content_type = "application/problem+json")]
    RateLimited(Problem),
}

/// An error answer of the API.
#[derive(Clone, Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub slug: &'static str,
    pub title: &'static str,
    pub detail: String,
    pub retry_after: Option<i64>,
}

impl ApiError {
    pub fn new(status: StatusCode, slug: &'static str, title: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError { status, slug, title, detail: detail.into(), retry_after: None }
    }

    pub fn malformed(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed-request", "Malformed request", detail)
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not-found", "Not found", "There is nothing at this address of the API.")
    }

    pub fn method_not_allowed() -> ApiError {
        ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", "This address does not take this method.")
    }

    pub fn rate_limited(wait_secs: u64) -> ApiError {
        ApiError {
            retry_after: Some(wait_secs.max(1) as i64),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate-limited", "Too many requests", "This token made too many requests. Wait, then try again.")
        }
    }

    pub fn problem(&self) -> Problem {
        Problem { kind: format!("urn:lobby:problem:{}", self.slug), title: self.title.to_string(), status: self.status.as_u16(), detail: self.detail.clone() }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        let detail = e.to_string();
        let (status, slug, title) = match &e {
            AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid-input", "Invalid input"),
            AppError::Unauthenticated | AppError::BadCredentials => (StatusCode::UNAUTHORIZED, "unauthenticated", "Missing or bad token"),
            AppError::Forbidden | AppError::Refused(_) => (StatusCode::FORBIDDEN, "forbidden", "Not allowed"),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict", "Conflict"),
            AppError::OverQuota(_) => (StatusCode::CONFLICT, "over-quota", "Over the guest quota"),
            AppError::TooManyAttempts { .. } | AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate-limited", "Too many requests"),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too-large", "Request too large"),
            AppError::Internal | AppError::Transport => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal error"),
        };
        let detail = match e {
            AppError::Unauthenticated | AppError::BadCredentials => {
                "Send a live API token as \"Authorization: Bearer lobby_…\" (Settings → API tokens).".to_string()
            }
            _ => detail,
        };
        ApiError { status, slug, title, detail, retry_after: e.retry_after() }
    }
}

impl From<crate::data::DbError> for ApiError {
    fn from(e: crate::data::DbError) -> ApiError {
        ApiError::from(AppError::from(e))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut res = (self.status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"))], body).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"lobby\""));
        }
        if let Some(secs) = self.retry_after {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

/// A JSON body, refused as a problem when it is not one.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(r: JsonRejection) -> ApiError {
    match r.status() {
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            "Send the body as JSON, with \"Content-Type: application/json\".",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::from(AppError::TooLarge),
        StatusCode::UNPROCESSABLE_ENTITY => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-input", "Invalid input", clip(&r.body_text())),
        _ => ApiError::malformed(clip(&r.body_text())),
    }
}

/// serde's message, without the prefix axum adds, at most 300 characters.
fn clip(text: &str) -> String {
    let t = text.split_once(": ").map(|(_, rest)| rest).unwrap_or(text);
    t.chars().take(300).collect()
}

/// Query parameters, refused as a problem when they do not parse.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(r) => Err(query_rejection(r)),
        }
    }
}

fn query_rejection(r: QueryRejection) -> ApiError {
    ApiError::malformed(clip(&r.body_text()))
}

/// Path parameters (ids), refused as a problem when they do not parse.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(r) => Err(path_rejection(r)),
        }
    }
}

fn path_rejection(r: PathRejection) -> ApiError {
    ApiError::malformed(clip(&r.body_text()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_becomes_a_problem_with_its_status_and_no_internals() {
        let cases = [
            (AppError::Invalid("Enter an email.".into()), 422, "invalid-input"),
            (AppError::Unauthenticated, 401, "unauthenticated"),
            (AppError::Forbidden, 403, "forbidden"),
            (AppError::NotFound("This guest was not found.".into()), 404, "not-found"),
            (AppError::Conflict("Already revoked.".into()), 409, "conflict"),
            (AppError::OverQuota("No room.".into()), 409, "over-quota"),
            (AppError::RateLimited { message: "Slow down.".into(), retry_after_secs: 30 }, 429, "rate-limited"),
            (AppError::TooLarge, 413, "too-large"),
            (AppError::Internal, 500, "internal"),
        ];
        for (e, status, slug) in cases {
            let p = ApiError::from(e.clone());
            assert_eq!((p.status.as_u16(), p.slug), (status, slug), "{e:?}");
            let problem = p.problem();
            assert_eq!(problem.kind, format!("urn:lobby:problem:{slug}"));
            assert_eq!(problem.status, status);
            assert!(!problem.detail.is_empty() && !problem.title.is_empty());
        }
        let limited = ApiError::from(AppError::RateLimited { message: "x".into(), retry_after_secs: 30 }).into_response();
        assert_eq!(limited.headers()[header::RETRY_AFTER], "30");
        let unauth = ApiError::from(AppError::Unauthenticated).into_response();
        assert_eq!(unauth.headers()[header::WWW_AUTHENTICATE], "Bearer realm=\"lobby\"");
        assert_eq!(unauth.headers()[header::CONTENT_TYPE], "application/problem+json");
    }
}
