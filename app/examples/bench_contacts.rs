//! Benchmark of the directory (Contacts) at 100,000 guests and 10,000 members, on SQLite
//! and on PostgreSQL: a member's and a guest's first page (departments with their
//! counts, groups, 50 people) and search, each beside the bare SQL of the same rows.
//!
//! cargo run --release -p app --features ssr --example bench_contacts -- [sqlite|postgres] [GUESTS] [MEMBERS]
//!
//! Not part of the test suite (the machines are shared and noisy): the numbers go to
//! BENCHMARKS.md with the ratio to the baseline of the same run.

use app::service::directory as dir;
use app::web::state::AppState;
use bench_common::time;
use std::time::Instant;

#[path = "bench_common/mod.rs"]
mod bench_common;

/// The bare SQL of a first page as `sees_guests` sees it: the departments and the groups
/// with their member counts, and 51 people by name.
async fn bare_page(pool: &sqlx::AnyPool, org: i64, me: i64, sees_guests: bool, now: i64) -> usize {
    let depts = sqlx::query(
        "SELECT d.id, d.name, (SELECT COUNT(*) FROM people p WHERE p.department_id = d.id AND p.kind = 'member' AND p.state = 'active')
         FROM departments d WHERE d.org_id = $1 AND d.is_guests = 0",
    )
    .bind(org)
    .fetch_all(pool)
    .await
    .unwrap();
    let groups = sqlx::query(
        "SELECT g.id, g.name, (SELECT COUNT(*) FROM people p WHERE p.org_id = g.org_id AND p.kind = 'member' AND p.state = 'active'
           AND (g.is_all = 1 OR EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id AND m.person_id = p.id)))
         FROM org_groups g WHERE g.org_id = $1",
    )
    .bind(org)
    .fetch_all(pool)
    .await
    .unwrap();
    let people = sqlx::query(
        "SELECT p.id, p.first_name, p.last_name, p.kind, p.avatar FROM people p
         WHERE p.org_id = $1 AND p.state = 'active' AND (p.expires_at IS NULL OR p.expires_at > $2) AND p.id <> $3 AND ($4 = 1 OR p.kind = 'member')
         ORDER BY LOWER(p.last_name || ' ' || p.first_name), p.id LIMIT 51",
    )
    .bind(org)
    .bind(now)
    .bind(me)
    .bind(if sees_guests { 1i64 } else { 0 })
    .fetch_all(pool)
    .await
    .unwrap();
    depts.len() + groups.len() + people.len()
}

#[tokio::main]
async fn main() -> bench_common::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let backend = args.get(1).map(String::as_str).unwrap_or("sqlite");
    let guests: usize = args.get(2).and_then(|c| c.parse().ok()).unwrap_or(100_000);
    let members: usize = args.get(3).and_then(|c| c.parse().ok()).unwrap_or(10_000);
    let db = bench_common::fresh(backend, "lobby_bench_contacts").await?;
    let state = AppState::system(db);
    let t = Instant::now();
    let (_, _, org) = app::setup::generate_people(&state, guests, members).await?;
    println!("backend {backend}: generated {guests} guests and {members} members in {:.1}s", t.elapsed().as_secs_f64());
    if backend == "postgres" {
        sqlx::query("VACUUM ANALYZE").execute(state.db.pool()).await?;
    }
    let pool = state.db.pool().clone();
    let (member_id, guest_id) = (bench_common::first_person(&pool, org, "member", "member").await, bench_common::first_person(&pool, org, "guest", "guest").await);
    let (member, guest) = (bench_common::viewer(&state, member_id).await, bench_common::viewer(&state, guest_id).await);
    let now = state.now_ms();

    let mut rows: Vec<(String, (f64, f64), (f64, f64))> = Vec::new();
    for (who, v, sees) in [("member", &member, true), ("guest", &guest, false)] {
        let base = time(|| bare_page(&pool, org.0, v.id.0, sees, now)).await;
        let page = time(|| async { dir::directory(&state, v, None, None).await.unwrap() }).await;
        rows.push((format!("load_directory first page ({who})"), page, base));
        // Page 2, through the cursor the first page gave.
        let next = dir::directory(&state, v, None, None).await.unwrap().people.next.expect("a second page");
        let page2 = time(|| async { dir::directory(&state, v, None, Some(next.as_str())).await.unwrap() }).await;
        rows.push((format!("load_directory page 2 ({who})"), page2, base));
        let sbase = time(|| {
            let pool = pool.clone();
            async move {
                sqlx::query("SELECT person_id FROM search_words WHERE org_id = $1 AND word >= 'ta' AND word < 'tb' LIMIT 20")
                    .bind(org.0).fetch_all(&pool).await.unwrap()
            }
        }).await;
        for q in ["tanaka", "ta"] {
            let r = time(|| async { dir::search(&state, v, None, q).await.unwrap() }).await;
            rows.push((format!("search_contacts \"{q}\" ({who})"), r, sbase));
        }
        // Two words: the baseline is the bare two-word lookup.
        let two = time(|| {
            let pool = pool.clone();
            async move {
                sqlx::query(
                    "SELECT w.person_id FROM search_words w WHERE w.org_id = $1 AND w.word >= 'member' AND w.word < 'membes'
                       AND EXISTS (SELECT 1 FROM search_words x WHERE x.person_id = w.person_id AND x.word >= '42' AND x.word < '43') LIMIT 20",
                )
                .bind(org.0).fetch_all(&pool).await.unwrap()
            }
        }).await;
        let r = time(|| async { dir::search(&state, v, None, "member 42").await.unwrap() }).await;
        rows.push((format!("search_contacts \"member 42\" ({who}; baseline: bare two-word lookup)"), r, two));
    }
    println!("| operation ({backend}, {guests} guests, {members} members) | median ms | p99 ms | baseline median ms | × baseline (median) |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (label, (m, p), (bm, _)) in &rows {
        println!("| {label} | {m:.2} | {p:.2} | {bm:.2} | {:.1} |", m / bm);
    }
    Ok(())
}
