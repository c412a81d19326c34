//! The axum application: Leptos pages and server functions behind the session layer,
//! the sign-in layer and a refusal of cross-origin writes (server functions have no
//! CSRF protection of their own; SameSite cookies plus this Origin check cover it).

use crate::auth::Backend;
use crate::data::DbError;
use crate::session_store::LobbySessionStore;
use crate::state::AppState;
use crate::{shell, App};
use crate::api::guests::avatar;
use crate::auth::AuthSession;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Request};
use axum::routing::{get, post};
use axum::Extension;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use axum_login::AuthManagerLayerBuilder;
use http::{header, Method, StatusCode};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

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

    let routes = generate_route_list(App);
    let ctx_state = state.clone();
    let app = Router::new()
        .route("/guests/{id}/avatar", post(upload_avatar).layer(DefaultBodyLimit::max(1024 * 1024)))
        .route("/avatars/{id}", get(download_avatar))
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
        .layer(auth)
        .layer(Extension(state))
        .layer(middleware::from_fn(refuse_cross_origin))
        .with_state(leptos_options);
    Ok((app, store))
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
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox".to_string()),
                (header::CONTENT_DISPOSITION, "inline".to_string()),
                (header::CACHE_CONTROL, "private, max-age=300".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND), e.to_string()).into_response(),
    }
}

fn encode_query(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
