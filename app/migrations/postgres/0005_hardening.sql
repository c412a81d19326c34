-- Hardening (issue 9). Mirrors ../sqlite/0005_hardening.sql.

-- When a person last signed in or used Lobby (unix ms): set at sign-in and at most once
-- an hour per session. NULL: not since recording began (see lobby_meta).
ALTER TABLE people ADD COLUMN last_seen_at BIGINT;

-- Facts about this database itself. 'last_seen_recorded_since': when Lobby began to
-- record last sign-ins, so a NULL last_seen_at of an older person reads "unknown (before
-- DATE)" and never "never signed in".
CREATE TABLE lobby_meta (
    key TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO lobby_meta (key, value) VALUES ('last_seen_recorded_since', CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT));

-- When an invitation was revoked or lapsed (unix ms): such invitations leave the lists
-- 90 days later. Resending is limited to once a minute (sent_at) and 5 times a day
-- (resends within the day that began at resend_day_start).
ALTER TABLE invitations ADD COLUMN closed_at BIGINT;
ALTER TABLE invitations ADD COLUMN resend_day_start BIGINT NOT NULL DEFAULT 0;
ALTER TABLE invitations ADD COLUMN resends_in_day BIGINT NOT NULL DEFAULT 0;
UPDATE invitations SET closed_at = validity_ends_at WHERE state = 'lapsed';
-- When a revocation happened is not known: count from now, so none leaves early.
UPDATE invitations SET closed_at = CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT) WHERE state = 'revoked';
-- The lapse job's scan, across organizations.
CREATE INDEX invitations_due ON invitations(validity_ends_at) WHERE state = 'pending';
CREATE INDEX invitations_closed ON invitations(closed_at) WHERE state IN ('revoked', 'lapsed');

-- The purge of sign-in counters whose window has passed.
CREATE INDEX signin_failures_window ON signin_failures(window_start);
