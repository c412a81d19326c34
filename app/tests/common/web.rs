//! Driving the whole axum application in-process with real HTTP requests: the router
//! as `lobby serve` builds it, a same-origin browser's headers, session cookies.

use super::TestApp;
use axum::body::Body;
use axum::Router;
use http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const ORIGIN: &str = "http://127.0.0.1:3000";

pub async fn app(t: &TestApp) -> Router {
    app_for(t.state.clone()).await
}

/// Building a router generates Leptos's route list, which sets a process-wide "do not
/// load resources" flag for a moment: a page rendered meanwhile by another test in the
/// same process would wait forever for its data. (`lobby serve` builds its router once,
/// before it serves.) So routers are built under a write lock and pages rendered under
/// read locks.
pub fn render_lock() -> &'static tokio::sync::RwLock<()> {
    static LOCK: std::sync::OnceLock<tokio::sync::RwLock<()>> = std::sync::OnceLock::new();
    LOCK.get_or_init(|| tokio::sync::RwLock::new(()))
}

/// The paths of the app's page routes. Listing them sets the same process-wide flag as
/// building a router, so it takes the same write lock (without it, a page another test
/// rendered meanwhile waited forever for its data: a 60 s timeout seen once in CI).
pub async fn page_routes() -> Vec<String> {
    let _listing = render_lock().write().await;
    leptos_axum::generate_route_list(app::App).into_iter().map(|r| r.path().to_string()).collect()
}

/// The router for a state of the test's own.
pub async fn app_for(state: app::web::state::AppState) -> Router {
    app_with(state, leptos::prelude::LeptosOptions::builder().output_name("lobby").build()).await
}

/// The router for a state and Leptos options of the test's own (a site root, hashed names).
pub async fn app_with(state: app::web::state::AppState, opts: leptos::prelude::LeptosOptions) -> Router {
    let _building = render_lock().write().await;
    app::web::http::router(state, opts, app::web::http::HttpConfig::default()).await.unwrap().0
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Reply {
    /// The session cookie this answer set, as a `Cookie` header value.
    pub fn cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(app::web::http::SESSION_COOKIE))
            .map(|v| v.split(';').next().unwrap().to_string())
    }

    pub fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// One request from a same-origin browser page.
pub async fn send(app: &Router, method: Method, path: &str, content_type: Option<&str>, body: Vec<u8>, cookie: Option<&str>) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, ORIGIN)
        .header(header::ACCEPT, "application/json");
    if let Some(ct) = content_type {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let what = format!("{} {path}", req.method_ref().map(|m| m.to_string()).unwrap_or_default());
    let exchange = async {
        let res = app.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    };
    // Pages render on GET; no router is built meanwhile (see `render_lock`).
    let _rendering = if what.starts_with("GET") { Some(render_lock().read().await) } else { None };
    // A request that never finishes is a bug to report, not a test run that hangs.
    match tokio::time::timeout(std::time::Duration::from_secs(60), exchange).await {
        Ok(reply) => reply,
        Err(_) => panic!("{what} did not answer within 60 s"),
    }
}

/// POSTs a server function with a form body, as the console's client does.
pub async fn form(app: &Router, endpoint: &str, body: &str, cookie: Option<&str>) -> Reply {
    send(app, Method::POST, &format!("/api/{endpoint}"), Some("application/x-www-form-urlencoded"), body.as_bytes().to_vec(), cookie).await
}

/// POSTs a server function with a JSON body.
pub async fn json(app: &Router, endpoint: &str, body: &str, cookie: Option<&str>) -> Reply {
    send(app, Method::POST, &format!("/api/{endpoint}"), Some("application/json"), body.as_bytes().to_vec(), cookie).await
}

pub async fn get(app: &Router, path: &str, cookie: Option<&str>) -> Reply {
    send(app, Method::GET, path, None, Vec::new(), cookie).await
}

/// Percent-encodes a form value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Signs in through the server function and returns the session cookie.
pub async fn sign_in(app: &Router, email: &str, password: &str) -> String {
    let r = form(app, "sign_in", &format!("email={}&password={}", enc(email), enc(password)), None).await;
    r.cookie().unwrap_or_else(|| panic!("signing in as {email}: {} {}", r.status, r.body))
}

/// Every table's row count and largest id (where it has one): equal before and after
/// means a request changed nothing that lasts.
pub async fn fingerprint(t: &TestApp) -> Vec<(String, i64, i64)> {
    let pool = t.pool();
    let tables: Vec<String> = match t.db().backend() {
        app::data::Backend::Sqlite => sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' AND name <> 'tower_sessions' ORDER BY name",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
        app::data::Backend::Postgres => sqlx::query_scalar(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%' ORDER BY table_name",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
    };
    assert!(tables.len() >= 10, "{tables:?}");
    let mut out = Vec::new();
    for table in tables {
        let with_id: Result<(i64, i64), _> =
            sqlx::query_as(&format!("SELECT COUNT(*), CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM {table}")).fetch_one(pool).await;
        let (count, max) = match with_id {
            Ok(v) => v,
            Err(_) => (sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(pool).await.unwrap(), 0),
        };
        out.push((table, count, max));
    }
    out
}
