//! Sign-in, sessions and the HTTP boundary, on both backends: the whole axum app is
//! driven in-process with real requests.

use crate::common;

use app::auth::{check_sign_in, SignInAttempt};
use app::data::people;
use app::domain::PersonState;
use app::error::AppError;
use axum::body::Body;
use axum::Router;
use common::{TestApp, PASSWORD};
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn attempt(email: &str, password: &str) -> SignInAttempt {
    SignInAttempt { email: email.into(), password: password.into(), address: "203.0.113.7".into() }
}

async fn app(t: &TestApp) -> Router {
    let opts = leptos::prelude::LeptosOptions::builder().output_name("lobby").build();
    app::web::http::router(t.state.clone(), opts, app::web::http::HttpConfig::default()).await.unwrap().0
}

struct Reply {
    status: StatusCode,
    cookie: Option<String>,
    location: Option<String>,
    body: String,
}

/// POSTs a server function as a browser form would, from the same origin.
async fn call(app: &Router, endpoint: &str, form: &str, cookie: Option<&str>) -> Reply {
    call_from(app, endpoint, form, cookie, Some("http://127.0.0.1:3000")).await
}

async fn call_from(app: &Router, endpoint: &str, form: &str, cookie: Option<&str>, origin: Option<&str>) -> Reply {
    let mut req = Request::post(format!("/api/{endpoint}"))
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(o) = origin {
        req = req.header(header::ORIGIN, o);
    }
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = app.clone().oneshot(req.body(Body::from(form.to_string())).unwrap()).await.unwrap();
    let status = res.status();
    let cookie = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(app::web::http::SESSION_COOKIE))
        .map(|v| v.split(';').next().unwrap().to_string());
    let location = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
    let body = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    Reply { status, cookie, location, body }
}

fn form(email: &str, password: &str) -> String {
    format!("email={}&password={}", email.replace('@', "%40"), password.replace(' ', "+"))
}

both_backends! {
    async fn unknown_email_and_wrong_password_get_the_same_answer(t) {
        let org = t.org("Acme").await;
        let wrong = check_sign_in(&t.state, &attempt(&org.admin_email, "not the password")).await.unwrap_err();
        let unknown = check_sign_in(&t.state, &attempt("nobody@acme.test", "not the password")).await.unwrap_err();
        assert_eq!(wrong, AppError::BadCredentials);
        assert_eq!(unknown, wrong);
        assert_eq!(wrong.to_string(), unknown.to_string());
        let ok = check_sign_in(&t.state, &attempt(&org.admin_email.to_uppercase(), PASSWORD)).await.unwrap();
        assert_eq!(ok.viewer.id, org.admin);
    }
}

both_backends! {
    async fn failed_sign_ins_are_throttled_per_account_even_with_the_right_password(t) {
        let org = t.org("Acme").await;
        for _ in 0..5 {
            assert_eq!(check_sign_in(&t.state, &attempt(&org.admin_email, "nope nope nope")).await.unwrap_err(), AppError::BadCredentials);
        }
        let blocked = check_sign_in(&t.state, &attempt(&org.admin_email, PASSWORD)).await.unwrap_err();
        assert_eq!(blocked, AppError::TooManyAttempts { retry_after_secs: 15 * 60 });
        assert_eq!(blocked.status(), 429);
        assert_eq!(blocked.to_string(), "Too many failed sign-ins. Try again in 15 minutes.");
        t.clock.advance(chrono::Duration::minutes(10));
        let later = check_sign_in(&t.state, &attempt(&org.admin_email, PASSWORD)).await.unwrap_err();
        assert_eq!(later.to_string(), "Too many failed sign-ins. Try again in 5 minutes.");
        // The window passes; the right password works again.
        t.clock.advance(chrono::Duration::minutes(6));
        assert!(check_sign_in(&t.state, &attempt(&org.admin_email, PASSWORD)).await.is_ok());
    }
}

both_backends! {
    async fn failed_sign_ins_are_throttled_per_address_across_accounts(t) {
        let _org = t.org("Acme").await;
        for i in 0..t.state.config.max_failures_per_address {
            let _ = check_sign_in(&t.state, &attempt(&format!("probe{i}@acme.test"), "guess guess")).await;
        }
        let e = check_sign_in(&t.state, &attempt("fresh@acme.test", "guess guess")).await.unwrap_err();
        assert!(matches!(e, AppError::TooManyAttempts { .. }), "{e:?}");
    }
}

both_backends! {
    async fn removed_disabled_and_expired_people_cannot_sign_in(t) {
        let org = t.org("Acme").await;
        let removed = t.member(&org, "removed@acme.test", org.root, false).await;
        let disabled = t.member(&org, "disabled@acme.test", org.root, false).await;
        t.guest(&org, "late@x.test", org.root, Some(t.now_ms() - 1)).await;
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        people::set_state(&mut tx, org.id, removed, PersonState::Removed, t.now_ms()).await.unwrap();
        people::set_state(&mut tx, org.id, disabled, PersonState::Disabled, t.now_ms()).await.unwrap();
        tx.commit().await.unwrap();
        for email in ["removed@acme.test", "disabled@acme.test", "late@x.test"] {
            assert_eq!(check_sign_in(&t.state, &attempt(email, PASSWORD)).await.unwrap_err(), AppError::BadCredentials, "{email}");
        }
    }
}

both_backends! {
    async fn session_id_changes_at_sign_in_and_sign_out_kills_it_on_the_server(t) {
        let org = t.org("Acme").await;
        let app = app(&t).await;
        let first = call(&app, "sign_in", &form(&org.admin_email, PASSWORD), None).await;
        assert!(first.status.is_success() || first.status.is_redirection(), "{} {}", first.status, first.body);
        let c1 = first.cookie.expect("a session cookie");
        let me = call(&app, "current_user", "", Some(&c1)).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        assert!(me.body.contains(&org.admin_email));

        // Signing in again over an existing session gives a new id; the old one is dead.
        let second = call(&app, "sign_in", &form(&org.admin_email, PASSWORD), Some(&c1)).await;
        let c2 = second.cookie.expect("a new session cookie");
        assert_ne!(c1, c2);
        assert_eq!(call(&app, "current_user", "", Some(&c1)).await.status, StatusCode::UNAUTHORIZED);

        let out = call(&app, "sign_out", "", Some(&c2)).await;
        assert!(out.status.is_success() || out.status.is_redirection(), "{}", out.status);
        // The cookie a browser might keep is now useless.
        assert_eq!(call(&app, "current_user", "", Some(&c2)).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(call(&app, "dashboard_counts", "", Some(&c2)).await.status, StatusCode::UNAUTHORIZED);
    }
}

both_backends! {
    async fn session_cookie_is_http_only_and_same_site(t) {
        let org = t.org("Acme").await;
        let app = app(&t).await;
        let req = Request::post("/api/sign_in")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form(&org.admin_email, PASSWORD)))
            .unwrap();
        let res = app.oneshot(req).await.unwrap();
        let set = res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().to_lowercase();
        assert!(set.contains("httponly"), "{set}");
        assert!(set.contains("samesite=lax"), "{set}");
    }
}

both_backends! {
    async fn wrong_password_over_http_is_401_with_the_plain_message(t) {
        let org = t.org("Acme").await;
        let app = app(&t).await;
        let r = call(&app, "sign_in", &form(&org.admin_email, "wrong password"), None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("BadCredentials"), "{}", r.body);
        assert!(r.cookie.is_none());
    }
}

both_backends! {
    async fn anonymous_callers_are_refused_by_every_server_function_but_sign_in(t) {
        let _org = t.org("Acme").await;
        let app = app(&t).await;
        for (endpoint, body) in [
            ("current_user", ""),
            ("dashboard_counts", ""),
            ("list_users", "include_guests=true"),
            ("my_projects", ""),
            ("sign_out", ""),
        ] {
            let r = call(&app, endpoint, body, None).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{endpoint}: {}", r.body);
        }
    }
}

both_backends! {
    async fn cross_origin_posts_are_refused(t) {
        let org = t.org("Acme").await;
        let app = app(&t).await;
        let r = call_from(&app, "sign_in", &form(&org.admin_email, PASSWORD), None, Some("http://evil.test")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.cookie.is_none());
        let r = call_from(&app, "sign_in", &form(&org.admin_email, PASSWORD), None, Some("null")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // A signed-in session cannot be used from another origin either.
        let c = call(&app, "sign_in", &form(&org.admin_email, PASSWORD), None).await.cookie.unwrap();
        let r = call_from(&app, "sign_out", "", Some(&c), Some("https://127.0.0.1.evil.test")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(call(&app, "current_user", "", Some(&c)).await.status, StatusCode::OK);
    }
}

both_backends! {
    async fn removing_a_person_ends_their_sessions_at_once(t) {
        let org = t.org("Acme").await;
        let bob = t.member(&org, "bob@acme.test", org.root, false).await;
        let app = app(&t).await;
        let c = call(&app, "sign_in", &form("bob@acme.test", PASSWORD), None).await.cookie.unwrap();
        assert_eq!(call(&app, "current_user", "", Some(&c)).await.status, StatusCode::OK);
        let mut tx = t.db().begin_org_write(org.id).await.unwrap();
        people::set_state(&mut tx, org.id, bob, PersonState::Disabled, t.now_ms()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(call(&app, "current_user", "", Some(&c)).await.status, StatusCode::UNAUTHORIZED);
    }
}

both_backends! {
    async fn a_moved_session_epoch_ends_sessions_even_for_an_active_person(t) {
        let org = t.org("Acme").await;
        let app = app(&t).await;
        let c = call(&app, "sign_in", &form(&org.admin_email, PASSWORD), None).await.cookie.unwrap();
        sqlx::query("UPDATE people SET session_epoch = session_epoch + 1 WHERE id = $1")
            .bind(org.admin.0).execute(t.pool()).await.unwrap();
        assert_eq!(call(&app, "current_user", "", Some(&c)).await.status, StatusCode::UNAUTHORIZED);
    }
}

both_backends! {
    async fn a_user_of_one_organization_never_sees_another(t) {
        let a = t.org("Acme").await;
        let b = t.org("Bolt").await;
        t.member(&b, "secret-member@bolt.test", b.root, false).await;
        t.guest(&b, "secret-guest@x.test", b.root, None).await;
        let app = app(&t).await;
        let c = call(&app, "sign_in", &form(&a.admin_email, PASSWORD), None).await.cookie.unwrap();
        let users = call(&app, "list_users", "include_guests=true", Some(&c)).await;
        assert_eq!(users.status, StatusCode::OK);
        assert!(users.body.contains(&a.admin_email));
        assert!(!users.body.contains("bolt.test") && !users.body.contains("secret-guest"), "{}", users.body);
        let counts = call(&app, "dashboard_counts", "", Some(&c)).await;
        assert!(counts.body.contains("\"users\":1") && counts.body.contains("\"guests\":0"), "{}", counts.body);
    }
}

both_backends! {
    async fn sign_in_returns_to_the_page_that_asked_for_it_if_it_is_local(t) {
        let org = t.org("Acme").await;
        let app = app(&t).await;
        let with_next = |next: &str| format!("{}&next={next}", form(&org.admin_email, PASSWORD));
        let home = call(&app, "sign_in", &form(&org.admin_email, PASSWORD), None).await;
        assert!(home.cookie.is_some(), "{} {}", home.status, home.body);
        let home = home.location.expect("a redirect home");
        let back = call(&app, "sign_in", &with_next("%2Fguests%2F4%2Freminder%2Fextend"), None).await;
        assert_eq!(back.location.as_deref(), Some("/guests/4/reminder/extend"));
        for elsewhere in ["%2F%2Fevil.test%2Fx", "https%3A%2F%2Fevil.test", "%2F%5Cevil.test", ""] {
            let r = call(&app, "sign_in", &with_next(elsewhere), None).await;
            assert_eq!(r.location.as_deref(), Some(home.as_str()), "next={elsewhere}");
        }
    }
}
