//! Benchmark of the guest inventory and the dashboard at 100,000 guests and 5,000 pending
//! invitations, on SQLite and on PostgreSQL: the inventory's first page under each
//! filter and each order, for a Company Admin and a Department Admin, and the dashboard —
//! each beside the bare SQL of the same guests in the same run (one table, no joins, no
//! merge with the invitations: the floor a page cannot go under).
//!
//! cargo run --release -p app --features ssr --example bench_inventory -- [sqlite|postgres] [GUESTS]
//!
//! Not part of the test suite (the machines are shared and noisy): the numbers go to
//! BENCHMARKS.md with the ratio to the baseline of the same run.

use app::domain::inventory::{InventoryFilters, DAY_MS};
use app::model::inventory::InventoryQuery;
use app::service::inventory as inventory;
use app::web::state::AppState;
use bench_common::time;
use std::time::Instant;

#[path = "bench_common/mod.rs"]
mod bench_common;

const INVITATIONS: i64 = 5_000;

#[tokio::main]
async fn main() -> bench_common::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let backend = args.get(1).map(String::as_str).unwrap_or("sqlite");
    let count: usize = args.get(2).and_then(|c| c.parse().ok()).unwrap_or(100_000);
    let db = bench_common::fresh(backend, "lobby_bench_inventory").await?;
    let state = AppState::system(db);
    let t = Instant::now();
    let (admin_id, dept_admin_id, org) = app::setup::generate_people(&state, count, 1_000).await?;
    let pool = state.db.pool().clone();
    let now = state.now_ms();
    // Two in three guests signed in within the last 90 days; one in fifty was removed
    // within the last 60; pending invitations of up to 20 days, each still valid.
    sqlx::query("UPDATE people SET last_seen_at = $1 - (id % 90) * $2 WHERE org_id = $3 AND kind = 'guest' AND id % 3 <> 0")
        .bind(now)
        .bind(DAY_MS)
        .bind(org.0)
        .execute(&pool)
        .await?;
    sqlx::query("UPDATE people SET state = 'removed', removed_at = $1 - (id % 60) * $2 WHERE org_id = $3 AND kind = 'guest' AND id % 50 = 0")
        .bind(now)
        .bind(DAY_MS)
        .bind(org.0)
        .execute(&pool)
        .await?;
    let depts: Vec<i64> = sqlx::query_scalar("SELECT id FROM departments WHERE org_id = $1 ORDER BY id").bind(org.0).fetch_all(&pool).await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < CAST($1 AS BIGINT))
         INSERT INTO invitations (org_id, email, kind, project_id, permission, department_id, inviter_id, token_hash, created_at, sent_at, validity_ends_at, state)
         SELECT $2, 'invitee' || CAST(i AS TEXT) || '@bench.test', 'guest', NULL, 'edit', CAST($3 AS BIGINT) + i % CAST($4 AS BIGINT), $5,
                'benchtoken' || CAST(i AS TEXT), $6 - (i % 20) * $7, $6 - (i % 20) * $7, $6 + (i % 7) * $7 + 3600000, 'pending'
         FROM n",
    )
    .bind(INVITATIONS)
    .bind(org.0)
    .bind(depts[0])
    .bind(depts.len() as i64)
    .bind(admin_id.0)
    .bind(now)
    .bind(DAY_MS)
    .execute(&pool)
    .await?;
    println!("backend {backend}: {count} guests and {INVITATIONS} pending invitations in {:.1}s", t.elapsed().as_secs_f64());
    if backend == "postgres" {
        sqlx::query("VACUUM ANALYZE").execute(&pool).await?;
    } else {
        sqlx::query("ANALYZE").execute(&pool).await?;
    }
    let (admin, dept_admin) = (bench_common::viewer(&state, admin_id.0).await, bench_common::viewer(&state, dept_admin_id.0).await);
    let sponsor: i64 = sqlx::query_scalar("SELECT sponsor_department_id FROM people WHERE org_id = $1 AND kind = 'guest' ORDER BY id LIMIT 1").bind(org.0).fetch_one(&pool).await?;

    // The bare SQL of the same rows: the guests' first 51 under `cond` in `order` and,
    // unless the filter leaves them out, the pending invitations' first 51 in `inv_order`,
    // each with its department, inviter and project — no merge, no cursor, no service.
    let bare = |cond: String, order: &'static str, inv_order: Option<&'static str>| {
        let pool = pool.clone();
        async move {
            sqlx::query(&format!(
                "SELECT p.id, p.first_name, p.last_name, p.email, p.state, p.expires_at, p.last_seen_at, p.invited_at, d.name, x.first_name, x.last_name, pr.name
                 FROM people p LEFT JOIN departments d ON d.id = p.sponsor_department_id LEFT JOIN people x ON x.id = p.invited_by
                 LEFT JOIN projects pr ON pr.id = p.project_id
                 WHERE p.org_id = $1 AND p.kind = 'guest' AND (p.state <> 'removed' OR p.removed_at >= $2) AND {cond}
                 ORDER BY {order} LIMIT 51"
            ))
            .bind(org.0)
            .bind(now - 30 * DAY_MS)
            .fetch_all(&pool)
            .await
            .unwrap();
            if let Some(inv_order) = inv_order {
                sqlx::query(&format!(
                    "SELECT i.id, i.email, i.created_at, i.validity_ends_at, d.name, x.first_name, x.last_name, pr.name
                     FROM invitations i LEFT JOIN departments d ON d.id = i.department_id LEFT JOIN people x ON x.id = i.inviter_id
                     LEFT JOIN projects pr ON pr.id = i.project_id
                     WHERE i.org_id = $1 AND i.state = 'pending' AND i.kind = 'guest' AND i.validity_ends_at > $2
                     ORDER BY {inv_order} LIMIT 51"
                ))
                .bind(org.0)
                .bind(now)
                .fetch_all(&pool)
                .await
                .unwrap();
            }
        }
    };
    let f = InventoryFilters::default;
    // Since when sign-ins are recorded: "Never signed in" is only a guest who joined after.
    let since = app::data::people::last_seen_recorded_since(&pool).await?;
    const STATE_KEY: &str = "(CASE WHEN p.state = 'removed' THEN 3000000000000000 - COALESCE(p.removed_at, 0)
              ELSE 1000000000000000 + COALESCE(p.expires_at, 999999999999999) END), p.id";
    const INVITED: &str = "p.invited_at DESC, p.id DESC";
    const NEWEST: Option<&str> = Some("i.created_at DESC, i.id DESC");
    let cases: Vec<(&str, &str, InventoryFilters, String, &'static str, Option<&'static str>)> = vec![
        ("no filter, invited (newest first)", "", f(), "1 = 1".into(), INVITED, NEWEST),
        ("no filter, by name", "name", f(), "1 = 1".into(), "LOWER(p.last_name), p.id", Some("LOWER(i.email), i.id")),
        ("no filter, by state", "state", f(), "1 = 1".into(), STATE_KEY, Some("i.created_at, i.id")),
        ("no filter, by last sign-in", "last_sign_in", f(), "1 = 1".into(), "COALESCE(p.last_seen_at, 0) DESC, p.id DESC", Some("i.id DESC")),
        ("no filter, by expiry", "expiry", f(), "1 = 1".into(), "COALESCE(p.expires_at, 9223372036854775807), p.id", Some("i.id")),
        ("Never signed in", "", InventoryFilters { never: "1".into(), ..f() }, format!("p.state <> 'removed' AND p.last_seen_at IS NULL AND p.created_at >= {since}"), INVITED, NEWEST),
        (
            "Not signed in for 60 days",
            "",
            InventoryFilters { idle: "60".into(), ..f() },
            format!("p.state <> 'removed' AND COALESCE(p.last_seen_at, p.created_at) < {}", now - 60 * DAY_MS),
            INVITED,
            None,
        ),
        (
            "Expiring within 7 days, by expiry",
            "expiry",
            InventoryFilters { expiring: "7".into(), ..f() },
            format!("p.state <> 'removed' AND p.expires_at <= {}", now + 7 * DAY_MS),
            "COALESCE(p.expires_at, 9223372036854775807), p.id",
            None,
        ),
        ("Pending invitations older than 10 days", "", InventoryFilters { pending_older: "10".into(), ..f() }, "1 = 0".into(), INVITED, NEWEST),
        ("Sponsor department", "", InventoryFilters { department: sponsor.to_string(), ..f() }, format!("p.sponsor_department_id = {sponsor}"), INVITED, NEWEST),
        ("Inviter", "", InventoryFilters { inviter: admin_id.0.to_string(), ..f() }, format!("p.invited_by = {}", admin_id.0), INVITED, NEWEST),
        ("State: removed in the last 30 days", "state", InventoryFilters { state: "removed".into(), ..f() }, "p.state = 'removed'".into(), STATE_KEY, None),
    ];
    let mut rows: Vec<(String, (f64, f64), (f64, f64))> = Vec::new();
    for (label, sort, filters, cond, order, inv_order) in cases {
        let q = InventoryQuery { sort: sort.into(), dir: String::new(), filters, cursor: None };
        let base = time(|| bare(cond.clone(), order, inv_order)).await;
        let page = time(|| async { inventory::page(&state, &admin, q.clone()).await.unwrap() }).await;
        rows.push((format!("inventory page 1: {label}"), page, base));
    }
    // A Department Admin: one of four branches.
    let scoped_cond = format!("p.sponsor_department_id IN (SELECT c.descendant_id FROM department_closure c JOIN department_admins a ON a.department_id = c.ancestor_id WHERE a.person_id = {})", dept_admin_id.0);
    let base = time(|| bare(scoped_cond.clone(), INVITED, NEWEST)).await;
    let page = time(|| async { inventory::page(&state, &dept_admin, InventoryQuery::default()).await.unwrap() }).await;
    rows.push(("inventory page 1, Department Admin".into(), page, base));
    // A deep page: the 20th by cursor.
    let mut cursor = None;
    for _ in 0..19 {
        cursor = inventory::page(&state, &admin, InventoryQuery { cursor: cursor.clone(), ..Default::default() }).await?.page.next;
    }
    let deep = time(|| async { inventory::page(&state, &admin, InventoryQuery { cursor: cursor.clone(), ..Default::default() }).await.unwrap() }).await;
    let base = time(|| bare("1 = 1".into(), INVITED, NEWEST)).await;
    rows.push(("inventory page 20 (by cursor)".into(), deep, base));

    // The dashboard beside the bare SQL of the same numbers: the kept counts and the
    // ranges at the clock's edges, read straight (no scope, no service). For scale, the
    // full counts it made before the counts were kept (printed, not a row).
    let counts = || {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "SELECT (SELECT CAST(SUM(n) AS BIGINT) FROM people_counts WHERE org_id = $1 AND kind = 'guest'),
                        (SELECT CAST(SUM(n) AS BIGINT) FROM people_counts WHERE org_id = $1 AND kind = 'member'),
                        (SELECT CAST(SUM(unseen) AS BIGINT) FROM people_counts WHERE org_id = $1 AND kind = 'guest'),
                        (SELECT CAST(SUM(n) AS BIGINT) FROM invitation_counts WHERE org_id = $1 AND kind = 'guest'),
                        (SELECT COUNT(*) FROM people WHERE org_id = $1 AND kind = 'guest' AND state <> 'removed' AND expires_at <= $2),
                        (SELECT COUNT(*) FROM invitations WHERE org_id = $1 AND kind = 'guest' AND state = 'pending' AND validity_ends_at <= $3)",
            )
            .bind(org.0)
            .bind(now + 7 * DAY_MS)
            .bind(now + 2 * DAY_MS)
            .fetch_all(&pool)
            .await
            .unwrap();
        }
    };
    let scans = || {
        let pool = pool.clone();
        async move {
            sqlx::query(
                "SELECT (SELECT COUNT(*) FROM people WHERE org_id = $1 AND kind = 'guest' AND state <> 'removed'),
                        (SELECT COUNT(*) FROM people WHERE org_id = $1 AND kind = 'member' AND state <> 'removed'),
                        (SELECT COUNT(*) FROM people WHERE org_id = $1 AND kind = 'guest' AND state <> 'removed' AND last_seen_at IS NULL),
                        (SELECT COUNT(*) FROM invitations WHERE org_id = $1 AND state = 'pending')",
            )
            .bind(org.0)
            .fetch_all(&pool)
            .await
            .unwrap();
        }
    };
    let (sm, sp) = time(scans).await;
    println!("for scale: the same figures by full counts (before migration 0017): median {sm:.2} ms, p99 {sp:.2} ms");
    let base = time(counts).await;
    let dash = time(|| async { app::service::dashboard::admin(&state, &admin).await.unwrap() }).await;
    rows.push(("dashboard (Company Admin)".into(), dash, base));
    let dash = time(|| async { app::service::dashboard::admin(&state, &dept_admin).await.unwrap() }).await;
    rows.push(("dashboard (Department Admin)".into(), dash, base));

    println!("| operation ({backend}, {count} guests, {INVITATIONS} invitations) | median ms | p99 ms | bare SQL median ms | × bare SQL (median) | × bare SQL (p99) |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (label, (m, p), (bm, bp)) in &rows {
        println!("| {label} | {m:.2} | {p:.2} | {bm:.2} | {:.2} | {:.2} |", m / bm, p / bp);
    }
    Ok(())
}
