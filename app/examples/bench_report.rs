//! Benchmark of the Activity Report on a month of 100,000 entries, on SQLite and on
//! PostgreSQL: the page (both sections' first pages and the chart) for a Company Admin
//! and a Department Admin, a filtered page, and the whole month's CSV (its time and the
//! peak memory it adds) — each beside the bare SQL of the same rows in the same run.
//!
//! cargo run --release -p app --features ssr --example bench_report -- [sqlite|postgres] [ENTRIES]
//!
//! Not part of the test suite (the machines are shared and noisy): the numbers go to
//! BENCHMARKS.md with the ratio to the baseline of the same run.

use app::domain::report::{Month, ReportFilters};
use app::model::report::ReportQuery;
use app::service::report as report;
use app::web::state::AppState;
use bench_common::time;
use std::time::Instant;

#[path = "bench_common/mod.rs"]
mod bench_common;

/// Resets the process's peak resident size (Linux: `clear_refs` 5), so a later
/// [`peak_kb`] tells what happened since.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// (VmHWM, VmRSS) in kB.
fn peak_kb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)).and_then(|n| n.parse().ok()).unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

#[tokio::main]
async fn main() -> bench_common::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let backend = args.get(1).map(String::as_str).unwrap_or("sqlite");
    let count: i64 = args.get(2).and_then(|c| c.parse().ok()).unwrap_or(100_000);
    let db = bench_common::fresh(backend, "lobby_bench_report").await?;
    let state = AppState::system(db);
    let (admin_id, dept_admin_id, org) = app::setup::generate_people(&state, 1_000, 100).await?;
    let pool = state.db.pool().clone();
    let (admin, dept_admin) = (bench_common::viewer(&state, admin_id.0).await, bench_common::viewer(&state, dept_admin_id.0).await);
    // Last month, whole: `count` entries spread over its days, four in five about guests
    // (the chart's four actions and expiry changes), the rest settings and departments;
    // the scope departments spread over the organization's.
    let month = Month::of_ms(state.now_ms()).prev();
    let span = month.end_ms() - month.start_ms();
    let depts: Vec<i64> = sqlx::query_scalar("SELECT id FROM departments WHERE org_id = $1 ORDER BY id").bind(org.0).fetch_all(&pool).await?;
    let t = Instant::now();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < CAST($1 AS BIGINT))
         INSERT INTO activity (org_id, at, actor_id, subject_id, action, details, target_kind, target_id, scope_department_id, about_guest, target_label)
         SELECT $2, CAST($3 AS BIGINT) + (i * CAST($4 AS BIGINT) / CAST($1 AS BIGINT)) / 1000 * 1000,
                CASE WHEN i % 10 = 0 THEN NULL ELSE $5 END, NULL,
                CASE i % 5 WHEN 0 THEN 'invitation' WHEN 1 THEN 'incorporation' WHEN 2 THEN 'deletion' WHEN 3 THEN 'expiry_change'
                     ELSE CASE WHEN i % 2 = 0 THEN 'settings_changed' ELSE 'department_created' END END,
                '', 'person', NULL, CAST($6 AS BIGINT) + i % CAST($7 AS BIGINT),
                CASE WHEN i % 5 = 4 THEN 0 ELSE 1 END, 'Guest number ' || CAST(i AS TEXT)
         FROM n",
    )
    .bind(count)
    .bind(org.0)
    .bind(month.start_ms())
    .bind(span - 1000)
    .bind(admin_id.0)
    .bind(depts[0])
    .bind(depts.len() as i64)
    .execute(&pool)
    .await?;
    println!("backend {backend}: {count} entries in {} loaded in {:.1}s", month.key(), t.elapsed().as_secs_f64());
    if backend == "postgres" {
        sqlx::query("VACUUM ANALYZE").execute(&pool).await?;
    } else {
        sqlx::query("ANALYZE").execute(&pool).await?;
    }

    let q = |filters: ReportFilters| ReportQuery { month: month.key(), filters, ..Default::default() };
    // The bare SQL of the same rows: each section's first page with the person who
    // acted, and the chart's counts per day and action (from the daily counts).
    let bare = |scoped: Option<i64>, action: Option<&'static str>| {
        let pool = pool.clone();
        async move {
            let scope = match scoped {
                Some(_) => " AND a.scope_department_id IN (SELECT c.descendant_id FROM department_closure c JOIN department_admins da ON da.department_id = c.ancestor_id WHERE da.person_id = $4)",
                None => " AND $4 = $4",
            };
            let action_sql = match action {
                Some(_) => " AND a.action = $5",
                None => " AND $5 = $5",
            };
            // In a transaction planned for its own values, as the report reads it (on
            // PostgreSQL a generic plan of a Department Admin's page sorts the branch).
            let mut tx = app::data::begin_custom_planned(&pool).await.unwrap();
            for g in [1i64, 0] {
                sqlx::query(&format!(
                    "SELECT a.id, a.at, a.actor_id, ac.first_name, ac.last_name, ac.mobile, ac.email, a.action, a.details, a.target_label, a.about_guest
                     FROM activity a LEFT JOIN people ac ON ac.id = a.actor_id
                     WHERE a.org_id = $1 AND a.at >= $2 AND a.at < $3 AND a.about_guest = $6{scope}{action_sql}
                     ORDER BY a.at DESC, a.id DESC LIMIT 101"
                ))
                .bind(org.0)
                .bind(month.start_ms())
                .bind(month.end_ms())
                .bind(scoped.unwrap_or(0))
                .bind(action.unwrap_or(""))
                .bind(g)
                .fetch_all(&mut *tx)
                .await
                .unwrap();
            }
            tx.commit().await.unwrap();
            // The chart from the daily counts, as the report reads it.
            let (scope, action_sql) = (scope.replace("a.scope_department_id", "d.department_id"), action_sql.replace("a.action", "d.action"));
            sqlx::query(&format!(
                "SELECT d.day - $2 AS day, d.action, CAST(SUM(d.n) AS BIGINT) AS n FROM activity_daily d
                 WHERE d.org_id = $1 AND d.day >= $2 AND d.day < $3 AND d.about_guest = 1{scope}{action_sql}
                   AND d.action IN ('invitation', 'incorporation', 'deletion', 'automatic_removal')
                 GROUP BY 1, 2"
            ))
            .bind(org.0)
            .bind(month.start_ms() / 86_400_000)
            .bind(month.end_ms() / 86_400_000)
            .bind(scoped.unwrap_or(0))
            .bind(action.unwrap_or(""))
            .fetch_all(&pool)
            .await
            .unwrap();
        }
    };
    let mut rows: Vec<(String, (f64, f64), (f64, f64))> = Vec::new();
    let base = time(|| bare(None, None)).await;
    let page = time(|| async { report::view(&state, &admin, q(ReportFilters::default())).await.unwrap() }).await;
    rows.push(("load_report: both sections' first page + chart (Company Admin)".into(), page, base));
    let scoped_base = time(|| bare(Some(dept_admin_id.0), None)).await;
    let scoped = time(|| async { report::view(&state, &dept_admin, q(ReportFilters::default())).await.unwrap() }).await;
    rows.push(("load_report (Department Admin, one branch)".into(), scoped, scoped_base));
    let deletions = ReportFilters { action: "deletion".into(), ..Default::default() };
    let filtered_base = time(|| bare(None, Some("deletion"))).await;
    let filtered = time(|| async { report::view(&state, &admin, q(deletions.clone())).await.unwrap() }).await;
    rows.push(("load_report, action = Deletion".into(), filtered, filtered_base));
    let cursor = report::view(&state, &admin, q(ReportFilters::default())).await?.guest.and_then(|p| p.next).expect("a second page");
    let deep = time(|| async { report::view(&state, &admin, ReportQuery { guest_cursor: Some(cursor.clone()), ..q(ReportFilters::default()) }).await.unwrap() }).await;
    rows.push(("load_report, Guest activity page 2".into(), deep, base));

    println!("| operation ({backend}, {count} entries in the month) | median ms | p99 ms | bare SQL median ms | × bare SQL (median) | × bare SQL (p99) |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (label, (m, p), (bm, bp)) in &rows {
        println!("| {label} | {m:.2} | {p:.2} | {bm:.2} | {:.2} | {:.2} |", m / bm, p / bp);
    }

    // The whole month's CSV, three times: its time beside reading the same rows in the
    // same batches, and the resident memory it adds at its peak.
    for run in 0..3 {
        let (_, rss_before) = peak_kb();
        reset_peak();
        let t = Instant::now();
        let mut export = report::csv_export(&state, &admin, &month.key(), &ReportFilters::default()).await?;
        let (mut bytes, mut lines) = (0usize, 0usize);
        while let Some(chunk) = export.next_chunk().await? {
            bytes += chunk.len();
            lines += chunk.iter().filter(|b| **b == b'\n').count();
        }
        let csv_ms = t.elapsed().as_secs_f64() * 1000.0;
        let (hwm, _) = peak_kb();
        let t = Instant::now();
        let mut read = 0usize;
        let (mut at, mut id) = (i64::MIN, i64::MIN);
        loop {
            let batch: Vec<(i64, i64, Option<String>, String, String)> = sqlx::query_as(
                "SELECT a.id, a.at, ac.first_name, a.action, a.target_label FROM activity a LEFT JOIN people ac ON ac.id = a.actor_id
                 WHERE a.org_id = $1 AND a.at >= $2 AND a.at < $3 AND (a.at > $4 OR (a.at = $4 AND a.id > $5))
                 ORDER BY a.at, a.id LIMIT 1000",
            )
            .bind(org.0)
            .bind(month.start_ms())
            .bind(month.end_ms())
            .bind(at)
            .bind(id)
            .fetch_all(&pool)
            .await?;
            read += batch.len();
            match batch.last() {
                Some(last) => (at, id) = (last.1, last.0),
                None => break,
            }
            if batch.len() < 1000 {
                break;
            }
        }
        let bare_ms = t.elapsed().as_secs_f64() * 1000.0;
        println!(
            "CSV run {run}: {lines} lines, {:.1} MB in {csv_ms:.0} ms (bare batched read of {read} rows: {bare_ms:.0} ms, {:.2}x); peak RSS {:.1} MB above the {:.1} MB before",
            bytes as f64 / 1e6,
            csv_ms / bare_ms,
            hwm.saturating_sub(rss_before) as f64 / 1024.0,
            rss_before as f64 / 1024.0
        );
    }
    Ok(())
}
