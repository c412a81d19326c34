//! The plumbing between a request and the service layer, read top to bottom:
//! - [`http`]: the axum router, its middleware (body limits, error statuses, security
//!   headers, sessions) and the routes that are not server functions;
//! - [`session_store`]: where sessions live (the same database, either backend);
//! - [`state`]: what every handler, server function and job shares (database, clock,
//!   configuration, mailer), handed over through Leptos context, never a global.

pub mod api_v1;
pub mod http;
pub mod session_store;
pub mod state;
