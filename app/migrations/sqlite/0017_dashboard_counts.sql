-- The dashboard's counts without scans (issue 17 §1). Mirrors ../postgres/0017_dashboard_counts.sql.
--
-- people_counts also keeps, per key, how many of its live people have never signed in
-- since sign-ins began to be recorded (lobby_meta 'last_seen_recorded_since'): the
-- dashboard's "Never signed in". invitation_counts keeps the pending invitations per
-- organization, kind and department (a guest's sponsor department, a member's own).
-- What depends on the clock (leaving within 7 days, lapsing within 48 hours, pending but
-- past their validity and not yet marked lapsed) is a range of the indexes below, which
-- holds only the few rows near that edge.

ALTER TABLE people_counts ADD COLUMN unseen INTEGER NOT NULL DEFAULT 0;

DELETE FROM people_counts;
INSERT INTO people_counts (org_id, kind, department_id, n, unseen)
SELECT org_id, kind, CASE WHEN kind = 'guest' THEN COALESCE(sponsor_department_id, 0) ELSE department_id END, COUNT(*),
       SUM(CASE WHEN last_seen_at IS NULL AND created_at >= COALESCE((SELECT value FROM lobby_meta WHERE key = 'last_seen_recorded_since'), 0) THEN 1 ELSE 0 END)
FROM people WHERE state <> 'removed'
GROUP BY 1, 2, 3;

DROP TRIGGER people_counts_insert;
DROP TRIGGER people_counts_delete;
DROP TRIGGER people_counts_update_old;
DROP TRIGGER people_counts_update_new;

CREATE TRIGGER people_counts_insert AFTER INSERT ON people WHEN NEW.state <> 'removed'
BEGIN
    INSERT INTO people_counts (org_id, kind, department_id, n, unseen)
    VALUES (NEW.org_id, NEW.kind, CASE WHEN NEW.kind = 'guest' THEN COALESCE(NEW.sponsor_department_id, 0) ELSE NEW.department_id END, 1,
            CASE WHEN NEW.last_seen_at IS NULL AND NEW.created_at >= COALESCE((SELECT value FROM lobby_meta WHERE key = 'last_seen_recorded_since'), 0) THEN 1 ELSE 0 END)
    ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = n + 1, unseen = unseen + excluded.unseen;
END;

CREATE TRIGGER people_counts_delete AFTER DELETE ON people WHEN OLD.state <> 'removed'
BEGIN
    UPDATE people_counts SET n = n - 1,
        unseen = unseen - CASE WHEN OLD.last_seen_at IS NULL AND OLD.created_at >= COALESCE((SELECT value FROM lobby_meta WHERE key = 'last_seen_recorded_since'), 0) THEN 1 ELSE 0 END
    WHERE org_id = OLD.org_id AND kind = OLD.kind
      AND department_id = CASE WHEN OLD.kind = 'guest' THEN COALESCE(OLD.sponsor_department_id, 0) ELSE OLD.department_id END;
END;

-- An update moves the person between keys only when one of these changed (a sign-in
-- after the first writes nothing here); both triggers test the same condition.
CREATE TRIGGER people_counts_update_old AFTER UPDATE OF org_id, kind, state, department_id, sponsor_department_id, last_seen_at, created_at ON people
WHEN OLD.state <> 'removed'
  AND (OLD.org_id IS NOT NEW.org_id OR OLD.kind IS NOT NEW.kind OR OLD.state IS NOT NEW.state
       OR OLD.department_id IS NOT NEW.department_id OR OLD.sponsor_department_id IS NOT NEW.sponsor_department_id
       OR (OLD.last_seen_at IS NULL) <> (NEW.last_seen_at IS NULL) OR OLD.created_at IS NOT NEW.created_at)
BEGIN
    UPDATE people_counts SET n = n - 1,
        unseen = unseen - CASE WHEN OLD.last_seen_at IS NULL AND OLD.created_at >= COALESCE((SELECT value FROM lobby_meta WHERE key = 'last_seen_recorded_since'), 0) THEN 1 ELSE 0 END
    WHERE org_id = OLD.org_id AND kind = OLD.kind
      AND department_id = CASE WHEN OLD.kind = 'guest' THEN COALESCE(OLD.sponsor_department_id, 0) ELSE OLD.department_id END;
END;

CREATE TRIGGER people_counts_update_new AFTER UPDATE OF org_id, kind, state, department_id, sponsor_department_id, last_seen_at, created_at ON people
WHEN NEW.state <> 'removed'
  AND (OLD.org_id IS NOT NEW.org_id OR OLD.kind IS NOT NEW.kind OR OLD.state IS NOT NEW.state
       OR OLD.department_id IS NOT NEW.department_id OR OLD.sponsor_department_id IS NOT NEW.sponsor_department_id
       OR (OLD.last_seen_at IS NULL) <> (NEW.last_seen_at IS NULL) OR OLD.created_at IS NOT NEW.created_at)
BEGIN
    INSERT INTO people_counts (org_id, kind, department_id, n, unseen)
    VALUES (NEW.org_id, NEW.kind, CASE WHEN NEW.kind = 'guest' THEN COALESCE(NEW.sponsor_department_id, 0) ELSE NEW.department_id END, 1,
            CASE WHEN NEW.last_seen_at IS NULL AND NEW.created_at >= COALESCE((SELECT value FROM lobby_meta WHERE key = 'last_seen_recorded_since'), 0) THEN 1 ELSE 0 END)
    ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = n + 1, unseen = unseen + excluded.unseen;
END;

-- When the recording start moves, appears or goes (only tests and a restore do that),
-- "never signed in" is counted afresh.
CREATE TRIGGER people_counts_recount_update AFTER UPDATE ON lobby_meta WHEN NEW.key = 'last_seen_recorded_since'
BEGIN
    UPDATE people_counts SET unseen = (
        SELECT COUNT(*) FROM people p
        WHERE p.org_id = people_counts.org_id AND p.kind = people_counts.kind AND p.state <> 'removed'
          AND CASE WHEN p.kind = 'guest' THEN COALESCE(p.sponsor_department_id, 0) ELSE p.department_id END = people_counts.department_id
          AND p.last_seen_at IS NULL
          AND p.created_at >= COALESCE((SELECT value FROM lobby_meta WHERE key = 'last_seen_recorded_since'), 0));
END;

CREATE TRIGGER people_counts_recount_insert AFTER INSERT ON lobby_meta WHEN NEW.key = 'last_seen_recorded_since'
BEGIN
    UPDATE people_counts SET unseen = (
        SELECT COUNT(*) FROM people p
        WHERE p.org_id = people_counts.org_id AND p.kind = people_counts.kind AND p.state <> 'removed'
          AND CASE WHEN p.kind = 'guest' THEN COALESCE(p.sponsor_department_id, 0) ELSE p.department_id END = people_counts.department_id
          AND p.last_seen_at IS NULL
          AND p.created_at >= COALESCE((SELECT value FROM lobby_meta WHERE key = 'last_seen_recorded_since'), 0));
END;

CREATE TRIGGER people_counts_recount_delete AFTER DELETE ON lobby_meta WHEN OLD.key = 'last_seen_recorded_since'
BEGIN
    UPDATE people_counts SET unseen = (
        SELECT COUNT(*) FROM people p
        WHERE p.org_id = people_counts.org_id AND p.kind = people_counts.kind AND p.state <> 'removed'
          AND CASE WHEN p.kind = 'guest' THEN COALESCE(p.sponsor_department_id, 0) ELSE p.department_id END = people_counts.department_id
          AND p.last_seen_at IS NULL
          AND p.created_at >= COALESCE((SELECT value FROM lobby_meta WHERE key = 'last_seen_recorded_since'), 0));
END;

CREATE TABLE invitation_counts (
    org_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    department_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, kind, department_id)
) WITHOUT ROWID;

INSERT INTO invitation_counts (org_id, kind, department_id, n)
SELECT org_id, kind, department_id, COUNT(*) FROM invitations WHERE state = 'pending' GROUP BY 1, 2, 3;

CREATE TRIGGER invitation_counts_insert AFTER INSERT ON invitations WHEN NEW.state = 'pending'
BEGIN
    INSERT INTO invitation_counts (org_id, kind, department_id, n) VALUES (NEW.org_id, NEW.kind, NEW.department_id, 1)
    ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER invitation_counts_delete AFTER DELETE ON invitations WHEN OLD.state = 'pending'
BEGIN
    UPDATE invitation_counts SET n = n - 1 WHERE org_id = OLD.org_id AND kind = OLD.kind AND department_id = OLD.department_id;
END;

CREATE TRIGGER invitation_counts_update_old AFTER UPDATE OF org_id, kind, state, department_id ON invitations
WHEN OLD.state = 'pending'
BEGIN
    UPDATE invitation_counts SET n = n - 1 WHERE org_id = OLD.org_id AND kind = OLD.kind AND department_id = OLD.department_id;
END;

CREATE TRIGGER invitation_counts_update_new AFTER UPDATE OF org_id, kind, state, department_id ON invitations
WHEN NEW.state = 'pending'
BEGIN
    INSERT INTO invitation_counts (org_id, kind, department_id, n) VALUES (NEW.org_id, NEW.kind, NEW.department_id, 1)
    ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = n + 1;
END;

-- The clock's edges: live guests by expiry, pending invitations by validity, each for the
-- whole organization and by department (a Department Admin's scope).
-- Each leads with every column a query tests for equality, so no planner prefers an index
-- of the same table that serves another query (SQLite plans without statistics).
CREATE INDEX people_live_expiry ON people(org_id, kind, expires_at) WHERE kind = 'guest' AND state <> 'removed';
CREATE INDEX people_live_sponsor_expiry ON people(sponsor_department_id, kind, expires_at) WHERE kind = 'guest' AND state <> 'removed';
CREATE INDEX invitations_pending_validity ON invitations(org_id, kind, validity_ends_at) WHERE state = 'pending';
CREATE INDEX invitations_pending_dept_validity ON invitations(department_id, kind, validity_ends_at) WHERE state = 'pending';

-- The Users page by keyset: members by folded name (with guests it walks people_directory).
-- Members only, so that no query of guests can take it.
CREATE INDEX people_live_member_names ON people(org_id, (LOWER(last_name || ' ' || first_name)), id) WHERE kind = 'member' AND state <> 'removed';

-- The Guests list sorted by user id or by permission reads an index, as the other sorts
-- of a guest's own columns do (0002).
CREATE INDEX people_by_user_id ON people(org_id, kind, (COALESCE(mobile, '')), id);
CREATE INDEX people_by_permission ON people(org_id, kind, (COALESCE(permission, '')), id);

-- The inventory's "Never signed in" in its usual order (newest invitation first): a walk
-- of the guests without a sign-in only, not of every guest (those who joined before
-- recording began are among them and are skipped by their created_at).
CREATE INDEX people_never_seen ON people(org_id, kind, invited_at, id) WHERE last_seen_at IS NULL AND state <> 'removed';
