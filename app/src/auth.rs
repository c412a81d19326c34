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
use crate::state::AppState;
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

/// A new invitation token (256 random bits, URL-safe hex) and the hash that is stored.
pub fn new_token() -> (String, String) {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = hash_token(&token);
    (token, hash)
}

/// The stored form of a token: its SHA-256, hex. A leaked table gives no usable link.
pub fn hash_token(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.trim().as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Hashes off the async threads.
pub async fn hash_password_blocking(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::internal("hashing a password", e))?
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// Verifies off the async threads: argon2 is deliberately slow.
async fn verify_blocking(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

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
/// same work; too many failures per account or address get `TooManyAttempts` without
/// checking the password at all.
pub async fn check_sign_in(state: &AppState, attempt: &SignInAttempt) -> Result<SessionUser, AppError> {
    let pool = state.db.pool();
    let now = state.now_ms();
    let window_start = now - state.config.throttle_window_ms;
    let email = Email::parse(&attempt.email).map(|e| e.as_str().to_string()).ok();
    let account_key = format!("account:{}", email.as_deref().unwrap_or(attempt.email.trim()));
    let address_key = format!("address:{}", attempt.address);

    if throttle::failures(pool, &account_key, window_start).await? >= state.config.max_failures_per_account
        || throttle::failures(pool, &address_key, window_start).await? >= state.config.max_failures_per_address
    {
        return Err(AppError::TooManyAttempts);
    }

    let candidates = match &email {
        Some(e) => people::sign_in_candidates(pool, e, now).await?,
        None => Vec::new(),
    };
    let mut matched = None;
    for c in &candidates {
        if let Some(hash) = &c.password_hash {
            if verify_blocking(attempt.password.clone(), hash.clone()).await {
                matched = Some(c.id);
                break;
            }
        }
    }
    if candidates.iter().all(|c| c.password_hash.is_none()) {
        // Same cost as a real check, so timing does not tell which emails exist.
        verify_blocking(attempt.password.clone(), state.dummy_hash.to_string()).await;
    }

    match matched {
        Some(id) => {
            throttle::clear(pool, &account_key).await?;
            session_user(state, id).await?.ok_or(AppError::BadCredentials)
        }
        None => {
            throttle::add_failure(pool, &account_key, now, window_start).await?;
            throttle::add_failure(pool, &address_key, now, window_start).await?;
            tracing::info!(address = %attempt.address, "refused sign-in");
            Err(AppError::BadCredentials)
        }
    }
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
