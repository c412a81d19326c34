-- The Activity Report's chart and summary read counts per day instead of scanning the
-- month: activity_daily holds, per organization, report section, UTC day (days since
-- 1970-01-01), action and scope department (0: none), how many entries the log has.
-- The log is append-only, so a trigger on insert keeps it exact, in the inserting
-- transaction, whichever statement writes the entry.
CREATE TABLE activity_daily (
    org_id INTEGER NOT NULL,
    about_guest INTEGER NOT NULL,
    day INTEGER NOT NULL,
    action TEXT NOT NULL,
    department_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, about_guest, day, action, department_id)
) WITHOUT ROWID;

INSERT INTO activity_daily (org_id, about_guest, day, action, department_id, n)
SELECT org_id, about_guest, at / 86400000, action, COALESCE(scope_department_id, 0), COUNT(*)
FROM activity GROUP BY org_id, about_guest, at / 86400000, action, COALESCE(scope_department_id, 0);

CREATE TRIGGER activity_daily_add AFTER INSERT ON activity
BEGIN
    INSERT INTO activity_daily (org_id, about_guest, day, action, department_id, n)
    VALUES (NEW.org_id, NEW.about_guest, NEW.at / 86400000, NEW.action, COALESCE(NEW.scope_department_id, 0), 1)
    ON CONFLICT (org_id, about_guest, day, action, department_id) DO UPDATE SET n = n + 1;
END;
