//! The thin JSON API (F-API) under `/api/v1`: each handler reads its input, checks the
//! token's scope, and calls the same service function as the console's server function,
//! so the API can never do what the console may not. The OpenAPI document is generated
//! from these handlers and types (utoipa) and served at `/api/v1/openapi.json`; a plain
//! HTML reference made from it at `/api/docs` (no script, nothing fetched).
//!
//! Only `Authorization: Bearer lobby_…` is read here — no cookie, so no CSRF — and tokens
//! are not accepted by the console's server functions. Each token has its own rate
//! limit on each server ([`Config::api_rate_per_second`], [`Config::api_burst`]).
//!
//! [`Config::api_rate_per_second`]: crate::web::state::Config::api_rate_per_second
//! [`Config::api_burst`]: crate::web::state::Config::api_burst

pub mod guests;
pub mod invitations;
pub mod policy;
pub mod projects;
pub mod reports;
pub mod problem;
pub mod settings;
pub mod structure;
pub mod tokens;

use crate::service::api_tokens::{self, ApiCaller};
use crate::web::state::AppState;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Request};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Json, Router};
use http::request::Parts;
use http::{header, StatusCode};
use problem::{ApiError, Problem};
use std::net::SocketAddr;
use std::sync::Arc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";
/// The largest request body.
pub const BODY_LIMIT: usize = 256 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lobby API",
        version = "1",
        description = "The JSON API of Lobby, the console in which an organization manages its guests. Every request carries an API token (Settings → API tokens) as `Authorization: Bearer lobby_…`; a token acts as its owner, within its scopes. Errors are `application/problem+json` (RFC 9457)."
    ),
    modifiers(&BearerScheme),
    components(schemas(Problem)),
    tags(
        (name = "Guests", description = "The Guests list, within the token owner's scope"),
        (name = "Invitations", description = "Inviting guests and members"),
        (name = "Departments and groups", description = "Groups and Departments, as the admin page has them"),
        (name = "Projects", description = "The projects guests are invited into"),
        (name = "Reports", description = "The Activity Report and the guest inventory, as JSON and CSV"),
        (name = "Settings", description = "The organization's settings and the Guest Profile (Company Admins)"),
        (name = "Policy", description = "What a person may do with whom, and whom they see (for messenger clients)"),
        (name = "Tokens", description = "API tokens"),
    )
)]
struct ApiDoc;

struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("lobby_…").build()));
    }
}

/// The routes and their document.
fn parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (routes, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(guests::list))
        .routes(routes!(guests::count))
        .routes(routes!(guests::search))
        .routes(routes!(guests::get, guests::update, guests::delete))
        .routes(routes!(guests::set_expiry))
        .routes(routes!(guests::set_expiry_bulk))
        .routes(routes!(guests::incorporate))
        .routes(routes!(guests::delete_bulk))
        .routes(routes!(guests::add_to_project, guests::remove_from_project))
        .routes(routes!(invitations::list, invitations::create))
        .routes(routes!(invitations::get, invitations::revoke))
        .routes(routes!(invitations::resend))
        .routes(routes!(structure::list, structure::create))
        .routes(routes!(structure::get, structure::update, structure::delete))
        .routes(routes!(structure::move_person))
        .routes(routes!(structure::group))
        .routes(routes!(structure::add_members))
        .routes(routes!(structure::remove_member))
        .routes(routes!(projects::list, projects::create))
        .routes(routes!(projects::get, projects::update))
        .routes(routes!(reports::activity))
        .routes(routes!(reports::activity_csv))
        .routes(routes!(reports::inventory))
        .routes(routes!(reports::inventory_csv))
        .routes(routes!(settings::get, settings::update))
        .routes(routes!(settings::authorize))
        .routes(routes!(policy::ask))
        .routes(routes!(policy::directory))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke_current))
        .routes(routes!(tokens::revoke))
        .split_for_parts();
    (routes, doc)
}

/// The OpenAPI links between operations: where an answer's id goes next (a client's
/// map of the API, and the fuzzer's stateful phase: invitation create → get → resend →
/// revoke, guest list → get → rename → delete, and the same for projects and departments).
const LINKS: &[(&str, &str, &str, &str)] = &[
    // (from operation, its status, to operation, where the `id` comes from)
    ("create_invitations", "201", "get_invitation", "$response.body#/items/0/id"),
    ("create_invitations", "201", "resend_invitation", "$response.body#/items/0/id"),
    ("create_invitations", "201", "revoke_invitation", "$response.body#/items/0/id"),
    ("get_invitation", "200", "resend_invitation", "$response.body#/id"),
    ("get_invitation", "200", "revoke_invitation", "$response.body#/id"),
    ("list_invitations", "200", "get_invitation", "$response.body#/items/0/id"),
    ("list_guests", "200", "get_guest", "$response.body#/items/0/id"),
    ("search_guests", "200", "get_guest", "$response.body#/items/0/id"),
    ("get_guest", "200", "rename_guest", "$response.body#/id"),
    ("get_guest", "200", "set_guest_expiry", "$response.body#/id"),
    ("get_guest", "200", "delete_guest", "$response.body#/id"),
    ("rename_guest", "200", "get_guest", "$response.body#/id"),
    ("rename_guest", "200", "delete_guest", "$response.body#/id"),
    ("list_projects", "200", "get_project", "$response.body#/items/0/id"),
    ("create_project", "201", "get_project", "$response.body#/project/id"),
    ("create_project", "201", "update_project", "$response.body#/project/id"),
    ("list_departments", "200", "get_department", "$response.body#/departments/0/id"),
    ("create_department", "201", "get_department", "$response.body#/id"),
    ("create_department", "201", "update_department", "$response.body#/id"),
    ("create_department", "201", "delete_department", "$response.body#/id"),
    ("list_tokens", "200", "revoke_token", "$response.body#/items/0/id"),
];

/// The document as JSON, with [`LINKS`] (added here: utoipa 5.5 writes a link's
/// `operationId` as `operation_id`, which no client reads).
fn with_links(doc: &utoipa::openapi::OpenApi) -> serde_json::Value {
    let mut json = serde_json::to_value(doc).unwrap_or_default();
    let mut at: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for (path, item) in json["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if let Some(id) = op["operationId"].as_str() {
                at.insert(id.to_string(), format!("/paths/{}/{method}", path.replace('~', "~0").replace('/', "~1")));
            }
        }
    }
    for (from, status, to, id) in LINKS {
        let pointer = at.get(*from).unwrap_or_else(|| panic!("link from unknown operation {from}"));
        let response = json
            .pointer_mut(&format!("{pointer}/responses/{status}"))
            .and_then(|r| r.as_object_mut())
            .unwrap_or_else(|| panic!("link from {from} {status}: no such response"));
        let links = response.entry("links").or_insert_with(|| serde_json::json!({}));
        links[*to] = serde_json::json!({"operationId": to, "parameters": {"id": id}});
    }
    json
}

/// The OpenAPI document (the snapshot test and `/api/v1/openapi.json`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    parts().1
}

/// The document as `/api/v1/openapi.json` serves it: [`openapi`] with its links.
pub fn openapi_json() -> serde_json::Value {
    with_links(&parts().1)
}

#[cfg(test)]
mod tests {
    /// Every link names an operation there is, and the path parameter it fills.
    #[test]
    fn links_lead_to_operations_that_take_an_id() {
        let json = super::openapi_json();
        let mut seen = 0;
        for (path, item) in json["paths"].as_object().unwrap() {
            for op in item.as_object().unwrap().values() {
                for response in op["responses"].as_object().into_iter().flat_map(|r| r.values()) {
                    for (_, link) in response["links"].as_object().into_iter().flatten() {
                        let to = link["operationId"].as_str().unwrap();
                        let target = json["paths"].as_object().unwrap().iter().find(|(_, i)| i.as_object().unwrap().values().any(|o| o["operationId"] == to));
                        let (target_path, _) = target.unwrap_or_else(|| panic!("{path}: link to unknown {to}"));
                        assert!(target_path.contains("{id}"), "{to} takes no id");
                        seen += 1;
                    }
                }
            }
        }
        assert_eq!(seen, super::LINKS.len());
    }
}

/// Every operation of the API: method and path (the access matrix's rows).
pub fn operations() -> Vec<(String, String)> {
    let doc = openapi();
    let mut out = Vec::new();
    for (path, item) in &doc.paths.paths {
        for (method, op) in [("GET", &item.get), ("POST", &item.post), ("PUT", &item.put), ("PATCH", &item.patch), ("DELETE", &item.delete)] {
            if op.is_some() {
                out.push((method.to_string(), path.clone()));
            }
        }
    }
    out
}

/// The API's router: its routes, the document, the reference page, the JSON 404 for
/// unknown paths under `/api/v1`, the body limit and the per-token rate limit.
pub fn router(state: AppState) -> Router {
    let (routes, doc) = parts();
    let doc = Arc::new(doc);
    let json = serde_json::to_vec_pretty(&with_links(&doc)).unwrap_or_default();
    let page = docs_page(&doc);
    let cfg = &state.config;
    let nanos_per_request = 1_000_000_000 / cfg.api_rate_per_second.max(1);
    let governor = tower_governor::governor::GovernorConfigBuilder::default()
        .per_nanosecond(nanos_per_request)
        .burst_size(cfg.api_burst.max(1))
        .key_extractor(BearerKey)
        .finish()
        .expect("a rate above zero and a burst above zero");
    let limiter = tower_governor::GovernorLayer::new(Arc::new(governor)).error_handler(|e| match e {
        tower_governor::GovernorError::TooManyRequests { wait_time, .. } => ApiError::rate_limited(wait_time).into_response(),
        _ => ApiError::malformed("The request could not be read.").into_response(),
    });
    let api = routes
        .route(&format!("{PREFIX}/{{*rest}}"), any(|| async { ApiError::not_found() }))
        .route(PREFIX, any(|| async { ApiError::not_found() }))
        .layer(limiter)
        .route(&format!("{PREFIX}/openapi.json"), axum::routing::get(move || async move { ([(header::CONTENT_TYPE, "application/json")], json.clone()) }))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(bare_errors_as_problems))
        .with_state(state);
    Router::new()
        .route(
            "/api/docs",
            axum::routing::get(move || async move {
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CONTENT_SECURITY_POLICY, DOCS_CSP)],
                    page.clone(),
                )
            }),
        )
        .merge(api)
}

/// The reference page's policy: its own inline styles, nothing else.
const DOCS_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// axum answers a method a path does not take (405) and a body over the limit (413)
/// with an empty or plain body; under `/api/v1` they become problems too.
async fn bare_errors_as_problems(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_problem = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if is_problem || !(res.status().is_client_error() || res.status().is_server_error()) {
        return res;
    }
    let problem = match res.status() {
        StatusCode::METHOD_NOT_ALLOWED => ApiError::method_not_allowed(),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::from(crate::error::AppError::TooLarge),
        StatusCode::NOT_FOUND => ApiError::not_found(),
        s if s.is_server_error() => {
            tracing::error!(status = %s, "an API request failed without a problem body");
            ApiError::from(crate::error::AppError::Internal)
        }
        s => ApiError::new(s, "malformed-request", "Malformed request", "The request could not be read."),
    };
    let allow = res.headers().get(header::ALLOW).cloned();
    let mut out = problem.into_response();
    if let Some(a) = allow {
        out.headers_mut().insert(header::ALLOW, a);
    }
    out
}

/// The rate limit's key: the presented token (or none).
#[derive(Clone)]
struct BearerKey;

impl tower_governor::key_extractor::KeyExtractor for BearerKey {
    type Key = String;

    fn extract<T>(&self, req: &http::Request<T>) -> Result<String, tower_governor::GovernorError> {
        Ok(bearer(req.headers()).unwrap_or("").chars().take(128).collect())
    }
}

fn bearer(headers: &http::HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The caller of an API request: its token checked, its owner loaded as they are now.
pub struct Caller(pub ApiCaller);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(token) = bearer(&parts.headers) else {
            return Err(ApiError::from(crate::error::AppError::Unauthenticated));
        };
        let from = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "unknown".into());
        Ok(Caller(api_tokens::authenticate(state, token, &from).await?))
    }
}

/// A JSON answer.
pub type ApiResult<T> = Result<Json<T>, ApiError>;

/// A moment as the API writes it: RFC 3339, UTC, to the millisecond.
pub fn time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)).unwrap_or_default()
}

/// A moment as the API reads it (RFC 3339), or why not.
pub fn parse_time(name: &str, s: &str) -> Result<i64, ApiError> {
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .map(|d| d.timestamp_millis())
        .map_err(|_| ApiError::from(crate::error::AppError::Invalid(format!("{name} is a date and time like 2026-12-31T23:59:59Z."))))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The human reference: every operation with its method, path, summary and scope, made
/// from the document on the server.
fn docs_page(doc: &utoipa::openapi::OpenApi) -> String {
    let mut rows = String::new();
    for (path, item) in &doc.paths.paths {
        for (method, op) in [("GET", &item.get), ("POST", &item.post), ("PUT", &item.put), ("PATCH", &item.patch), ("DELETE", &item.delete)] {
            let Some(op) = op else { continue };
            let summary = op.summary.clone().unwrap_or_default();
            let description = op.description.clone().unwrap_or_default();
            let tag = op.tags.as_ref().and_then(|t| t.first().cloned()).unwrap_or_default();
            rows.push_str(&format!(
                "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td><strong>{}</strong><br><span>{}</span></td></tr>\n",
                escape(&tag),
                method,
                escape(path),
                escape(&summary),
                escape(&description)
            ));
        }
    }
    let intro = doc.info.description.clone().unwrap_or_default();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Lobby API reference</title><style>body{{font:15px/1.5 system-ui,sans-serif;margin:1rem auto;max-width:70rem;padding:0 1rem;color:#1c2430}}\
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #d5dbe3;padding:.4rem;text-align:left;vertical-align:top}}\
code{{font-size:.9em;overflow-wrap:anywhere}}span{{color:#4a5565}}@media (max-width:40rem){{td,th{{display:block}}tr{{display:block;border-bottom:2px solid #b8c0cc}}thead{{display:none}}}}</style></head>\
<body><main><h1>Lobby API reference</h1><p>{}</p><p>The machine-readable document: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>\
<table aria-label=\"Operations\"><thead><tr><th scope=\"col\">Area</th><th scope=\"col\">Method</th><th scope=\"col\">Path</th><th scope=\"col\">What it does</th></tr></thead><tbody>\n{}</tbody></table></main></body></html>",
        escape(&intro),
        rows
    )
}
