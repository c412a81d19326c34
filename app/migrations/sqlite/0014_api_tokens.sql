-- API tokens (F-API, issue 15). Mirrors ../postgres/0014_api_tokens.sql.
-- Only the SHA-256 of a token is kept; `hint` is its first characters, to tell tokens
-- apart in the list. A token acts for its owner, with at most its scopes.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    owner_id INTEGER NOT NULL REFERENCES people(id),
    name TEXT NOT NULL,
    -- Space-separated scope keys (domain::api_token::Scope).
    scopes TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    hint TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_used_at INTEGER,
    last_used_from TEXT,
    -- When a use after revocation was last logged (at most hourly).
    refused_logged_at INTEGER,
    -- When the owner was told the token expires within 7 days.
    expiry_notice_at INTEGER
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens(token_hash);
CREATE INDEX api_tokens_org ON api_tokens(org_id, id);
CREATE INDEX api_tokens_owner ON api_tokens(owner_id, id);
CREATE INDEX api_tokens_expiring ON api_tokens(expires_at) WHERE revoked_at IS NULL AND expiry_notice_at IS NULL;
