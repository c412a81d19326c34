//! Sessions live in the database so several server instances share them. The sqlx
//! session stores need a concrete pool, so this opens a small second pool on the same
//! URL and picks the store by backend.

use crate::data::{Backend, DbError};
use async_trait::async_trait;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use std::str::FromStr;
use std::time::Duration;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

#[derive(Clone, Debug)]
pub enum LobbySessionStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl LobbySessionStore {
    /// Connects and creates the session table if needed.
    pub async fn connect(url: &str) -> Result<LobbySessionStore, DbError> {
        let store = match Backend::of_url(url)? {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_secs(10));
                let pool = SqlitePoolOptions::new().max_connections(4).connect_with(opts).await?;
                let s = SqliteStore::new(pool);
                s.migrate().await?;
                LobbySessionStore::Sqlite(s)
            }
            Backend::Postgres => {
                let pool = PgPoolOptions::new().max_connections(4).connect(url).await?;
                let s = PostgresStore::new(pool);
                s.migrate().await?;
                LobbySessionStore::Postgres(s)
            }
        };
        Ok(store)
    }
}

#[async_trait]
impl SessionStore for LobbySessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            LobbySessionStore::Sqlite(s) => s.create(record).await,
            LobbySessionStore::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            LobbySessionStore::Sqlite(s) => s.save(record).await,
            LobbySessionStore::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            LobbySessionStore::Sqlite(s) => s.load(id).await,
            LobbySessionStore::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            LobbySessionStore::Sqlite(s) => s.delete(id).await,
            LobbySessionStore::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for LobbySessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            LobbySessionStore::Sqlite(s) => s.delete_expired().await,
            LobbySessionStore::Postgres(s) => s.delete_expired().await,
        }
    }
}
