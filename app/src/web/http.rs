//! The axum application: Leptos pages and server functions behind the session layer,
//! the sign-in layer and a refusal of cross-origin writes (server functions have no
//! CSRF protection of their own; SameSite cookies plus this Origin check cover it).
//!
//! The boundary guarantees, for every request:
//! - a server function's body is at most [`SERVER_FN_BODY_LIMIT`] (413 above it), and
//!   its error answers carry the status of the error (400 for undecodable arguments,
//!   429 with `Retry-After`, …), never a 500 for the caller's mistake;
//! - every response carries `X-Frame-Options`, `Referrer-Policy`,
//!   `X-Content-Type-Options` and a `Content-Security-Policy` (pages get one with the
//!   nonce of their inline scripts, see [`page_csp`]; everything else a deny-all one).

use crate::auth::Backend;
use crate::data::DbError;
use crate::error::AppError;
use crate::web::session_store::LobbySessionStore;
use crate::web::state::AppState;
use crate::{shell, App};
use crate::service::guests::avatar;
use crate::auth::AuthSession;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Request};
use axum::routing::{get, post, MethodRouter};
use axum::Extension;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use axum_login::AuthManagerLayerBuilder;
use http::{header, HeaderValue, Method, StatusCode};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::services::fs::ServeFileSystemResponseBody;
use tower_http::services::ServeDir;
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// The largest body a server function accepts.
pub const SERVER_FN_BODY_LIMIT: usize = 1024 * 1024;
/// The largest avatar upload (the image itself is limited further by the domain).
pub const AVATAR_BODY_LIMIT: usize = 1024 * 1024;
/// The largest body of an attachment's upload: the file and its caption, with room for
/// the multipart framing (the file itself is limited by the domain).
pub const FILE_BODY_LIMIT: usize = crate::domain::messages::MAX_FILE_BYTES + 64 * 1024;
/// Where server functions live.
pub const SERVER_FN_PREFIX: &str = "/api/";

pub const SESSION_COOKIE: &str = "lobby_session";

#[derive(Clone, Debug, Default)]
pub struct HttpConfig {
    /// Mark the session cookie Secure (set when Lobby is served over HTTPS).
    pub secure_cookies: bool,
}

/// Builds the whole application. The session store is returned too, so `serve` can
/// sweep expired sessions in the background.
pub async fn router(
    state: AppState,
    leptos_options: LeptosOptions,
    cfg: HttpConfig,
) -> Result<(Router, LobbySessionStore), DbError> {
    let store = LobbySessionStore::connect(state.db.url()).await?;
    let sessions = SessionManagerLayer::new(store.clone())
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(cfg.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(12)));
    let auth = AuthManagerLayerBuilder::new(Backend { state: state.clone() }, sessions).build();

    let assets = assets_service(&leptos_options);
    let routes = generate_route_list(App);
    let ctx_state = state.clone();
    let api = crate::web::api_v1::router(state.clone());
    let mut app = Router::new();
    for (_, path, handler) in routes_table() {
        app = app.route(path, handler);
    }
    let app = app
        .leptos_routes_with_context(
            &leptos_options,
            routes,
            move || provide_context(ctx_state.clone()),
            {
                let o = leptos_options.clone();
                move || shell(o.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .nest_service(&format!("/{}", leptos_options.site_pkg_dir), assets)
        .layer(middleware::from_fn(crate::auth::record_last_seen))
        .layer(auth)
        .layer(Extension(state))
        .layer(middleware::from_fn(server_fn_boundary))
        .layer(middleware::from_fn(refuse_cross_origin))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DENY_ALL_CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        // Pages, server function answers and downloads, compressed by `Accept-Encoding`
        // (the bundle comes precompressed and passes through untouched; images do too).
        .layer(CompressionLayer::new())
        .with_state(leptos_options);
    // The JSON API: its own errors, no session, no cookie (see `api_v1`).
    let api = api
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DENY_ALL_CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    Ok((api.merge(app), store))
}

/// Whether the build named its bundle by content (cargo-leptos's `hash-files`): the
/// environment's `LEPTOS_HASH_FILES` when set, else whether the hash file lies beside
/// the running binary, as a release build leaves it.
pub fn hashed_assets(options: &LeptosOptions) -> bool {
    match std::env::var("LEPTOS_HASH_FILES") {
        Ok(v) => v.trim() == "true",
        Err(_) => std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
            .is_some_and(|p| p.exists()),
    }
}

/// `/pkg`: the bundle and its stylesheet, the `.br` or `.gz` file beside each one
/// answered for a browser that takes it. Named by content (hashed), a file never
/// changes, so browsers keep it a year without asking again; unhashed names (a
/// development build) are revalidated on every use.
/// A miss (an old page asking for a bundle since replaced) is never cached. Caches in
/// between keep one copy per `Accept-Encoding`.
fn assets_service(options: &LeptosOptions) -> SetResponseHeader<SetResponseHeader<ServeDir, CacheRule>, HeaderValue> {
    let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let rule: CacheRule = if options.hash_files { cache_for_good } else { cache_revalidated };
    let cached = SetResponseHeader::overriding(files, header::CACHE_CONTROL, rule);
    SetResponseHeader::appending(cached, header::VARY, HeaderValue::from_static("accept-encoding"))
}

type CacheRule = fn(&Response<ServeFileSystemResponseBody>) -> Option<HeaderValue>;

fn cache_for_good(r: &Response<ServeFileSystemResponseBody>) -> Option<HeaderValue> {
    Some(HeaderValue::from_static(if r.status().is_success() { "public, max-age=31536000, immutable" } else { "no-store" }))
}

fn cache_revalidated(r: &Response<ServeFileSystemResponseBody>) -> Option<HeaderValue> {
    Some(HeaderValue::from_static(if r.status().is_success() { "no-cache" } else { "no-store" }))
}

/// The axum routes besides the pages and the server functions: the one table the router
/// is built from, and that the access matrix test checks its own rows against.
fn routes_table() -> Vec<(Method, &'static str, MethodRouter<LeptosOptions>)> {
    vec![
        (Method::POST, "/guests/{id}/avatar", post(upload_avatar).layer(DefaultBodyLimit::max(AVATAR_BODY_LIMIT))),
        (Method::GET, "/avatars/{id}", get(download_avatar)),
        (Method::POST, "/conversations/{id}/files", post(upload_file).layer(DefaultBodyLimit::max(FILE_BODY_LIMIT))),
        (Method::GET, "/files/{id}", get(download_file)),
        (Method::GET, "/activity.csv", get(download_report_csv)),
        (Method::GET, "/guests/inventory.csv", get(download_inventory_csv)),
        (Method::GET, "/outbox/{id}/attachment", get(download_mail_attachment)),
    ]
}

/// The methods and paths of [`routes_table`].
pub fn extra_routes() -> Vec<(Method, &'static str)> {
    routes_table().into_iter().map(|(m, p, _)| (m, p)).collect()
}

/// The policy of everything that is not a page (server function answers, images,
/// files): nothing may run, and nothing may frame it.
const DENY_ALL_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The policy of a page: its own scripts and the inline ones carrying this response's
/// nonce (Leptos's hydration and streamed data), the WASM module, its own styles and
/// images; no framing, no plug-ins, forms post only here.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Called while a page renders on the server: sets its Content-Security-Policy with the
/// nonce Leptos gives this response's inline scripts.
pub fn set_page_csp() {
    if let (Some(nonce), Some(opts)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(v) = HeaderValue::from_str(&page_csp(&nonce)) {
            opts.insert_header(header::CONTENT_SECURITY_POLICY, v);
        }
    }
}

/// The server functions' side of the boundary: bodies over [`SERVER_FN_BODY_LIMIT`] get
/// 413 before any of them runs, and an error answer gets the status its [`AppError`]
/// says (server functions answer every error with 500 themselves, including arguments
/// that could not be decoded), with `Retry-After` when it says how long to wait.
async fn server_fn_boundary(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with(SERVER_FN_PREFIX) || req.uri().path().starts_with(crate::web::api_v1::PREFIX) {
        return next.run(req).await;
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > SERVER_FN_BODY_LIMIT as u64) {
        return error_response(&AppError::TooLarge);
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, SERVER_FN_BODY_LIMIT).await {
        Ok(b) => b,
        Err(e) if std::error::Error::source(&e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>()) => {
            return error_response(&AppError::TooLarge)
        }
        Err(_) => return error_response(&AppError::Invalid("The request body could not be read.".into())),
    };
    let res = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    if !(res.status().is_client_error() || res.status().is_server_error()) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return error_response(&AppError::Internal);
    };
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(secs) = e.retry_after() {
            parts.headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// An error as a server function would answer it.
fn error_response(e: &AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(e).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Refuses state-changing requests whose Origin is not this server, and requests a
/// browser marks as cross-site.
async fn refuse_cross_origin(req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) && is_cross_origin(&req) {
        tracing::warn!(uri = %req.uri(), "refused a cross-origin request");
        return (StatusCode::FORBIDDEN, "Cross-origin requests are refused.").into_response();
    }
    next.run(req).await
}

fn is_cross_origin(req: &Request) -> bool {
    let h = req.headers();
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
    if let Some(origin) = h.get(header::ORIGIN) {
        let origin_host = origin.to_str().ok().and_then(|o| o.split_once("://")).map(|(_, rest)| rest);
        return match (origin_host, host) {
            (Some(o), Some(h)) => !o.eq_ignore_ascii_case(h),
            _ => true,
        };
    }
    h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site")
}

/// The avatar form on a guest's page posts here; the answer sends the browser back to
/// that page, with the refusal's message when there is one.
async fn upload_avatar(
    session: AuthSession,
    Extension(state): Extension<AppState>,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Response {
    let Some(user) = session.user else {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/login".to_string())]).into_response();
    };
    let mut bytes = Vec::new();
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("avatar") => match field.bytes().await {
                Ok(b) => bytes = b.to_vec(),
                Err(_) => bytes.clear(),
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => {
                bytes.clear();
                break;
            }
        }
    }
    let back = format!("/guests/{id}");
    match avatar::set(&state, &user.viewer, id, &bytes).await {
        Ok(()) => (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response(),
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            if status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND {
                return (status, e.to_string()).into_response();
            }
            let to = format!("{back}?avatar_error={}", encode_query(&e.to_string()));
            (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
        }
    }
}

/// Serves an avatar only to someone who may see its person, with headers that keep a
/// browser from treating it as anything but an image.
async fn download_avatar(session: AuthSession, Extension(state): Extension<AppState>, Path(id): Path<i64>) -> Response {
    let Some(user) = session.user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    match avatar::get(&state, &user.viewer, id).await {
        Ok((content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox; frame-ancestors 'none'".to_string()),
                (header::CONTENT_DISPOSITION, "inline".to_string()),
                (header::CACHE_CONTROL, "private, max-age=300".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND), e.to_string()).into_response(),
    }
}

/// The console's attach form posts here (a `fetch` asking for JSON: the message sent, or
/// the error as a server function gives it); without script the browser is sent back to
/// the conversation, with the refusal's message when there is one.
async fn upload_file(
    session: AuthSession,
    Extension(state): Extension<AppState>,
    Path(id): Path<i64>,
    headers: http::HeaderMap,
    mut form: Multipart,
) -> Response {
    let wants_json = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"));
    let fail = |e: AppError| -> Response {
        if wants_json {
            return error_response(&e);
        }
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
        if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::NOT_FOUND | StatusCode::PAYLOAD_TOO_LARGE) {
            return (status, e.to_string()).into_response();
        }
        let to = format!("/conversations/{id}?error={}", encode_query(&e.to_string()));
        (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
    };
    let Some(user) = session.user else {
        if wants_json {
            return fail(AppError::Unauthenticated);
        }
        return (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/login?next=%2Fconversations%2F{id}"))]).into_response();
    };
    let (mut name, mut bytes, mut caption) = (String::new(), Vec::new(), String::new());
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let field_name = field.name().unwrap_or("").to_string();
                let file_name = field.file_name().map(str::to_string);
                match field.bytes().await {
                    Ok(b) if field_name == "file" => {
                        name = file_name.unwrap_or_default();
                        bytes = b.to_vec();
                    }
                    Ok(b) if field_name == "text" => caption = String::from_utf8_lossy(&b).into_owned(),
                    Ok(_) => {}
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return fail(AppError::TooLarge),
                    Err(_) => return fail(AppError::Invalid("The upload could not be read.".into())),
                }
            }
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return fail(AppError::TooLarge),
            Err(_) => return fail(AppError::Invalid("The upload could not be read.".into())),
        }
    }
    // The form without script (before hydration) posts text alone here too.
    let sent = if bytes.is_empty() && name.is_empty() && !caption.trim().is_empty() {
        crate::service::messages::send(&state, &user.viewer, id, &caption).await
    } else {
        let upload = crate::service::messages::Upload { name: &name, bytes: &bytes, caption: &caption };
        crate::service::messages::send_file(&state, &user.viewer, id, upload).await
    };
    match sent {
        Ok(m) if wants_json => (StatusCode::CREATED, [(header::CONTENT_TYPE, "application/json")], serde_json::to_vec(&m).unwrap_or_default()).into_response(),
        Ok(_) => (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/conversations/{id}"))]).into_response(),
        Err(e) => fail(e),
    }
}

/// Serves an attachment to the people of its conversation while File sharing allows it:
/// always as a download of the type its bytes showed, never rendered by the browser.
async fn download_file(session: AuthSession, Extension(state): Extension<AppState>, Path(id): Path<i64>) -> Response {
    let Some(user) = session.user else {
        return (StatusCode::UNAUTHORIZED, "Please sign in to continue.").into_response();
    };
    match crate::service::messages::download(&state, &user.viewer, id).await {
        Ok((name, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox; frame-ancestors 'none'".to_string()),
                (header::CONTENT_DISPOSITION, content_disposition(&name)),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND), e.to_string()).into_response(),
    }
}

/// `attachment` with the name as ASCII (others replaced) and in full as RFC 5987 UTF-8.
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", encode_query(name))
}

fn encode_query(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What the report's "Download CSV" link carries: the page's month and filters.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ReportCsvParams {
    #[serde(default)]
    month: String,
    #[serde(flatten)]
    filters: crate::domain::report::ReportFilters,
}

/// The Activity Report of a month as CSV, with the page's scope and filters, refused
/// like the page.
async fn download_report_csv(
    session: AuthSession,
    Extension(state): Extension<AppState>,
    params: Result<axum::extract::Query<ReportCsvParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Some(user) = session.user else {
        return (StatusCode::UNAUTHORIZED, "Please sign in to continue.").into_response();
    };
    let Ok(axum::extract::Query(params)) = params else {
        return (StatusCode::BAD_REQUEST, "The report's filters could not be read.").into_response();
    };
    let export = crate::service::report::csv_export(&state, &user.viewer, &params.month, &params.filters).await;
    csv_download(export.map(crate::service::csv::Export::Report))
}

#[derive(serde::Deserialize)]
pub struct InventoryCsvParams {
    #[serde(default)]
    sort: String,
    #[serde(default)]
    dir: String,
    #[serde(flatten)]
    filters: crate::domain::inventory::InventoryFilters,
}

/// The guest inventory as CSV: exactly the rows the page shows with the same filters
/// and order, refused like the page.
async fn download_inventory_csv(
    session: AuthSession,
    Extension(state): Extension<AppState>,
    params: Result<axum::extract::Query<InventoryCsvParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Some(user) = session.user else {
        return (StatusCode::UNAUTHORIZED, "Please sign in to continue.").into_response();
    };
    let Ok(axum::extract::Query(params)) = params else {
        return (StatusCode::BAD_REQUEST, "The inventory's filters could not be read.").into_response();
    };
    let export = crate::service::inventory::csv_export(&state, &user.viewer, &params.sort, &params.dir, &params.filters).await;
    csv_download(export.map(crate::service::csv::Export::Inventory))
}

/// A CSV download, written as it is read a batch at a time (so one of any length holds
/// one batch in memory); a refusal answers with its status and message.
fn csv_download(export: Result<crate::service::csv::Export, crate::error::AppError>) -> Response {
    match export {
        Ok(e) => csv_body(e),
        Err(e) => (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST), e.to_string()).into_response(),
    }
}

/// A CSV export as a download (the console's and the JSON API's).
pub fn csv_body(export: crate::service::csv::Export) -> Response {
    let name = export.file_name();
    // Fused: the compression layer polls a body once more after its end, which an
    // unfused `unfold` answers with a panic.
    let stream = futures::StreamExt::fuse(futures::stream::unfold(Some(export), |export| async move {
        let mut export = export?;
        match export.next_chunk().await {
            Ok(Some(bytes)) => Some((Ok::<_, std::io::Error>(bytes), Some(export))),
            Ok(None) => None,
            Err(e) => {
                tracing::error!(error = %e, "writing a CSV download");
                Some((Err(std::io::Error::other("the download could not be read")), None))
            }
        }
    }));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, content_disposition(&name)),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// The file sent with a mail of the outbox (the monthly report's CSV), to the Company
/// Admins who read the outbox.
async fn download_mail_attachment(session: AuthSession, Extension(state): Extension<AppState>, Path(id): Path<i64>) -> Response {
    let Some(user) = session.user else {
        return (StatusCode::UNAUTHORIZED, "Please sign in to continue.").into_response();
    };
    match crate::service::invitations::outbox::attachment(&state, &user.viewer, id).await {
        Ok((name, bytes)) => {
            (
                [
                    (header::CONTENT_TYPE, crate::mail::attachment_type(&name).to_string()),
                    (header::CONTENT_DISPOSITION, content_disposition(&name)),
                    (header::CACHE_CONTROL, "private, no-store".to_string()),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND), e.to_string()).into_response(),
    }
}
