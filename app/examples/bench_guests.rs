//! Benchmark of the Guests list's server functions at 100,000 guests, on SQLite and on
//! PostgreSQL, each beside a baseline: the bare SQL a list or search page cannot beat.
//!
//! cargo run --release -p app --features ssr --example bench_guests -- [sqlite|postgres] [COUNT]
//!
//! Not part of the test suite (the machines are shared and noisy): the numbers go to
//! BENCHMARKS.md with the ratio to the baseline of the same run.

use app::service::guests as guests;
use app::domain::guests::{GuestSort, SortDir};
use app::domain::paging::{Key, KeyValue};
use app::domain::PersonId;
use app::web::state::AppState;
use bench_common::time;
use std::time::Instant;

/// The columns of a Guests-list row and the joins that name its inviter, department and
/// project, as a hand-written query reads them.
const SAME_PAGE_COLUMNS: &str = "p.id, p.first_name, p.last_name, p.email, p.mobile,
    COALESCE(inv.first_name || ' ' || inv.last_name, '') AS invited_by, p.invited_at,
    COALESCE(d.name, '') AS department, pr.name AS project, p.permission, p.expires_at, p.avatar,
    p.expiry_period, p.next_reminder_at, p.last_seen_at, p.created_at";
const SAME_PAGE_JOINS: &str = "LEFT JOIN people inv ON inv.id = p.invited_by
    LEFT JOIN departments d ON d.id = p.sponsor_department_id
    LEFT JOIN projects pr ON pr.id = p.project_id";

#[path = "bench_common/mod.rs"]
mod bench_common;

#[tokio::main]
async fn main() -> bench_common::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let backend = args.get(1).map(String::as_str).unwrap_or("sqlite");
    let count: usize = args.get(2).and_then(|c| c.parse().ok()).unwrap_or(100_000);
    let db = bench_common::fresh(backend, "lobby_bench").await?;
    let state = AppState::system(db);
    let t = Instant::now();
    let (admin, dept_admin, org) = app::setup::generate_guests(&state, count).await?;
    println!("backend {backend}: generated {count} guests in {:.1}s", t.elapsed().as_secs_f64());
    if backend == "postgres" {
        sqlx::query("VACUUM ANALYZE").execute(state.db.pool()).await?;
    }
    let viewer = |id: PersonId| {
        let state = state.clone();
        async move { app::data::people::load_viewer(state.db.pool(), id, state.now_ms()).await.unwrap().unwrap().0 }
    };
    let (admin, dept_admin) = (viewer(admin).await, viewer(dept_admin).await);
    let pool = state.db.pool().clone();

    let mut rows: Vec<(String, (f64, f64))> = Vec::new();
    let baseline_list = time(|| {
        let pool = pool.clone();
        async move {
            let n: i64 = sqlx::query_scalar("SELECT CAST(SUM(n) AS BIGINT) FROM people_counts WHERE org_id = $1 AND kind = 'guest'")
                .bind(org.0).fetch_one(&pool).await.unwrap();
            let rows = sqlx::query("SELECT id, first_name, last_name FROM people WHERE org_id = $1 AND kind = 'guest' AND state <> 'removed' ORDER BY invited_at DESC, id DESC LIMIT 50")
                .bind(org.0).fetch_all(&pool).await.unwrap();
            (n, rows.len())
        }
    }).await;
    rows.push(("baseline: bare SQL, kept count + 50 guests by invitation date".into(), baseline_list));
    // The bare SQL of the same page: the kept count and the rows with every column the
    // list shows (the inviter's, department's and project's names through their joins),
    // one row more than the page to know whether there is a next one.
    let same_page_list = time(|| {
        let pool = pool.clone();
        async move {
            let n: i64 = sqlx::query_scalar("SELECT CAST(SUM(n) AS BIGINT) FROM people_counts WHERE org_id = $1 AND kind = 'guest'")
                .bind(org.0).fetch_one(&pool).await.unwrap();
            let rows = sqlx::query(&format!("SELECT {SAME_PAGE_COLUMNS} FROM people p {SAME_PAGE_JOINS}
                 WHERE p.org_id = $1 AND p.kind = 'guest' AND p.state <> 'removed' ORDER BY p.invited_at DESC, p.id DESC LIMIT 51"))
                .bind(org.0).fetch_all(&pool).await.unwrap();
            (n, rows.len())
        }
    }).await;
    rows.push(("bare SQL of the same page: kept count + 51 guests with every column".into(), same_page_list));
    // For scale, not a baseline: the full count every page paid before the kept counts.
    let scan = time(|| {
        let pool = pool.clone();
        async move {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE org_id = $1 AND kind = 'guest' AND state <> 'removed'")
                .bind(org.0).fetch_one(&pool).await.unwrap();
            n
        }
    }).await;
    // The cursor of page 1,000 (after the 49,950th guest by invitation date, newest first).
    let (at, id): (i64, i64) = sqlx::query_as(
        "SELECT invited_at, id FROM people WHERE org_id = $1 AND kind = 'guest' AND state <> 'removed'
         ORDER BY invited_at DESC, id DESC LIMIT 1 OFFSET 49949",
    )
    .bind(org.0)
    .fetch_one(&pool)
    .await
    .expect("at least 49,950 guests for the deep page");
    let deep = Key { value: KeyValue::Int(at), id }.after();
    for (label, sort, cursor, who) in [
        ("list_guests page 1, by invitation date (Company Admin)", GuestSort::InvitationDate, None, &admin),
        ("list_guests page 1000 (keyset cursor after guest 49,950)", GuestSort::InvitationDate, Some(deep.as_str()), &admin),
        ("list_guests page 1 (Department Admin, 1/4 of guests)", GuestSort::InvitationDate, None, &dept_admin),
    ] {
        let r = time(|| guests::page(&state, who, cursor, sort, SortDir::Desc)).await;
        rows.push((label.into(), r));
    }
    // Every other sort order, first page, newest/last first as the console's second click.
    for sort in GuestSort::ALL.into_iter().filter(|s| *s != GuestSort::InvitationDate) {
        let r = time(|| guests::page(&state, &admin, None, sort, SortDir::Desc)).await;
        rows.push((format!("list_guests page 1, by {sort:?}"), r));
    }
    // The Users page: members only, and everyone by name; its count is kept too.
    for (label, with_guests) in [("Users page 1, members", false), ("Users page 1, with guests", true)] {
        let r = time(|| app::service::people::list_users(&state, &admin, with_guests, None)).await;
        rows.push((label.into(), r));
    }
    let list_rows = rows.len();
    let baseline_search = time(|| {
        let pool = pool.clone();
        async move {
            sqlx::query("SELECT person_id FROM search_words WHERE org_id = $1 AND word >= 'mu' AND word < 'mv' LIMIT 10")
                .bind(org.0).fetch_all(&pool).await.unwrap()
        }
    }).await;
    rows.push(("baseline: bare SQL, 10 word-prefix hits".into(), baseline_search));
    // The bare SQL of the same page: ten guests with a word starting "mü", each once, with
    // every column the list shows.
    let same_page_search = time(|| {
        let pool = pool.clone();
        async move {
            sqlx::query(&format!("SELECT {SAME_PAGE_COLUMNS} FROM search_words w JOIN people p ON p.id = w.person_id {SAME_PAGE_JOINS}
                 WHERE w.org_id = $1 AND w.word >= $2 AND w.word < $3
                   AND NOT EXISTS (SELECT 1 FROM search_words w0 WHERE w0.person_id = w.person_id AND w0.word >= $2 AND w0.word < w.word)
                   AND p.kind = 'guest' AND p.state <> 'removed'
                 ORDER BY w.word, w.person_id LIMIT 10"))
                .bind(org.0).bind("mu").bind("mv").fetch_all(&pool).await.unwrap()
        }
    }).await;
    rows.push(("bare SQL of the same page: 10 guests matching \"mü\" with every column".into(), same_page_search));
    for (label, q, who) in [
        ("search_guests \"mü\" (two characters, ~1 in 12 guests)", "mü", &admin),
        ("search_guests \"mül\" (three characters)", "mül", &admin),
        ("search_guests \"gu\" (every guest matches)", "gu", &admin),
        ("search_guests \"guest 4242\" (two words)", "guest 4242", &admin),
        ("search_guests \"chloé\" (Department Admin)", "chloé", &dept_admin),
        ("search_guests \"zz\" (no match)", "zz", &admin),
    ] {
        let r = time(|| guests::search(&state, who, q)).await;
        rows.push((label.into(), r));
    }
    // Bulk actions on 500 selected guests, each run on guests no earlier run touched
    // (Incorporate and Delete take them out of the list). A run is one write
    // transaction from its first statement to its commit: its time is an upper bound
    // of the write lock it held. 30 runs each; the p99 of 30 is their slowest.
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM people WHERE org_id = $1 AND kind = 'guest' AND state <> 'removed' ORDER BY invited_at DESC, id DESC LIMIT 45000",
    )
    .bind(org.0)
    .fetch_all(&pool)
    .await?;
    // As `lobby serve` does: SQLite's log is checkpointed in the background, not by the
    // commits of requests.
    let checkpointer = tokio::spawn(app::jobs::checkpoints(state.clone(), app::jobs::CHECKPOINT_PERIOD));
    let mut sets = ids.chunks(app::domain::guests::MAX_SELECTION);
    let mut bulk: Vec<(String, (f64, f64))> = Vec::new();
    for action in ["change of expiry (one month)", "Incorporate", "Delete"] {
        let mut v = Vec::new();
        for _ in 0..30 {
            let set = sets.next().expect("enough guests for every run");
            let t = Instant::now();
            let n = match action {
                "Incorporate" => guests::incorporate(&state, &admin, set).await,
                "Delete" => guests::delete(&state, &admin, set).await,
                _ => guests::set_expiry(&state, &admin, set, app::domain::expiry::ExpiryPeriod::OneMonth).await,
            }
            .expect("the bulk action succeeds");
            v.push(t.elapsed());
            assert_eq!(n, set.len());
        }
        bulk.push((format!("{action} on 500 selected guests"), bench_common::stats(v)));
    }
    checkpointer.abort();
    println!("the full COUNT(*) of the guests, which no page runs any more: median {:.2} ms, p99 {:.2} ms", scan.0, scan.1);
    println!("| bulk action ({backend}, {count} guests) | median ms | p99 ms (slowest of 30) |");
    println!("| --- | ---: | ---: |");
    for (label, (m, p)) in &bulk {
        println!("| {label} | {m:.2} | {p:.2} |");
    }
    println!("| operation ({backend}, {count} guests) | median ms | p99 ms | × baseline (median) | × same page's bare SQL (median) |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let (bl, bs) = (baseline_list.0, baseline_search.0);
    let (sl, ss) = (same_page_list.0, same_page_search.0);
    for (i, (label, (m, p))) in rows.iter().enumerate() {
        let (base, same) = if i < list_rows { (bl, sl) } else { (bs, ss) };
        println!("| {label} | {m:.2} | {p:.2} | {:.1} | {:.1} |", m / base, m / same);
    }
    if backend == "postgres" {
        drop(state);
    }
    Ok(())
}
