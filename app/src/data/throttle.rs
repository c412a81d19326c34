//! Failed sign-in counters, kept in the database so every server instance sees them.

use super::DbResult;
use sqlx::AnyPool;

/// Failures counted under `key` since `window_start` (older windows count as zero).
pub async fn failures(pool: &AnyPool, key: &str, window_start: i64) -> DbResult<i64> {
    let n: Option<i64> = sqlx::query_scalar(
        "SELECT failures FROM signin_failures WHERE key = $1 AND window_start >= $2",
    )
    .bind(key)
    .bind(window_start)
    .fetch_optional(pool)
    .await?;
    Ok(n.unwrap_or(0))
}

/// Counts one more failure under `key`, starting a new window when the stored one began
/// before `window_start`. One atomic statement, so concurrent failures all count.
pub async fn add_failure(pool: &AnyPool, key: &str, now: i64, window_start: i64) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO signin_failures (key, failures, window_start) VALUES ($1, 1, $2)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN signin_failures.window_start < $3 THEN 1 ELSE signin_failures.failures + 1 END,
           window_start = CASE WHEN signin_failures.window_start < $3 THEN $2 ELSE signin_failures.window_start END",
    )
    .bind(key)
    .bind(now)
    .bind(window_start)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn clear(pool: &AnyPool, key: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM signin_failures WHERE key = $1").bind(key).execute(pool).await?;
    Ok(())
}
