//! Sign-in: argon2 password hashes, throttling of failed attempts (counted in the
//! database, per account and per client address), and the axum-login backend that
//! turns a session cookie back into a [`Viewer`] on every request.
//!
//! A session stays valid only while its person is active, not expired, and has the same
//! session epoch as when they signed in: removing or disabling someone moves their epoch,
//! so all their sessions stop at once on every server instance.

use crate::data::{people, throttle};
use crate::domain::{Email, PersonId, Viewer};
use crate::error::AppError;
use crate::web::state::AppState;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum_login::{AuthUser, AuthnBackend};

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal("hashing a password", e))
}

/// Hashes off the async threads, holding one of the server's password-work permits
/// (see [`AppState::password_permit`]) until the hash is done — inside the blocking task,
/// so a client that hangs up does not free the permit while the work goes on.
pub async fn hash_password_blocking(state: &AppState, password: String) -> Result<String, AppError> {
    let permit = state.password_permit().await?;
    tokio::task::spawn_blocking(move || {
        let hashed = hash_password(&password);
        drop(permit);
        hashed
    })
    .await
    .map_err(|e| AppError::internal("hashing a password", e))?
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// Checks `password` against each hash in turn off the async threads (argon2 is slow on
/// purpose), holding `permit` until done; returns the index of the first match. With no
/// hash to check, one check against `dummy` costs the same, so timing does not tell which
/// emails exist.
async fn verify_blocking(
    permit: tokio::sync::OwnedSemaphorePermit,
    password: String,
    hashes: Vec<Option<String>>,
    dummy: String,
) -> Option<usize> {
    tokio::task::spawn_blocking(move || {
        let mut matched = None;
        for (i, h) in hashes.iter().enumerate() {
            if let Some(h) = h {
                if !password.is_empty() && verify_password(&password, h) {
                    matched = Some(i);
                    break;
                }
            }
        }
        if hashes.iter().all(Option::is_none) || password.is_empty() {
            verify_password(&password.chars().take(64).collect::<String>(), &dummy);
        }
        drop(permit);
        matched
    })
    .await
    .unwrap_or(None)
}

/// Computes the dummy hash now, off the async threads, so the first unknown email is not
/// slower than the next ones. Called when `lobby serve` starts.
pub async fn warm_up() {
    let _ = tokio::task::spawn_blocking(|| dummy_hash().len()).await;
}

/// A real argon2 hash, checked when an email is unknown so that an unknown email takes
/// as long to refuse as a wrong password. Computed once.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("lobby-dummy-password-for-timing").expect("argon2 can hash a constant"))
}

/// The longest password Lobby checks; longer ones are simply wrong.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// The signed-in person as axum-login keeps them.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub viewer: Viewer,
    auth_hash: Vec<u8>,
}

impl AuthUser for SessionUser {
    type Id = i64;

    fn id(&self) -> i64 {
        self.viewer.id.0
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

#[derive(Clone, Debug)]
pub struct SignInAttempt {
    pub email: String,
    pub password: String,
    /// The client's address, for per-address throttling.
    pub address: String,
}

/// Loads a person for a session, or `None` if they may no longer be signed in.
pub async fn session_user(state: &AppState, id: PersonId) -> Result<Option<SessionUser>, AppError> {
    Ok(people::load_viewer(state.db.pool(), id, state.now_ms())
        .await?
        .map(|(viewer, epoch)| SessionUser { viewer, auth_hash: epoch.to_be_bytes().to_vec() }))
}

/// Checks an attempt. Unknown emails and wrong passwords get the same answer, after the
/// same work. Each attempt is counted *before* its password is checked (per account and
/// per client address), so at most `max_failures_per_account` checks per account and
/// window happen however many attempts arrive at once; beyond that the answer is
/// `TooManyAttempts` with the time left. A successful sign-in clears its account's count.
pub async fn check_sign_in(state: &AppState, attempt: &SignInAttempt) -> Result<SessionUser, AppError> {
    let pool = state.db.pool();
    let now = state.now_ms();
    let window = state.config.throttle_window_ms;
    let email = Email::parse(&attempt.email).map(|e| e.as_str().to_string()).ok();
    let account_key = throttle::account_key(email.as_deref().unwrap_or(&attempt.email));
    let address_key = throttle::address_key(&attempt.address);

    let account = throttle::count_attempt(pool, &account_key, now, now - window).await?;
    let address = throttle::count_attempt(pool, &address_key, now, now - window).await?;
    let locked_until = [
        (account.attempts > state.config.max_failures_per_account).then_some(account.window_start + window),
        (address.attempts > state.config.max_failures_per_address).then_some(address.window_start + window),
    ]
    .into_iter()
    .flatten()
    .max();
    if let Some(until) = locked_until {
        tracing::info!(address = %attempt.address, "sign-in refused: too many attempts");
        return Err(AppError::TooManyAttempts { retry_after_secs: ((until - now) / 1000).max(1) });
    }

    let permit = match state.password_permit().await {
        Ok(p) => p,
        Err(e) => {
            // Not checked, so not counted.
            throttle::forgive(pool, &account_key).await?;
            throttle::forgive(pool, &address_key).await?;
            return Err(e);
        }
    };
    let password = if attempt.password.len() <= MAX_PASSWORD_BYTES { attempt.password.clone() } else { String::new() };
    let candidates = match &email {
        Some(e) => people::sign_in_candidates(pool, e, now).await?,
        None => Vec::new(),
    };
    let hashes = candidates.iter().map(|c| c.password_hash.clone()).collect();
    let matched = verify_blocking(permit, password, hashes, dummy_hash().to_string())
        .await
        .map(|i| candidates[i].id);

    match matched {
        Some(id) => {
            throttle::clear(pool, &account_key).await?;
            throttle::forgive(pool, &address_key).await?;
            session_user(state, id).await?.ok_or(AppError::BadCredentials)
        }
        None => {
            tracing::info!(address = %attempt.address, "refused sign-in");
            Err(AppError::BadCredentials)
        }
    }
}

/// The session key holding when this session last recorded its person's `last_seen_at`.
const SEEN_KEY: &str = "lobby.seen_at";
/// A session records its person's last sign-in/use at most this often.
pub const SEEN_EVERY_MS: i64 = 3_600_000;

/// Records that the signed-in person uses Lobby: `last_seen_at` at sign-in, then at
/// most once an hour per session.
pub async fn note_seen(state: &AppState, session: &tower_sessions::Session, person: PersonId, force: bool) -> Result<(), AppError> {
    let now = state.now_ms();
    let last: Option<i64> = session.get(SEEN_KEY).await.unwrap_or(None);
    if force || last.is_none_or(|t| now - t >= SEEN_EVERY_MS || t > now) {
        people::record_seen(state.db.pool(), person, now).await?;
        session.insert(SEEN_KEY, now).await.map_err(|e| AppError::internal("saving the session", e))?;
    }
    Ok(())
}

/// Middleware: [`note_seen`] for every request of a signed-in person. A failure is
/// logged; the request goes on.
pub async fn record_last_seen(
    session: AuthSession,
    axum::Extension(state): axum::Extension<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if let Some(user) = &session.user {
        if let Err(e) = note_seen(&state, &session.session, user.viewer.id, false).await {
            tracing::warn!(error = %e, "recording last sign-in");
        }
    }
    next.run(req).await
}

/// axum-login's view of Lobby's people.
#[derive(Clone, Debug)]
pub struct Backend {
    pub state: AppState,
}

impl AuthnBackend for Backend {
    type User = SessionUser;
    type Credentials = SignInAttempt;
    type Error = AppError;

    async fn authenticate(&self, creds: SignInAttempt) -> Result<Option<SessionUser>, AppError> {
        match check_sign_in(&self.state, &creds).await {
            Ok(u) => Ok(Some(u)),
            Err(AppError::BadCredentials) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn get_user(&self, id: &i64) -> Result<Option<SessionUser>, AppError> {
        session_user(&self.state, PersonId(*id)).await
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;
