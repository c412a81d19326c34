//! API tokens (F-API): made, listed and revoked by admins in Settings → API tokens (or
//! `lobby create-token`), and checked on every `/api/v1` request.
//!
//! A token is `lobby_` + 64 hex digits (256 random bits) + 8 hex digits of checksum (the
//! first 4 bytes of the SHA-256 of the rest), so a leaked token is recognized by its
//! shape and checksum without the database, and a mistyped one is refused before any
//! lookup. Only its SHA-256 is stored.
//!
//! A request acts as the token's owner *now*: the owner is loaded fresh on every request
//! (a removed, disabled or expired owner stops the token, and so does an owner no longer
//! an admin), and then the console's own service functions apply the owner's role and
//! departments; the token's scopes only narrow that.

use crate::data::api_tokens::{self as db, NewToken, TokenRow};
use crate::domain::access;
use crate::domain::api_token::{self as rules, Scope};
use crate::domain::{PersonId, TokenId, Viewer};
use crate::error::AppError;
use crate::model::api_tokens::*;
use crate::web::state::AppState;

pub const PREFIX: &str = "lobby_";
const BODY_HEX: usize = 64;
const CHECK_HEX: usize = 8;
/// How long revoked and expired tokens stay in the list.
const SHOWN_AFTER_END_MS: i64 = 30 * 86_400_000;
/// The most tokens listed.
const LIST_LIMIT: i64 = 500;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn checksum(body: &str) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(format!("{PREFIX}{body}").as_bytes())[..CHECK_HEX / 2])
}

/// A new secret.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; BODY_HEX / 2];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let body = hex(&bytes);
    let check = checksum(&body);
    format!("{PREFIX}{body}{check}")
}

/// Whether `s` has a token's shape and a matching checksum.
pub fn well_formed(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(PREFIX) else { return false };
    if rest.len() != BODY_HEX + CHECK_HEX || !rest.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return false;
    }
    let (body, check) = rest.split_at(BODY_HEX);
    checksum(body) == check
}

/// The stored form: SHA-256, hex.
pub fn hash(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(secret.as_bytes()))
}

fn info(r: TokenRow) -> TokenInfo {
    TokenInfo {
        id: r.id.0,
        name: r.name,
        hint: r.hint,
        owner: r.owner,
        owner_email: r.owner_email,
        scopes: rules::scopes_of_text(&r.scopes),
        created_at: r.created_at.0,
        expires_at: r.expires_at.0,
        revoked_at: r.revoked_at.map(|t| t.0),
        last_used_at: r.last_used_at.map(|t| t.0),
        last_used_from: r.last_used_from,
    }
}

/// Whose tokens the viewer sees and revokes: a Company Admin all of the organization's,
/// a Department Admin their own.
fn owner_filter(viewer: &Viewer) -> Result<Option<PersonId>, AppError> {
    access::admin_only(viewer).map_err(|d| AppError::denied(d, "Not found."))?;
    Ok((!viewer.is_company_admin).then_some(viewer.id))
}

const TOKEN_NOT_FOUND: &str = "This token was not found.";

/// The tokens page.
pub async fn view(state: &AppState, viewer: &Viewer) -> Result<TokensView, AppError> {
    let owner = owner_filter(viewer)?;
    let now = state.now_ms();
    let rows = db::list(state.db.pool(), viewer.org_id, owner, now - SHOWN_AFTER_END_MS, LIST_LIMIT).await?;
    let grantable = Scope::ALL.into_iter().filter(|s| s.grantable_by(viewer.role())).collect();
    Ok(TokensView { tokens: rows.into_iter().map(info).collect(), grantable, now })
}

/// Makes a token owned by the viewer; its secret is in the answer and nowhere else.
pub async fn create(state: &AppState, viewer: &Viewer, input: NewTokenInput) -> Result<CreatedToken, AppError> {
    owner_filter(viewer)?;
    let name = rules::check_name(&input.name)?;
    let days = rules::check_days(input.days)?;
    let scopes = rules::check_scopes(input.scopes, viewer.role())?;
    let secret = new_secret();
    let now = state.now_ms();
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let id = db::insert(
        &mut tx,
        NewToken {
            org: viewer.org_id,
            owner: viewer.id,
            name: &name,
            scopes: &rules::scopes_text(&scopes),
            token_hash: &hash(&secret),
            hint: &secret[..PREFIX.len() + 6],
            now,
            expires_at: now + days * 86_400_000,
        },
    )
    .await?;
    tx.commit().await?;
    let row = db::get(state.db.pool(), viewer.org_id, id, None).await?.ok_or_else(|| AppError::internal("creating a token", "not found after insert"))?;
    Ok(CreatedToken { token: info(row), secret })
}

/// [`create`] for `lobby create-token`: the owner by organization name and email, with
/// the same rules as the console's.
pub async fn create_for(state: &AppState, org: &str, owner_email: &str, scopes: &str, days: i64, name: &str) -> Result<CreatedToken, AppError> {
    let pool = state.db.pool();
    let org = crate::data::orgs::org_named(pool, org).await?.ok_or_else(|| AppError::NotFound(format!("No organization is named \"{org}\".")))?;
    let owner = crate::data::people::live_by_email(pool, org, owner_email).await?.ok_or_else(|| AppError::NotFound(format!("Nobody active has the email {owner_email} there.")))?;
    let (viewer, _) = crate::data::people::load_viewer(pool, owner, state.now_ms()).await?.ok_or_else(|| AppError::NotFound(format!("{owner_email} may not sign in now.")))?;
    let scopes = rules::parse_scopes(scopes, viewer.role())?;
    create(state, &viewer, NewTokenInput { name: name.to_string(), scopes, days }).await
}

/// Revokes one token the viewer sees (see [`view`]).
pub async fn revoke(state: &AppState, viewer: &Viewer, id: i64) -> Result<(), AppError> {
    let owner = owner_filter(viewer)?;
    let id = TokenId(id);
    db::get(state.db.pool(), viewer.org_id, id, owner).await?.ok_or_else(|| AppError::NotFound(TOKEN_NOT_FOUND.into()))?;
    let mut tx = state.db.begin_org_write(viewer.org_id).await?;
    let done = db::revoke(&mut tx, viewer.org_id, id, Some(viewer.id), state.now_ms()).await?;
    tx.commit().await?;
    if done {
        Ok(())
    } else {
        Err(AppError::Conflict("This token was already revoked.".into()))
    }
}

/// Who an API request acts as: the token's owner as they are now, and its scopes.
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub token: TokenId,
    pub viewer: Viewer,
    pub scopes: Vec<Scope>,
}

impl ApiCaller {
    /// The owner, if the token carries `scope` (else 403 naming the scope it lacks).
    pub fn with(&self, scope: Scope) -> Result<&Viewer, AppError> {
        if rules::allows(&self.scopes, scope) {
            Ok(&self.viewer)
        } else {
            Err(AppError::Refused(format!("This token does not have the scope \"{}\" ({}).", scope.key(), scope.label())))
        }
    }
}

/// The one answer for every token that does not work: which of unknown, revoked or
/// expired it is goes to the log, not to the caller.
fn bad_token() -> AppError {
    AppError::Unauthenticated
}

/// Checks a bearer token presented from `from` (the client's address). Notes "last
/// used" at most once a minute; a revoked or expired token's use is logged at most
/// hourly.
pub async fn authenticate(state: &AppState, secret: &str, from: &str) -> Result<ApiCaller, AppError> {
    if !well_formed(secret) {
        return Err(bad_token());
    }
    let pool = state.db.pool();
    let now = state.now_ms();
    let Some(row) = db::by_hash(pool, &hash(secret)).await? else { return Err(bad_token()) };
    if row.revoked_at.is_some() || row.expires_at.0 <= now {
        // Only when the hour since the last note has passed is there anything to write
        // (the claim below still decides between servers).
        if row.refused_logged_at.is_some_and(|t| t.0 > now - rules::REFUSED_LOG_EVERY_MS) {
            return Err(bad_token());
        }
        let mut tx = state.db.begin_org_write(row.org_id).await?;
        if db::claim_refused_log(&mut tx, row.id, now, rules::REFUSED_LOG_EVERY_MS).await? {
            db::log_refused(&mut tx, row.org_id, row.id, from, now).await?;
            tracing::warn!(token = row.id.0, from, "a revoked or expired API token was used");
        }
        tx.commit().await?;
        return Err(bad_token());
    }
    let Some((viewer, _)) = crate::data::people::load_viewer(pool, row.owner_id, now).await? else { return Err(bad_token()) };
    if viewer.org_id != row.org_id || !rules::owner_may_use(viewer.role()) {
        return Err(bad_token());
    }
    // A write only when the minute has passed: most requests read and nothing more.
    if row.last_used_at.is_none_or(|t| t.0 <= now - rules::LAST_USED_EVERY_MS) {
        db::touch(pool, row.id, now, from, rules::LAST_USED_EVERY_MS).await?;
    }
    Ok(ApiCaller { token: row.id, viewer, scopes: rules::scopes_of_text(&row.scopes) })
}

/// Revokes the token the request came with.
pub async fn revoke_current(state: &AppState, caller: &ApiCaller) -> Result<(), AppError> {
    let mut tx = state.db.begin_org_write(caller.viewer.org_id).await?;
    db::revoke(&mut tx, caller.viewer.org_id, caller.token, Some(caller.viewer.id), state.now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// The tokens of the caller's organization as an API caller sees them (the same as
/// [`view`] for the owner).
pub async fn list(state: &AppState, viewer: &Viewer) -> Result<Vec<TokenInfo>, AppError> {
    Ok(view(state, viewer).await?.tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_have_the_shape_and_checksum_and_nothing_else_does() {
        let a = new_secret();
        let b = new_secret();
        assert_ne!(a, b);
        assert!(a.starts_with("lobby_") && a.len() == 6 + 64 + 8);
        assert!(well_formed(&a) && well_formed(&b));
        // One changed digit breaks the checksum.
        let mut chars: Vec<char> = a.chars().collect();
        chars[10] = if chars[10] == '0' { '1' } else { '0' };
        let typo: String = chars.into_iter().collect();
        assert!(!well_formed(&typo));
        for bad in ["", "lobby_", "Bearer x", &a[..a.len() - 1], &format!("{a}0"), &a.to_uppercase(), &a.replace("lobby_", "lobbi_")] {
            assert!(!well_formed(bad), "{bad}");
        }
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), hash(&b));
    }
}
