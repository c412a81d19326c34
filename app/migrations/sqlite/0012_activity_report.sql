-- The monthly Activity Report (F-REPORT, issue 13). Mirrors ../postgres/0012_activity_report.sql.
--
-- about_guest: whether an entry belongs to the report's Guest activity section, fixed
-- when it is written (an incorporated guest's entries stay guest entries).
-- target_label: what the entry is about as it was named then (a person's name, an
-- invitation's email, a project's, department's or group's name), so the report names
-- it after renames, and after closed invitations are purged.
ALTER TABLE activity ADD COLUMN about_guest INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity ADD COLUMN target_label TEXT NOT NULL DEFAULT '';

-- Existing entries, as well as the data allows (the log is append-only otherwise).
DROP TRIGGER activity_no_update;
UPDATE activity SET about_guest = 1 WHERE action IN
    ('incorporation', 'deletion', 'automatic_removal', 'guest_added', 'guest_edited', 'expiry_change',
     'expiry_reminder', 'let_expire', 'project_removal', 'project_addition');
UPDATE activity SET about_guest = 1 WHERE target_kind = 'person' AND action IN ('acceptance', 'person_disabled', 'person_removed')
    AND EXISTS (SELECT 1 FROM people p WHERE p.id = activity.target_id AND p.kind = 'guest');
UPDATE activity SET about_guest = 1 WHERE action IN ('invitation', 'invitation_resent', 'invitation_revoked', 'invitation_lapsed')
    AND (details LIKE 'guest %' OR EXISTS (SELECT 1 FROM invitations i WHERE i.id = activity.target_id AND target_kind = 'invitation' AND i.kind = 'guest'));
UPDATE activity SET target_label = COALESCE((SELECT CASE WHEN TRIM(p.first_name || ' ' || p.last_name) = '' THEN p.email
        ELSE TRIM(p.first_name || ' ' || p.last_name) END FROM people p WHERE p.id = activity.target_id), '')
    WHERE target_kind = 'person';
UPDATE activity SET target_label = COALESCE((SELECT i.email FROM invitations i WHERE i.id = activity.target_id), '')
    WHERE target_kind = 'invitation';
UPDATE activity SET target_label = COALESCE((SELECT x.name FROM projects x WHERE x.id = activity.target_id), '')
    WHERE target_kind = 'project';
UPDATE activity SET target_label = COALESCE((SELECT x.name FROM departments x WHERE x.id = activity.target_id), '')
    WHERE target_kind = 'department';
UPDATE activity SET target_label = COALESCE((SELECT x.name FROM org_groups x WHERE x.id = activity.target_id), '')
    WHERE target_kind = 'group';
CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity
BEGIN SELECT RAISE(ABORT, 'activity is append-only'); END;

-- A section's page, newest first (a Company Admin's whole organization, or a Department
-- Admin's departments), and the chart's counts per action and day.
CREATE INDEX activity_report ON activity(org_id, about_guest, at, id);
CREATE INDEX activity_report_scope ON activity(org_id, about_guest, scope_department_id, at, id);
CREATE INDEX activity_report_chart ON activity(org_id, about_guest, action, at, scope_department_id);

-- The monthly mail: one row per organization and month (YYYY-MM, UTC), inserted in the
-- transaction that queues the month's mail, so with several servers it goes out once.
-- A month with the report turned off is claimed too (with no mail), so turning it on
-- later does not send the months it was off.
CREATE TABLE report_mailings (
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    month TEXT NOT NULL,
    claimed_at INTEGER NOT NULL,
    mails INTEGER NOT NULL,
    PRIMARY KEY (org_id, month)
);

-- A mail's attachment (the report's CSV), apart from the text the outbox lists.
ALTER TABLE outbox ADD COLUMN attachment_name TEXT;
ALTER TABLE outbox ADD COLUMN attachment BLOB;
