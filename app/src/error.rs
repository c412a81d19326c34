//! The one error type of Lobby's server functions.
//!
//! Which variant to use:
//! - `Invalid`: the caller's input is wrong (the message says how to fix it) → 400.
//! - `Unauthenticated`: nobody is signed in → 401.
//! - `Forbidden`: signed in, but the role does not allow it → 403. `Refused` is the same
//!   with a reason the person can act on ("Invitation of External Users is turned off").
//! - `NotFound`: unknown id — also for ids of another organization or outside the
//!   caller's department scope, so their existence is not revealed → 404.
//! - `Conflict`: the data changed under the caller (already incorporated, email taken) → 409.
//! - `OverQuota`: the guest quota has no room for what was asked → 409.
//! - `TooManyAttempts`: sign-in throttling → 429, with how long to wait.
//! - `RateLimited`: too many of something else (resending an invitation, password checks
//!   while the server is busy) → 429, with how long to wait.
//! - `TooLarge`: the request body is over the limit → 413.
//! - `BadCredentials`: the one answer for an unknown email and a wrong password → 401.
//! - `Internal`: anything else. The cause is logged on the server; the person only sees
//!   a plain sentence → 500. Build it with [`AppError::internal`], never by sending a
//!   database error to the client.

use crate::domain::InvalidInput;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Invalid(String),
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You are not allowed to do this.")]
    Forbidden,
    /// Forbidden, with the reason the person can act on (e.g. invitations are turned off).
    #[error("{0}")]
    Refused(String),
    /// A full sentence, e.g. "This guest was not found."
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// The guest quota has no room; the message says how much is left.
    #[error("{0}")]
    OverQuota(String),
    #[error("Too many failed sign-ins. Try again in {} minute{}.", minutes(*retry_after_secs), if minutes(*retry_after_secs) == 1 { "" } else { "s" })]
    TooManyAttempts { retry_after_secs: i64 },
    /// Too many of something else; the message says what and when to try again.
    #[error("{message}")]
    RateLimited { message: String, retry_after_secs: i64 },
    #[error("The request is too large.")]
    TooLarge,
    #[error("The email or password is incorrect.")]
    BadCredentials,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    #[error("Lobby could not be reached. Check your connection and try again.")]
    Transport,
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 400,
            AppError::Unauthenticated | AppError::BadCredentials => 401,
            AppError::Forbidden | AppError::Refused(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) | AppError::OverQuota(_) => 409,
            AppError::TooManyAttempts { .. } | AppError::RateLimited { .. } => 429,
            AppError::TooLarge => 413,
            AppError::Internal | AppError::Transport => 500,
        }
    }

    /// Seconds to wait before trying again, for the `Retry-After` header.
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            AppError::TooManyAttempts { retry_after_secs } | AppError::RateLimited { retry_after_secs, .. } => {
                Some((*retry_after_secs).max(1))
            }
            _ => None,
        }
    }

    /// Logs the real cause and returns the plain `Internal` error.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, cause: impl std::fmt::Display) -> AppError {
        tracing::error!(%cause, "{context}");
        AppError::Internal
    }
}

impl AppError {
    /// An access rule's refusal: 403, or 404 with the sentence `not_found`.
    pub fn denied(d: crate::domain::access::Denied, not_found: &str) -> AppError {
        match d {
            crate::domain::access::Denied::Forbidden => AppError::Forbidden,
            crate::domain::access::Denied::NotFound => AppError::NotFound(not_found.to_string()),
        }
    }
}

/// Whole minutes to wait, rounded up, at least one.
fn minutes(secs: i64) -> i64 {
    ((secs + 59) / 60).max(1)
}

impl From<InvalidInput> for AppError {
    fn from(e: InvalidInput) -> Self {
        AppError::Invalid(e.0)
    }
}

impl From<crate::domain::quota::QuotaExceeded> for AppError {
    fn from(e: crate::domain::quota::QuotaExceeded) -> Self {
        AppError::OverQuota(e.to_string())
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Transport,
            ServerFnErrorErr::Args(m) => AppError::Invalid(format!("The request was malformed: {m}")),
            ServerFnErrorErr::MissingArg(m) => AppError::Invalid(format!("The request was malformed: missing {m}.")),
            // On the server this is a body (JSON arguments) that could not be decoded; in
            // the browser, an answer that could not be read.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(m) => AppError::Invalid(format!("The request was malformed: {m}")),
            #[cfg(not(feature = "ssr"))]
            ServerFnErrorErr::Deserialization(_) => AppError::Transport,
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failure");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_4xx_for_caller_errors() {
        assert_eq!(AppError::Invalid("x".into()).status(), 400);
        assert_eq!(AppError::Unauthenticated.status(), 401);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::NotFound("x".into()).status(), 404);
        assert_eq!(AppError::Conflict("x".into()).status(), 409);
        assert_eq!(AppError::TooManyAttempts { retry_after_secs: 60 }.status(), 429);
        assert_eq!(AppError::TooLarge.status(), 413);
        assert_eq!(AppError::Internal.status(), 500);
    }

    #[test]
    fn errors_round_trip_through_the_wire_encoding() {
        let e = AppError::NotFound("This guest was not found.".into());
        let bytes = e.ser();
        assert_eq!(AppError::de(bytes), e);
        assert_eq!(e.to_string(), "This guest was not found.");
    }

    #[test]
    fn a_locked_account_says_when_to_try_again() {
        let e = AppError::TooManyAttempts { retry_after_secs: 14 * 60 + 1 };
        assert_eq!(e.to_string(), "Too many failed sign-ins. Try again in 15 minutes.");
        assert_eq!(e.retry_after(), Some(14 * 60 + 1));
        assert_eq!(AppError::TooManyAttempts { retry_after_secs: 5 }.to_string(), "Too many failed sign-ins. Try again in 1 minute.");
        assert_eq!(AppError::Forbidden.retry_after(), None);
    }

    #[test]
    fn malformed_arguments_become_invalid_input() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("bad".into()));
        assert_eq!(e.status(), 400);
    }
}
