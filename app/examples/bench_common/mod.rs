//! What the benchmark examples share: a fresh database per backend, and timing with a
//! median and a p99. (A directory without `main.rs`: Cargo does not take it for an
//! example of its own.)

#![allow(dead_code)]

use app::data::Db;
use sqlx::{Connection, Executor};
use std::time::{Duration, Instant};

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Timed runs per measured operation (after three warm-up runs).
pub const RUNS: usize = 60;

/// A new, migrated database called `name`: a PostgreSQL database (dropped first) for
/// `postgres`, else a SQLite file in the temporary directory.
pub async fn fresh(backend: &str, name: &str) -> Result<Db> {
    let url = match backend {
        "postgres" => {
            let admin = std::env::var("LOBBY_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
            let mut c = sqlx::PgConnection::connect(&admin).await?;
            c.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await?;
            c.execute(format!("CREATE DATABASE {name}").as_str()).await?;
            format!("{}/{name}", admin.rsplit_once('/').unwrap().0)
        }
        _ => {
            let p = std::env::temp_dir().join(format!("{name}.db"));
            for s in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{s}", p.display()));
            }
            format!("sqlite://{}", p.display())
        }
    };
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    Ok(db)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// (median, p99) in milliseconds.
pub fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let median = ms(v[v.len() / 2]);
    let p99 = ms(v[((v.len() as f64 * 0.99).ceil() as usize).min(v.len()) - 1]);
    (median, p99)
}

/// Runs `f` three times to warm up, then [`RUNS`] times timed.
pub async fn time<F, Fut, T>(f: F) -> (f64, f64)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    for _ in 0..3 {
        f().await;
    }
    let mut v = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        f().await;
        v.push(t.elapsed());
    }
    stats(v)
}

/// The first person of `kind` ("member" or "guest") of the organization without an
/// expiry whose email starts with `email_prefix` ("" for anyone).
pub async fn first_person(pool: &sqlx::AnyPool, org: app::domain::OrgId, kind: &str, email_prefix: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM people WHERE org_id = $1 AND kind = $2 AND expires_at IS NULL AND email LIKE $3 ORDER BY id LIMIT 1")
        .bind(org.0)
        .bind(kind)
        .bind(format!("{email_prefix}%"))
        .fetch_one(pool)
        .await
        .expect("a person of that kind")
}

/// A person as a signed-in viewer.
pub async fn viewer(state: &app::web::state::AppState, id: i64) -> app::domain::Viewer {
    app::data::people::load_viewer(state.db.pool(), app::domain::PersonId(id), state.now_ms()).await.unwrap().expect("an active person").0
}
