-- Exact counts without scans: people_counts holds, per organization, kind and department
-- (a guest's sponsor department, a member's own; 0 for a guest without a sponsor), how
-- many live (not removed) people there are. Statement triggers keep it exact in the
-- writing transaction, whatever statement moves people (invite and accept, incorporate,
-- move, delete, the sweeper's batches): one upsert per statement, of the net change per
-- key, keys in one order so that two writers never wait on each other's counters in a
-- cycle.
CREATE TABLE people_counts (
    org_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    department_id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, kind, department_id)
);

INSERT INTO people_counts (org_id, kind, department_id, n)
SELECT org_id, kind, CASE WHEN kind = 'guest' THEN COALESCE(sponsor_department_id, 0) ELSE department_id END, COUNT(*)
FROM people WHERE state <> 'removed'
GROUP BY 1, 2, 3;

CREATE FUNCTION people_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO people_counts (org_id, kind, department_id, n)
        SELECT org_id, kind, CASE WHEN kind = 'guest' THEN COALESCE(sponsor_department_id, 0) ELSE department_id END, COUNT(*)
        FROM new_rows WHERE state <> 'removed'
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = people_counts.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO people_counts (org_id, kind, department_id, n)
        SELECT org_id, kind, CASE WHEN kind = 'guest' THEN COALESCE(sponsor_department_id, 0) ELSE department_id END, -COUNT(*)
        FROM old_rows WHERE state <> 'removed'
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = people_counts.n + EXCLUDED.n;
    ELSE
        INSERT INTO people_counts (org_id, kind, department_id, n)
        SELECT org_id, kind, dept, SUM(d) FROM (
            SELECT org_id, kind, CASE WHEN kind = 'guest' THEN COALESCE(sponsor_department_id, 0) ELSE department_id END AS dept, -1 AS d
            FROM old_rows WHERE state <> 'removed'
            UNION ALL
            SELECT org_id, kind, CASE WHEN kind = 'guest' THEN COALESCE(sponsor_department_id, 0) ELSE department_id END, 1
            FROM new_rows WHERE state <> 'removed'
        ) moves
        GROUP BY 1, 2, 3 HAVING SUM(d) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (org_id, kind, department_id) DO UPDATE SET n = people_counts.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END; $$;
CREATE TRIGGER people_counts_insert AFTER INSERT ON people
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION people_counts_apply();
CREATE TRIGGER people_counts_update AFTER UPDATE ON people
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION people_counts_apply();
CREATE TRIGGER people_counts_delete AFTER DELETE ON people
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION people_counts_apply();
