-- The sort keys of migration 0018 order the Guests list only. A guest incorporated as a
-- member has its sponsor department and project cleared, and the incorporation clears
-- its department and project keys in that same statement; the trigger that re-reads the
-- keys now runs for guests only, so it no longer rewrites every incorporated row a
-- second time. Mirrors ../postgres/0020_member_sort_keys.sql.
DROP TRIGGER people_sort_keys_refs;
CREATE TRIGGER people_sort_keys_refs AFTER UPDATE OF invited_by, sponsor_department_id, project_id ON people
WHEN NEW.kind = 'guest'
BEGIN
    UPDATE people SET
        sort_inviter = LOWER(COALESCE((SELECT i.last_name FROM people i WHERE i.id = NEW.invited_by), '')),
        sort_department = LOWER(COALESCE((SELECT d.name FROM departments d WHERE d.id = NEW.sponsor_department_id), '')),
        sort_project = LOWER(COALESCE((SELECT pr.name FROM projects pr WHERE pr.id = NEW.project_id), ''))
    WHERE id = NEW.id;
END;
