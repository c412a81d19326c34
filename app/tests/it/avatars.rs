//! Avatar upload and download through the real router, both backends: type checked by
//! content, served back with safe headers, only within the viewer's scope.

use crate::common;

use axum::body::Body;
use axum::Router;
use common::{TestApp, PASSWORD};
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

async fn app(t: &TestApp) -> Router {
    let opts = leptos::prelude::LeptosOptions::builder().output_name("lobby").build();
    app::web::http::router(t.state.clone(), opts, app::web::http::HttpConfig::default()).await.unwrap().0
}

async fn sign_in(app: &Router, email: &str) -> String {
    let req = Request::post("/api/sign_in")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("email={}&password={}", email.replace('@', "%40"), PASSWORD.replace(' ', "+"))))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(app::web::http::SESSION_COOKIE))
        .map(|v| v.split(';').next().unwrap().to_string())
        .expect("signed in")
}

async fn upload(app: &Router, cookie: &str, id: i64, bytes: &[u8]) -> (StatusCode, String) {
    let boundary = "XyZboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post(format!("/guests/{id}/avatar"))
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let loc = res.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (res.status(), loc)
}

async fn download(app: &Router, cookie: &str, id: i64) -> http::Response<Body> {
    let req = Request::get(format!("/avatars/{id}")).header(header::COOKIE, cookie).body(Body::empty()).unwrap();
    app.clone().oneshot(req).await.unwrap()
}

both_backends! {
    async fn avatars_are_checked_served_safely_and_scoped(t) {
        let org = t.org("Acme").await;
        let other = t.org("Bolt").await;
        let g = t.guest(&org, "g@x.test", org.other, None).await;
        t.dept_admin(&org, "dana@acme.test", org.child).await;
        let app = app(&t).await;
        let admin = sign_in(&app, &org.admin_email).await;

        // Not an image: refused, back to the page with the reason, nothing stored.
        let (status, loc) = upload(&app, &admin, g.0, b"<svg onload=alert(1)>").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(loc.contains("avatar_error=An%20avatar%20must%20be"), "{loc}");
        assert_eq!(download(&app, &admin, g.0).await.status(), StatusCode::NOT_FOUND);

        // A PNG is kept and served back as a PNG that browsers will not sniff.
        let (status, loc) = upload(&app, &admin, g.0, PNG).await;
        assert_eq!((status, loc.as_str()), (StatusCode::SEE_OTHER, format!("/guests/{}", g.0).as_str()));
        let res = download(&app, &admin, g.0).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "image/png");
        assert_eq!(res.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(res.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("default-src 'none'"));
        assert_eq!(res.into_body().collect().await.unwrap().to_bytes().as_ref(), PNG);
        // The guest's page learns there is an avatar (and its version, for caching).
        let detail = app::service::guests::detail(&t.state, &t.viewer(org.admin).await, g.0).await.unwrap();
        assert!(detail.avatar.is_some());

        // Outside the Department Admin's departments she cannot change it, but she sees it
        // as every member does on the guest's contact card; another guest never sees it;
        // another organization does not know it.
        let dana = sign_in(&app, "dana@acme.test").await;
        assert_eq!(download(&app, &dana, g.0).await.status(), StatusCode::OK);
        assert_eq!(upload(&app, &dana, g.0, PNG).await.0, StatusCode::NOT_FOUND);
        t.guest(&org, "other-guest@x.test", org.root, None).await;
        let other_guest = sign_in(&app, "other-guest@x.test").await;
        assert_eq!(download(&app, &other_guest, g.0).await.status(), StatusCode::NOT_FOUND);
        let bolt = sign_in(&app, &other.admin_email).await;
        assert_eq!(download(&app, &bolt, g.0).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(upload(&app, &bolt, g.0, PNG).await.0, StatusCode::NOT_FOUND);

        // Anonymous: nothing.
        let anon = Request::get(format!("/avatars/{}", g.0)).body(Body::empty()).unwrap();
        assert_eq!(app.clone().oneshot(anon).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
}
