-- The dashboard's counts without scans (issue 17 §1). Mirrors ../sqlite/0017_dashboard_counts.sql.
--
-- people_counts also keeps, per key, how many of its live people have never signed in
-- since sign-ins began to be recorded (lobby_meta 'last_seen_recorded_since'): the
-- dashboard's "Never signed in". invitation_counts keeps the pending invitations per
-- organization, kind and department (a guest's sponsor department, a member's own).
-- What depends on the clock (leaving within 7 days, lapsing within 48 hours, pending but
-- past their validity and not yet marked lapsed) is a range of the indexes below, which
-- holds only the few rows near that edge. As in 0016: one upsert of the net change per
-- statement, keys in one order, nothing written when nothing moved.

ALTER TABLE people_counts ADD COLUMN unseen BIGINT NOT NULL DEFAULT 0;

DELETE FROM people_counts;
INSERT INTO people_counts (org_id, kind, department_id, n, unseen)
SELECT org_id, kind, CASE WHEN kind = 'guest' THEN COALESCE(sponsor_department_id, 0) ELSE department_id END, COUNT(*),
       SUM(CASE WHEN last_seen_at IS NULL AND created_at >= COALESCE((SELECT value FROM lobby_meta WHERE key = 'last_seen_recorded_since'), 0) THEN 1 ELSE 0 END)
FROM people WHERE state <> 'removed'
GROUP BY 1, 2, 3;

CREATE OR REPLACE FUNCTION people_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    since BIGINT := COALESCE((SELECT value FROM lobby_meta WHERE key = 'last_seen_recorded_since'), 0);
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO people_counts (org_id, kind, department_id, n, unseen)
        SELECT org_id, kind, CASE WHEN kind = 'guest' THEN COALESCE(sponsor_department_id, 0) ELSE department_id END, COUNT(*),
               SUM(CASE WHEN last_seen_at IS NULL AND created_at >= since THEN 1 ELSE 0 END)
        FROM new_rows WHERE state <> 'removed'
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = people_counts.n + EXCLUDED.n, unseen = people_counts.unseen + EXCLUDED.unseen;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO people_counts (org_id, kind, department_id, n, unseen)
        SELECT org_id, kind, CASE WHEN kind = 'guest' THEN COALESCE(sponsor_department_id, 0) ELSE department_id END, -COUNT(*),
               -SUM(CASE WHEN last_seen_at IS NULL AND created_at >= since THEN 1 ELSE 0 END)
        FROM old_rows WHERE state <> 'removed'
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = people_counts.n + EXCLUDED.n, unseen = people_counts.unseen + EXCLUDED.unseen;
    ELSE
        INSERT INTO people_counts (org_id, kind, department_id, n, unseen)
        SELECT org_id, kind, dept, SUM(d), SUM(u) FROM (
            SELECT org_id, kind, CASE WHEN kind = 'guest' THEN COALESCE(sponsor_department_id, 0) ELSE department_id END AS dept, -1 AS d,
                   -(CASE WHEN last_seen_at IS NULL AND created_at >= since THEN 1 ELSE 0 END) AS u
            FROM old_rows WHERE state <> 'removed'
            UNION ALL
            SELECT org_id, kind, CASE WHEN kind = 'guest' THEN COALESCE(sponsor_department_id, 0) ELSE department_id END, 1,
                   CASE WHEN last_seen_at IS NULL AND created_at >= since THEN 1 ELSE 0 END
            FROM new_rows WHERE state <> 'removed'
        ) moves
        GROUP BY 1, 2, 3 HAVING SUM(d) <> 0 OR SUM(u) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = people_counts.n + EXCLUDED.n, unseen = people_counts.unseen + EXCLUDED.unseen;
    END IF;
    RETURN NULL;
END; $$;

-- When the recording start moves (only tests and a restore do that), "never signed in"
-- is counted afresh.
CREATE FUNCTION people_counts_recount() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE people_counts c SET unseen = (
        SELECT COUNT(*) FROM people p
        WHERE p.org_id = c.org_id AND p.kind = c.kind AND p.state <> 'removed'
          AND CASE WHEN p.kind = 'guest' THEN COALESCE(p.sponsor_department_id, 0) ELSE p.department_id END = c.department_id
          AND p.last_seen_at IS NULL
          AND p.created_at >= COALESCE((SELECT value FROM lobby_meta WHERE key = 'last_seen_recorded_since'), 0));
    RETURN NULL;
END; $$;
CREATE TRIGGER people_counts_recount AFTER INSERT OR UPDATE OR DELETE ON lobby_meta
FOR EACH STATEMENT EXECUTE FUNCTION people_counts_recount();

CREATE TABLE invitation_counts (
    org_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    department_id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, kind, department_id)
);

INSERT INTO invitation_counts (org_id, kind, department_id, n)
SELECT org_id, kind, department_id, COUNT(*) FROM invitations WHERE state = 'pending' GROUP BY 1, 2, 3;

CREATE FUNCTION invitation_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO invitation_counts (org_id, kind, department_id, n)
        SELECT org_id, kind, department_id, COUNT(*) FROM new_rows WHERE state = 'pending'
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = invitation_counts.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO invitation_counts (org_id, kind, department_id, n)
        SELECT org_id, kind, department_id, -COUNT(*) FROM old_rows WHERE state = 'pending'
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = invitation_counts.n + EXCLUDED.n;
    ELSE
        INSERT INTO invitation_counts (org_id, kind, department_id, n)
        SELECT org_id, kind, department_id, SUM(d) FROM (
            SELECT org_id, kind, department_id, -1 AS d FROM old_rows WHERE state = 'pending'
            UNION ALL
            SELECT org_id, kind, department_id, 1 FROM new_rows WHERE state = 'pending'
        ) moves
        GROUP BY 1, 2, 3 HAVING SUM(d) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = invitation_counts.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END; $$;
CREATE TRIGGER invitation_counts_insert AFTER INSERT ON invitations
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invitation_counts_apply();
CREATE TRIGGER invitation_counts_update AFTER UPDATE ON invitations
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION invitation_counts_apply();
CREATE TRIGGER invitation_counts_delete AFTER DELETE ON invitations
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION invitation_counts_apply();

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
