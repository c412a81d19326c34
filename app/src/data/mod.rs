//! The data layer: every SQL statement of Lobby lives under this module, and the same
//! text runs on SQLite and PostgreSQL through sqlx's `AnyPool` (`$n` placeholders,
//! unix-millisecond BIGINT timestamps, 0/1 flags). Only four things differ by backend,
//! and all four are here: the migrations, [`Db::begin_org_write`] and
//! [`Db::begin_orgs_write`] (the write transaction and its lock), search indexes, and
//! PostgreSQL's plan mode ([`begin_custom_planned`]).
//!
//! Functions take `now` (unix ms) from the caller's [`crate::clock::Clock`] rather than
//! reading the time, so tests can move time.

pub mod activity;
pub mod api_tokens;
pub mod dashboard;
pub mod directory;
pub mod generate;
pub mod guests;
pub mod invitations;
pub mod inventory;
pub mod messages;
pub mod orgs;
pub mod people;
pub mod projects;
pub mod reminders;
pub mod report;
pub mod structure;
pub mod throttle;

use crate::domain::OrgId;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyConnection, AnyPool, ConnectOptions, Executor, Transaction};
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Result<Backend, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(DbError::BadUrl(format!(
                "the database URL must start with sqlite:// or postgres:// (got “{}”)",
                redact(url)
            )))
        }
    }
}

/// A failure of the data layer. Its text is for logs and operators, never for the
/// browser: server functions turn it into [`crate::error::AppError::Internal`].
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0}")]
    BadUrl(String),
    #[error("cannot reach the database at {url}: {source}")]
    Unreachable { url: String, source: sqlx::Error },
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

impl DbError {
    /// True when a unique index refused the write (e.g. an email already in use).
    pub fn is_unique_violation(&self) -> bool {
        match self {
            DbError::Sql(sqlx::Error::Database(e)) => e.is_unique_violation(),
            _ => false,
        }
    }
}

impl From<DbError> for crate::error::AppError {
    fn from(e: DbError) -> Self {
        crate::error::AppError::internal("database", e)
    }
}

pub type DbResult<T> = Result<T, DbError>;

/// Hides a password in a database URL before it is printed.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}://{}:***@{}", &url[..s], user, &url[at + 1..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Page cache per SQLite connection, in KiB: enough for an organization's hot index
/// pages (the 2 MiB default made each batch of the sweeper re-read them: 58 ms a batch
/// of 500 guests against 29 ms with a large cache, measured at 20,000 guests).
const SQLITE_CACHE_KIB: i64 = 64 * 1024;
/// WAL pages (4 KiB each) after which a commit checkpoints by itself: 128 MiB, a safety
/// net only. [`crate::jobs::checkpoints`] checkpoints every second in the background, so a
/// request's commit does not: a bulk Incorporate of 500 guests writes about 9,700 pages,
/// and with the former 8,000 every such commit copied the log back before returning
/// (median Incorporate 328 → 182 ms, Delete 286 → 110 ms at a million guests; the
/// slowest runs, whose commit overlaps a background checkpoint, did not improve;
/// BENCHMARKS.md).
pub const SQLITE_AUTOCHECKPOINT_PAGES: i64 = 32_768;
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    url: String,
}

impl Db {
    /// Connects to `url`, creating an SQLite file if it does not exist yet. SQLite
    /// connections run in WAL mode with foreign keys on and a busy timeout.
    pub async fn connect(url: &str) -> DbResult<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let mut url = url.to_string();
        if backend == Backend::Sqlite && !url.contains("mode=") && !url.contains(":memory:") {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str("mode=rwc");
        }
        let opts = AnyConnectOptions::from_str(&url)
            .map_err(|e| DbError::BadUrl(format!("“{}” is not a valid database URL: {e}", redact(&url))))?
            .disable_statement_logging();
        // One plain attempt first: the pool would retry an unreachable server until its
        // acquire timeout, and an operator wants the answer at once.
        opts.connect().await.map_err(|source| DbError::Unreachable { url: redact(&url), source })?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 10 })
            .acquire_timeout(Duration::from_secs(30))
            // No ping before each use: sqlx already pings every connection when it comes
            // back to the pool and drops a broken one there, so the ping before handing
            // it out again was a second round trip on every statement (PostgreSQL).
            .test_before_acquire(false)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Set per connection: an Any URL cannot carry these.
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        // A page cache that holds an organization's indexes (the 2 MiB
                        // default re-reads them on every batch of a job).
                        conn.execute(format!("PRAGMA cache_size = -{SQLITE_CACHE_KIB}").as_str()).await?;
                        // A commit that finds this many pages in the WAL copies them back
                        // into the database file before returning (after its write lock
                        // is released, but while its caller waits). The background
                        // checkpointer and the job runner checkpoint well before that
                        // ([`Db::checkpoint`]); requests reach it only if they fall behind.
                        conn.execute(format!("PRAGMA wal_autocheckpoint = {SQLITE_AUTOCHECKPOINT_PAGES}").as_str()).await?;
                    } else {
                        // Lobby's statements are short index walks that stop after a page;
                        // starting parallel workers for one cost more than the statement
                        // (a two-word directory search: 96 ms with a Gather, 7.7 ms
                        // without, at 110,000 people).
                        conn.execute("SET max_parallel_workers_per_gather = 0").await?;
                        // One plan per statement, made once per connection. With the
                        // default ("auto") PostgreSQL kept planning Lobby's cached
                        // statements afresh on every call, judging its generic plan
                        // costlier: 1.2 ms of planning for 0.05 ms of execution in a
                        // guest search. The generic plans walk the same indexes. The reads
                        // that need a plan for their own values ask for it with
                        // [`begin_custom_planned`].
                        conn.execute("SET plan_cache_mode = force_generic_plan").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await
            .map_err(|source| DbError::Unreachable { url: redact(&url), source })?;
        Ok(Db { pool, backend, url })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn migrate(&self) -> DbResult<()> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&self.pool).await?,
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&self.pool).await?,
        }
        Ok(())
    }

    /// Starts a write transaction that serializes with every other writer of the same
    /// organization, so read-then-write rules (quota, "still a guest?") hold under
    /// concurrency:
    /// - SQLite: `BEGIN IMMEDIATE` takes the database write lock up front; a deferred
    ///   transaction that upgrades later fails at once with SQLITE_BUSY instead of waiting.
    /// - PostgreSQL: `SELECT … FOR UPDATE` on the organization row (`BEGIN IMMEDIATE` is
    ///   a syntax error there).
    pub async fn begin_org_write(&self, org: OrgId) -> DbResult<WriteTx> {
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT id FROM organizations WHERE id = $1 FOR UPDATE")
                .bind(org.0)
                .fetch_optional(&mut *tx.tx)
                .await?;
        }
        Ok(tx)
    }

    /// A write transaction over several organizations' rows (the background jobs'
    /// batches), serialized with each one's writers like [`Db::begin_org_write`]. The
    /// organization rows are locked first and in id order: a job that locked guest rows
    /// first and then touched the organization (a foreign key check takes a share lock
    /// on it) would deadlock with a request holding the organization and wanting a guest.
    pub async fn begin_orgs_write(&self, orgs: &[OrgId]) -> DbResult<WriteTx> {
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres && !orgs.is_empty() {
            let mut ids: Vec<i64> = orgs.iter().map(|o| o.0).collect();
            ids.sort_unstable();
            ids.dedup();
            let sql = format!("SELECT id FROM organizations WHERE id IN ({}) ORDER BY id FOR UPDATE", placeholders(1, ids.len()));
            let mut q = sqlx::query(&sql);
            for id in ids {
                q = q.bind(id);
            }
            q.fetch_all(&mut *tx.tx).await?;
        }
        Ok(tx)
    }

    /// SQLite: copies what the write-ahead log holds back into the database file, without
    /// waiting for readers or blocking writers (`PASSIVE`). [`crate::jobs::checkpoints`]
    /// calls it every second and the job runner between batches, so no commit does it
    /// while holding up its caller. Returns the frames in the log and how many of them are
    /// in the database file now (`None` on PostgreSQL: nothing to do).
    pub async fn checkpoint(&self) -> DbResult<Option<(i64, i64)>> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        let (_busy, log, done): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&self.pool).await?;
        Ok(Some((log, done)))
    }

    /// A write transaction not tied to one organization (creating one, global tables).
    pub async fn begin_write(&self) -> DbResult<WriteTx> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx { tx })
    }
}

/// A read transaction whose statements PostgreSQL plans for their own values on every
/// call (`plan_cache_mode = force_custom_plan` for this transaction only; connections
/// otherwise reuse one generic plan per statement). For a read whose best plan depends on
/// its values: the Activity Report's page, where the generic plan for a Department Admin's
/// scope reads the whole branch and sorts it, and a contacts search of several words. On
/// SQLite a plain transaction.
pub async fn begin_custom_planned(pool: &AnyPool) -> DbResult<Transaction<'static, Any>> {
    let mut tx = pool.begin().await?;
    if tx.backend_name() == "PostgreSQL" {
        tx.execute("SET LOCAL plan_cache_mode = force_custom_plan").await?;
    }
    Ok(tx)
}

/// An open write transaction; dropped without [`WriteTx::commit`] it rolls back.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
}

impl WriteTx {
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    pub async fn commit(self) -> DbResult<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// A 0/1 flag column as read (BIGINT on both backends), for `#[sqlx(try_from = "DbFlag")]`
/// on a `bool` field of a row type: rows carry `bool`, never the number.
#[derive(Clone, Copy, Debug)]
pub struct DbFlag(i64);

impl sqlx::Type<sqlx::Any> for DbFlag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <i64 as sqlx::Type<sqlx::Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <i64 as sqlx::Type<sqlx::Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for DbFlag {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(DbFlag(<i64 as sqlx::Decode<sqlx::Any>>::decode(value)?))
    }
}

impl From<DbFlag> for bool {
    fn from(f: DbFlag) -> bool {
        f.0 != 0
    }
}

/// Row fields decode straight into domain types: ids and [`Timestamp`]s from BIGINT
/// columns, and the enums stored as text (`kind`, `state`, `permission`) through their
/// `from_db`, so no string or bare number of a column travels above this module. An
/// unknown stored text is a decoding error (logged, a 500), never a silent default.
macro_rules! decode_as_i64 {
    ($($t:ident),* $(,)?) => {$(
        impl sqlx::Type<sqlx::Any> for crate::domain::$t {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <i64 as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <i64 as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }
        impl<'r> sqlx::Decode<'r, sqlx::Any> for crate::domain::$t {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                Ok(crate::domain::$t(<i64 as sqlx::Decode<sqlx::Any>>::decode(value)?))
            }
        }
    )*};
}
decode_as_i64!(OrgId, PersonId, DeptId, GroupId, ProjectId, InvitationId, MailId, ConversationId, MessageId, TokenId, Timestamp);

macro_rules! decode_as_text {
    ($($t:ty => $parse:ident),* $(,)?) => {$(
        impl sqlx::Type<sqlx::Any> for $t {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $t {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <String as sqlx::Decode<sqlx::Any>>::decode(value)?;
                <$t>::$parse(&text).ok_or_else(|| format!("unknown stored value {text:?} for {}", stringify!($t)).into())
            }
        }
    )*};
}
decode_as_text!(
    crate::domain::PersonKind => from_db,
    crate::domain::PersonState => from_db,
    crate::domain::Permission => from_db,
    crate::domain::invite::InvitationState => from_db,
    crate::domain::expiry::ExpiryPeriod => from_key,
    crate::domain::activity::Action => from_key,
    crate::domain::activity::TargetKind => from_db,
    crate::domain::messages::ConversationKind => from_db,
);

/// The filter and order of a keyset page over `key` then `id` (SQL expressions), the
/// list's order being descending when `desc`: the rows after (or, reading backwards,
/// before) the cursor's row. The cursor's key and id are the parameters `$p` and
/// `$p+1` (bind them with [`bind_key`]). Returns ("AND …" or "", the ORDER BY list).
pub(crate) fn keyset(key: &str, id: &str, desc: bool, pos: &crate::domain::paging::Position, p: usize) -> (String, String) {
    use crate::domain::paging::Position;
    // Reading backwards walks the list's order the other way.
    let forwards_desc = desc != pos.backwards();
    let dir = if forwards_desc { "DESC" } else { "ASC" };
    let order = format!("{key} {dir}, {id} {dir}");
    let filter = match pos {
        Position::First => String::new(),
        _ => format!("AND ({key}, {id}) {} (${p}, ${})", if forwards_desc { "<" } else { ">" }, p + 1),
    };
    (filter, order)
}

/// Binds a keyset cursor's key and id (see [`keyset`]); nothing for the first page.
pub(crate) fn bind_key<'q, O>(
    q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    pos: &crate::domain::paging::Position,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    use crate::domain::paging::KeyValue;
    match pos.key() {
        None => q,
        Some(k) => match &k.value {
            KeyValue::Int(n) => q.bind(*n).bind(k.id),
            KeyValue::Text(t) => q.bind(t.clone()).bind(k.id),
        },
    }
}

/// The search's further words: for each of `count` more prefixes, "and person `p` also
/// has a word in [`$first + 2k`, `$first + 2k + 1`)" — bind each prefix and its upper
/// bound in that order after the query's own parameters.
pub(crate) fn more_words(count: usize, first: usize) -> String {
    (0..count)
        .map(|k| {
            let lo = first + 2 * k;
            format!(" AND EXISTS (SELECT 1 FROM search_words w{k}x WHERE w{k}x.person_id = p.id AND w{k}x.word >= ${lo} AND w{k}x.word < ${})", lo + 1)
        })
        .collect()
}

/// `$from, $from+1, …` for `n` values: an `IN (…)` list of a statement's parameters.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (0..n).map(|i| format!("${}", i + from)).collect::<Vec<_>>().join(", ")
}

/// A parameter of SQL built at run time (its placeholders numbered as they are added).
pub(crate) enum Arg {
    Int(i64),
    Text(String),
}

/// Binds `args` in order.
pub(crate) fn bind_all<'q, O>(
    mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    args: Vec<Arg>,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::Int(n) => q.bind(n),
            Arg::Text(t) => q.bind(t),
        };
    }
    q
}

/// Reads a 0/1 flag column.
pub(crate) fn flag(v: i64) -> bool {
    v != 0
}

/// Writes a 0/1 flag column.
pub(crate) fn as_flag(b: bool) -> i64 {
    b as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_by_scheme() {
        assert_eq!(Backend::of_url("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::of_url("postgres://u@h/db").unwrap(), Backend::Postgres);
        assert_eq!(Backend::of_url("postgresql://u@h/db").unwrap(), Backend::Postgres);
        assert!(Backend::of_url("mysql://u@h/db").is_err());
        assert!(Backend::of_url("lobby.db").is_err());
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://bob:s3cret@db:5432/x"), "postgres://bob:***@db:5432/x");
        assert_eq!(redact("postgres://bob@db/x"), "postgres://bob@db/x");
        assert_eq!(redact("sqlite://data/lobby.db"), "sqlite://data/lobby.db");
    }
}
