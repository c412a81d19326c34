//! What every request handler and server function shares, handed over through Leptos
//! context (never a global): the database, the clock and the configuration.

use crate::clock::{Clock, SystemClock};
use crate::data::Db;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Config {
    /// Failed sign-ins allowed per account within [`Config::throttle_window_ms`].
    pub max_failures_per_account: i64,
    /// Failed sign-ins allowed per client address within the window.
    pub max_failures_per_address: i64,
    pub throttle_window_ms: i64,
    /// Where people reach this Lobby (links in mail), without a trailing slash.
    pub public_url: String,
    /// Password hashes computed or checked at once (sign-in, acceptance, password
    /// changes); argon2 is slow on purpose, so this caps the CPU an attacker can take.
    pub password_permits: usize,
    /// How long a password check waits for a permit before the answer is 429.
    pub password_wait_ms: u64,
    /// `/api/v1` requests each token may make per second on this server, sustained…
    pub api_rate_per_second: u64,
    /// …and at once (the bucket's size).
    pub api_burst: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_failures_per_account: 5,
            max_failures_per_address: 50,
            throttle_window_ms: 15 * 60 * 1000,
            public_url: "http://127.0.0.1:3000".to_string(),
            password_permits: 4,
            password_wait_ms: 1500,
            api_rate_per_second: 20,
            api_burst: 60,
        }
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    pub mailer: crate::mail::Mailer,
    /// The permits of [`Config::password_permits`].
    pub password_work: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub fn new(db: Db, clock: Arc<dyn Clock>, config: Config) -> AppState {
        let password_work = Arc::new(tokio::sync::Semaphore::new(config.password_permits.max(1)));
        AppState { db, clock, config: Arc::new(config), mailer: crate::mail::Mailer::Outbox, password_work }
    }

    pub fn system(db: Db) -> AppState {
        AppState::new(db, Arc::new(SystemClock), Config::default())
    }

    pub fn with_mailer(mut self, mailer: crate::mail::Mailer) -> AppState {
        self.mailer = mailer;
        self
    }

    /// A permit to hash or check one password, waiting at most
    /// [`Config::password_wait_ms`]; beyond that the server is busy: 429.
    pub async fn password_permit(&self) -> Result<tokio::sync::OwnedSemaphorePermit, crate::error::AppError> {
        let wait = std::time::Duration::from_millis(self.config.password_wait_ms);
        match tokio::time::timeout(wait, self.password_work.clone().acquire_owned()).await {
            Ok(Ok(p)) => Ok(p),
            _ => Err(crate::error::AppError::RateLimited {
                message: "Lobby is busy checking other sign-ins. Try again in a few seconds.".into(),
                retry_after_secs: 2,
            }),
        }
    }

    /// Sends queued mail after its transaction committed (see [`crate::mail::Mailer::deliver`]).
    pub async fn deliver(&self, ids: &[crate::domain::MailId]) {
        self.mailer.deliver(&self.db, &*self.clock, ids).await
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
}
