-- Exact counts without scans: people_counts holds, per organization, kind and department
-- (a guest's sponsor department, a member's own; 0 for a guest without a sponsor), how
-- many live (not removed) people there are. Triggers keep it exact in the writing
-- transaction, whatever statement moves a person: invite and accept (insert), incorporate
-- (kind and department), move, delete and the sweeper (state).
CREATE TABLE people_counts (
    org_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    department_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, kind, department_id)
) WITHOUT ROWID;

INSERT INTO people_counts (org_id, kind, department_id, n)
SELECT org_id, kind, CASE WHEN kind = 'guest' THEN COALESCE(sponsor_department_id, 0) ELSE department_id END, COUNT(*)
FROM people WHERE state <> 'removed'
GROUP BY 1, 2, 3;

CREATE TRIGGER people_counts_insert AFTER INSERT ON people WHEN NEW.state <> 'removed'
BEGIN
    INSERT INTO people_counts (org_id, kind, department_id, n)
    VALUES (NEW.org_id, NEW.kind, CASE WHEN NEW.kind = 'guest' THEN COALESCE(NEW.sponsor_department_id, 0) ELSE NEW.department_id END, 1)
    ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER people_counts_delete AFTER DELETE ON people WHEN OLD.state <> 'removed'
BEGIN
    UPDATE people_counts SET n = n - 1
    WHERE org_id = OLD.org_id AND kind = OLD.kind
      AND department_id = CASE WHEN OLD.kind = 'guest' THEN COALESCE(OLD.sponsor_department_id, 0) ELSE OLD.department_id END;
END;

CREATE TRIGGER people_counts_update_old AFTER UPDATE OF org_id, kind, state, department_id, sponsor_department_id ON people
WHEN OLD.state <> 'removed'
BEGIN
    UPDATE people_counts SET n = n - 1
    WHERE org_id = OLD.org_id AND kind = OLD.kind
      AND department_id = CASE WHEN OLD.kind = 'guest' THEN COALESCE(OLD.sponsor_department_id, 0) ELSE OLD.department_id END;
END;

CREATE TRIGGER people_counts_update_new AFTER UPDATE OF org_id, kind, state, department_id, sponsor_department_id ON people
WHEN NEW.state <> 'removed'
BEGIN
    INSERT INTO people_counts (org_id, kind, department_id, n)
    VALUES (NEW.org_id, NEW.kind, CASE WHEN NEW.kind = 'guest' THEN COALESCE(NEW.sponsor_department_id, 0) ELSE NEW.department_id END, 1)
    ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = n + 1;
END;
