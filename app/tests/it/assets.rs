//! The bundle as a phone downloads it (issue 16): `/pkg` answers the precompressed
//! `.br` or `.gz` file by `Accept-Encoding`, hashed names are cached for a year as
//! immutable, unhashed ones revalidated; pages are compressed on the fly.

use crate::common;

use axum::body::Body;
use axum::Router;
use common::TestApp;
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

const WASM: &[u8] = b"\0asm\x01\0\0\0 the raw module";
const WASM_BR: &[u8] = b"brotli bytes";
const WASM_GZ: &[u8] = b"gzip bytes";

/// A site root of the test's own: `pkg/` with a hashed module and its two compressed twins.
fn site() -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("lobby-assets-{}-{}", std::process::id(), rand::random::<u64>()));
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("lobby.0123abcd.wasm"), WASM).unwrap();
    std::fs::write(pkg.join("lobby.0123abcd.wasm.br"), WASM_BR).unwrap();
    std::fs::write(pkg.join("lobby.0123abcd.wasm.gz"), WASM_GZ).unwrap();
    root
}

async fn app(t: &TestApp, root: &std::path::Path, hashed: bool) -> Router {
    let opts = leptos::prelude::LeptosOptions::builder()
        .output_name("lobby")
        .site_root(root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .hash_files(hashed)
        .build();
    common::web::app_with(t.state.clone(), opts).await
}

async fn fetch(app: &Router, path: &str, accept_encoding: Option<&str>) -> (StatusCode, http::HeaderMap, Vec<u8>) {
    let mut req = Request::get(path).header(header::HOST, "127.0.0.1:3000");
    if let Some(e) = accept_encoding {
        req = req.header(header::ACCEPT_ENCODING, e);
    }
    // Pages render under the shared read lock, as `common::web::send` does.
    let _rendering = common::web::render_lock().read().await;
    let res = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.into_body().collect().await.unwrap().to_bytes().to_vec())
}

fn h<'a>(headers: &'a http::HeaderMap, name: header::HeaderName) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

both_backends! {
    async fn the_bundle_is_served_precompressed_and_cached_for_good(t) {
        let root = site();
        let app = app(&t, &root, true).await;
        let path = "/pkg/lobby.0123abcd.wasm";

        let (status, headers, body) = fetch(&app, path, Some("gzip, deflate, br")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(h(&headers, header::CONTENT_ENCODING), "br");
        assert_eq!(h(&headers, header::CONTENT_TYPE), "application/wasm");
        assert_eq!(body, WASM_BR);
        assert_eq!(h(&headers, header::CACHE_CONTROL), "public, max-age=31536000, immutable");
        assert!(h(&headers, header::VARY).to_ascii_lowercase().contains("accept-encoding"), "{headers:?}");

        let (_, headers, body) = fetch(&app, path, Some("gzip")).await;
        assert_eq!(h(&headers, header::CONTENT_ENCODING), "gzip");
        assert_eq!(body, WASM_GZ);

        let (status, headers, body) = fetch(&app, path, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(h(&headers, header::CONTENT_ENCODING), "");
        assert_eq!(body, WASM);

        // A miss (an old page asking for a replaced bundle) is not cached.
        let (status, headers, _) = fetch(&app, "/pkg/lobby.ffffffff.wasm", Some("br")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(h(&headers, header::CACHE_CONTROL), "no-store");
        let (status, _, _) = fetch(&app, "/pkg/../../etc/passwd", None).await;
        assert!(status.is_client_error(), "{status}");

        // A development build's unhashed names are asked for again on every use.
        let unhashed = self::app(&t, &root, false).await;
        let (_, headers, _) = fetch(&unhashed, path, Some("br")).await;
        assert_eq!(h(&headers, header::CACHE_CONTROL), "no-cache");
        std::fs::remove_dir_all(&root).unwrap();
    }
}

both_backends! {
    async fn pages_are_compressed_by_accept_encoding(t) {
        // Unhashed: a hashed page reads `hash.txt` beside the executable, which only a
        // cargo-leptos build writes (Leptos caches it process-wide).
        let root = site();
        let app = app(&t, &root, false).await;
        let (status, headers, body) = fetch(&app, "/login", Some("br")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(h(&headers, header::CONTENT_ENCODING), "br");
        assert!(!String::from_utf8_lossy(&body).contains("<!DOCTYPE"), "the page went out uncompressed");
        let (_, headers, body) = fetch(&app, "/login", None).await;
        assert_eq!(h(&headers, header::CONTENT_ENCODING), "");
        assert!(String::from_utf8_lossy(&body).to_lowercase().contains("<!doctype html>"));
        std::fs::remove_dir_all(&root).unwrap();
    }
}

both_backends! {
    async fn a_csv_download_goes_out_compressed_to_its_last_row(t) {
        // The compression layer polls a streamed body once more after its end; the CSV
        // stream must answer that with "done", not a panic that cuts the download.
        let org = t.org("Acme").await;
        for i in 0..30 {
            t.guest(&org, &format!("guest{i}@partner.test"), org.root, None).await;
        }
        let app = common::web::app(&t).await;
        let cookie = common::web::sign_in(&app, &org.admin_email, common::PASSWORD).await;
        for encoding in ["br", "gzip"] {
            let req = Request::get("/guests/inventory.csv?sort=name")
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::ACCEPT_ENCODING, encoding)
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap();
            let res = app.clone().oneshot(req).await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            assert_eq!(h(res.headers(), header::CONTENT_ENCODING), encoding);
            let body = res.into_body().collect().await.expect("the whole download").to_bytes().to_vec();
            let text = match encoding {
                "gzip" => {
                    let mut out = String::new();
                    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut out).unwrap();
                    out
                }
                _ => {
                    let mut out = String::new();
                    std::io::Read::read_to_string(&mut brotli_decompressor::Decompressor::new(&body[..], 4096), &mut out).unwrap();
                    out
                }
            };
            assert!(text.starts_with("Name,Email,State"), "{text}");
            assert!(text.contains("guest29@partner.test") && text.contains("guest0@partner.test"), "{text}");
        }
    }
}
