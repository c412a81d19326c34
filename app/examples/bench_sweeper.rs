//! Benchmark of the expiry sweeper removing 100,000 due guests, on SQLite or PostgreSQL,
//! beside a baseline: one bare UPDATE that marks the same guests removed (no activity
//! log, no search-word cleanup, no per-guest race check) on an identical database.
//!
//! cargo run --release -p app --features ssr --example bench_sweeper -- [sqlite|postgres] [DUE] [REPEATS]
//!
//! Not part of the test suite; the numbers go to BENCHMARKS.md.

use app::clock::FakeClock;
use app::web::state::{AppState, Config};
use bench_common::{ms, Result};
use sqlx::Executor;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "bench_common/mod.rs"]
mod bench_common;

/// A database where `due` guests are past their expiry when the clock moves 200 days on
/// (the generator gives three guests in four an expiry within 180 days).
async fn loaded(backend: &str, due: usize) -> Result<(AppState, FakeClock)> {
    let db = bench_common::fresh(backend, "lobby_bench_sweep").await?;
    let clock = FakeClock::at(chrono::Utc::now());
    let state = AppState::new(db, Arc::new(clock.clone()), Config::default());
    app::setup::generate_guests(&state, due * 4 / 3 + 1).await?;
    if backend == "postgres" {
        state.db.pool().execute("ANALYZE").await?;
    }
    clock.advance(chrono::Duration::days(200));
    Ok((state, clock))
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let backend = args.get(1).map(String::as_str).unwrap_or("sqlite").to_string();
    let due: usize = args.get(2).and_then(|c| c.parse().ok()).unwrap_or(100_000);
    let repeats: usize = args.get(3).and_then(|c| c.parse().ok()).unwrap_or(3);
    let (mut sweeps, mut bares, mut longest) = (Vec::new(), Vec::new(), Duration::ZERO);
    for r in 0..repeats {
        let (state, _clock) = loaded(&backend, due).await?;
        let t = Instant::now();
        let stats = app::jobs::run_measured(&state, &app::jobs::sweep::Sweep).await?;
        sweeps.push(t.elapsed());
        longest = longest.max(stats.longest_batch);
        println!(
            "run {r}: sweeper removed {} guests in {:.0} ms ({:.0} ms in write transactions), {} batches, longest write transaction {:.0} ms",
            stats.handled,
            ms(*sweeps.last().unwrap()),
            ms(stats.in_transactions),
            stats.batches,
            ms(stats.longest_batch)
        );

        let (state, _clock) = loaded(&backend, due).await?;
        let now = state.now_ms();
        let t = Instant::now();
        let n = sqlx::query(
            "UPDATE people SET state = 'removed', removed_at = $1, session_epoch = session_epoch + 1
             WHERE kind = 'guest' AND state <> 'removed' AND expires_at <= $1",
        )
        .bind(now)
        .execute(state.db.pool())
        .await?
        .rows_affected();
        bares.push(t.elapsed());
        println!("run {r}: bare UPDATE removed {n} guests in {:.0} ms", ms(*bares.last().unwrap()));
    }
    sweeps.sort();
    bares.sort();
    let (sm, sx) = (ms(sweeps[sweeps.len() / 2]), ms(*sweeps.last().unwrap()));
    let (bm, bx) = (ms(bares[bares.len() / 2]), ms(*bares.last().unwrap()));
    println!("backend {backend}, {due} due guests, {repeats} runs");
    println!("| baseline: one bare UPDATE | {bm:.0} | {bx:.0} | 1.0 |");
    println!("| sweeper (batches of {}, logged) | {sm:.0} | {sx:.0} | {:.1} |", <app::jobs::sweep::Sweep as app::jobs::Job>::BATCH, sm / bm);
    println!("longest write transaction of any batch: {:.0} ms", ms(longest));
    Ok(())
}
