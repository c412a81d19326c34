-- The activity log as the Activity Report needs it (issue 10). Mirrors
-- ../sqlite/0006_activity_targets.sql.
--
-- target_kind/target_id: what an entry is about (person, invitation, project,
-- department, group, token, settings). scope_department_id: the department whose
-- admins see the entry, fixed when it is written (a guest's sponsor), so a Department
-- Admin's report stays scoped after an incorporation or a move.
ALTER TABLE activity ADD COLUMN target_kind TEXT;
ALTER TABLE activity ADD COLUMN target_id BIGINT;
ALTER TABLE activity ADD COLUMN scope_department_id BIGINT REFERENCES departments(id);

-- Existing entries, as well as the data allows (the log is append-only otherwise).
ALTER TABLE activity DISABLE TRIGGER activity_no_change;
UPDATE activity SET target_kind = 'person', target_id = subject_id WHERE subject_id IS NOT NULL;
UPDATE activity SET scope_department_id =
    (SELECT COALESCE(p.sponsor_department_id, p.department_id) FROM people p WHERE p.id = activity.subject_id)
    WHERE subject_id IS NOT NULL;
UPDATE activity SET target_kind = 'invitation', target_id = CAST(substr(details, 12) AS BIGINT)
    WHERE action IN ('invitation_resent', 'invitation_revoked') AND details ~ '^invitation [0-9]+$';
UPDATE activity SET scope_department_id = (SELECT i.department_id FROM invitations i WHERE i.id = activity.target_id)
    WHERE target_kind = 'invitation';
UPDATE activity SET target_kind = 'invitation' WHERE action IN ('invitation', 'invitation_lapsed') AND target_kind IS NULL;
UPDATE activity SET target_kind = 'project' WHERE action IN ('project_created', 'project_changed') AND target_kind IS NULL;
UPDATE activity SET target_kind = 'settings' WHERE action = 'settings_changed' AND target_kind IS NULL;
UPDATE activity SET target_kind = 'department' WHERE action = 'department_created' AND target_kind IS NULL;
ALTER TABLE activity ENABLE TRIGGER activity_no_change;

-- A Department Admin's report: entries of an organization by scope department and time.
CREATE INDEX activity_scope ON activity(org_id, scope_department_id, at);
