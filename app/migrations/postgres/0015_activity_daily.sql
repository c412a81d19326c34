-- The Activity Report's chart and summary read counts per day instead of scanning the
-- month: activity_daily holds, per organization, report section, UTC day (days since
-- 1970-01-01), action and scope department (0: none), how many entries the log has.
-- The log is append-only, so a statement trigger on insert keeps it exact, in the
-- inserting transaction, whichever statement writes the entries: one upsert per
-- statement (a job's batch of 1,000 removals adds to one row), keys in one order.
CREATE TABLE activity_daily (
    org_id BIGINT NOT NULL,
    about_guest BIGINT NOT NULL,
    day BIGINT NOT NULL,
    action TEXT NOT NULL,
    department_id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, about_guest, day, action, department_id)
);

INSERT INTO activity_daily (org_id, about_guest, day, action, department_id, n)
SELECT org_id, about_guest, at / 86400000, action, COALESCE(scope_department_id, 0), COUNT(*)
FROM activity GROUP BY org_id, about_guest, at / 86400000, action, COALESCE(scope_department_id, 0);

CREATE FUNCTION activity_daily_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activity_daily (org_id, about_guest, day, action, department_id, n)
    SELECT org_id, about_guest, at / 86400000, action, COALESCE(scope_department_id, 0), COUNT(*)
    FROM new_rows
    GROUP BY org_id, about_guest, at / 86400000, action, COALESCE(scope_department_id, 0)
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (org_id, about_guest, day, action, department_id) DO UPDATE SET n = activity_daily.n + EXCLUDED.n;
    RETURN NULL;
END; $$;
CREATE TRIGGER activity_daily_add AFTER INSERT ON activity
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_daily_add();
