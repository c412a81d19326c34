//! The Activity Report's CSV is written as it is read: downloading a month of 100,000
//! entries through the console's route holds no more memory than one of 1,000 (within
//! 20 MB), on both backends. Peak memory is measured by this test binary's own
//! allocator, so the binary holds this one test and nothing runs beside it.

mod common;

use app::domain::report::CSV_BATCH;
use axum::body::Body;
use common::{web, TestApp, PASSWORD};
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use tower::ServiceExt;

/// The system allocator, counting the bytes live now and the most live since a reset.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            if new_size >= layout.size() {
                let now = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Adds `n` guest entries to the organization's current month, one a second from its
/// first day (one statement, so the fixture is quick on both backends).
async fn fill(t: &TestApp, org: &common::Org, n: i64) {
    let start = app::domain::report::Month::of_ms(t.now_ms()).start_ms();
    sqlx::query(
        "WITH RECURSIVE seq(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM seq WHERE i < CAST($1 AS BIGINT))
         INSERT INTO activity (org_id, at, actor_id, subject_id, action, details, target_kind, target_id, scope_department_id, about_guest, target_label)
         SELECT $2, CAST($3 AS BIGINT) + i * 1000, $4, NULL, 'invitation', 'guest invited', 'invitation', NULL, $5, 1,
                'guest' || CAST(i AS TEXT) || '@partner.example'
         FROM seq",
    )
    .bind(n)
    .bind(org.id.0)
    .bind(start)
    .bind(org.admin.0)
    .bind(org.child.0)
    .execute(t.pool())
    .await
    .unwrap();
}

/// Downloads this month's CSV through the router, dropping each chunk as it arrives;
/// returns the lines received and the peak of live bytes above those before.
async fn download(app: &axum::Router, cookie: &str) -> (usize, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let req = Request::builder()
        .uri("/activity.csv")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let mut body = res.into_body();
    let mut lines = 0;
    while let Some(frame) = body.frame().await {
        if let Ok(bytes) = frame.unwrap().into_data() {
            lines += bytes.iter().filter(|b| **b == b'\n').count();
        }
    }
    (lines, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

async fn measure(t: TestApp) {
    let org = t.org("Acme").await;
    let app = web::app(&t).await;
    let cookie = web::sign_in(&app, &org.admin_email, PASSWORD).await;
    fill(&t, &org, CSV_BATCH).await;
    let (small_lines, small_peak) = download(&app, &cookie).await;
    fill(&t, &org, 100_000 - CSV_BATCH).await;
    let (large_lines, large_peak) = download(&app, &cookie).await;
    let backend = format!("{:?}", t.db().backend());
    println!("{backend}: {small_lines} lines, peak {small_peak} B above the start; {large_lines} lines, peak {large_peak} B");
    // The header, the entries (and the organization's own creation entries, if any).
    assert!(small_lines > CSV_BATCH as usize && large_lines > 100_000, "{small_lines} / {large_lines}");
    // A 100,000-line file is about 9 MB: holding it would show in the peak.
    assert!(
        large_peak < small_peak + 20 * 1024 * 1024,
        "{backend}: 100,000 entries peaked at {large_peak} B, 1,000 at {small_peak} B"
    );
    assert!(large_peak < small_peak * 3 + 4 * 1024 * 1024, "{backend}: the peak grows with the month ({small_peak} -> {large_peak} B)");
}

/// Both backends one after the other: a second test running beside it would count in
/// the allocator's peak.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_csv_download_holds_one_batch_at_a_time() {
    let t = common::sqlite().await;
    common::run_test(t, measure).await;
    if let Some(t) = common::postgres().await {
        common::run_test(t, measure).await;
    }
}
