//! Sign-in attempt counters, kept in the database so every server instance sees them.
//! An attempt is counted *before* its password is checked, in one atomic statement, so
//! however many arrive at once only the first few are checked.

use super::DbResult;
use sqlx::AnyPool;

/// The longest key stored: an address or an email, cut to this many characters, so a
/// caller cannot grow the table with huge keys.
pub const MAX_KEY_CHARS: usize = 270;

/// The counter key of a sign-in name (an email, normalized when it is one).
pub fn account_key(email: &str) -> String {
    bounded("account:", &email.trim().to_lowercase())
}

/// The counter key of a client address.
pub fn address_key(address: &str) -> String {
    bounded("address:", address)
}

fn bounded(prefix: &str, rest: &str) -> String {
    prefix.chars().chain(rest.chars()).take(MAX_KEY_CHARS).collect()
}

/// A counter after an attempt was added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    /// Attempts in the current window, this one included.
    pub attempts: i64,
    /// When the current window began (unix ms).
    pub window_start: i64,
}

/// Counts one more attempt under `key` and returns the count, starting a new window
/// when the stored one began before `window_start`. One atomic statement: of concurrent
/// attempts, each sees a different count.
pub async fn count_attempt(pool: &AnyPool, key: &str, now: i64, window_start: i64) -> DbResult<Count> {
    let (attempts, start): (i64, i64) = sqlx::query_as(
        "INSERT INTO signin_failures (key, failures, window_start) VALUES ($1, 1, $2)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN signin_failures.window_start < $3 THEN 1 ELSE signin_failures.failures + 1 END,
           window_start = CASE WHEN signin_failures.window_start < $3 THEN $2 ELSE signin_failures.window_start END
         RETURNING failures, window_start",
    )
    .bind(key)
    .bind(now)
    .bind(window_start)
    .fetch_one(pool)
    .await?;
    Ok(Count { attempts, window_start: start })
}

/// Takes back one counted attempt (a successful sign-in does not count against its
/// address; an attempt the server was too busy to check does not count at all).
pub async fn forgive(pool: &AnyPool, key: &str) -> DbResult<()> {
    sqlx::query("UPDATE signin_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn clear(pool: &AnyPool, key: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM signin_failures WHERE key = $1").bind(key).execute(pool).await?;
    Ok(())
}

/// Deletes the counters whose window began before `window_start`: they no longer count.
pub async fn purge(pool: &AnyPool, window_start: i64) -> DbResult<u64> {
    Ok(sqlx::query("DELETE FROM signin_failures WHERE window_start < $1")
        .bind(window_start)
        .execute(pool)
        .await?
        .rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_normalized_and_bounded() {
        assert_eq!(account_key("  Ada@Acme.Test "), "account:ada@acme.test");
        assert_eq!(address_key("203.0.113.7"), "address:203.0.113.7");
        assert_eq!(account_key(&"x".repeat(100_000)).chars().count(), MAX_KEY_CHARS);
        assert_eq!(address_key(&"é".repeat(1000)).chars().count(), MAX_KEY_CHARS);
    }
}
