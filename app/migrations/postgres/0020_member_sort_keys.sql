-- The sort keys of migration 0018 order the Guests list only. A guest incorporated as a
-- member has its sponsor department and project cleared, and the incorporation clears
-- its department and project keys in that same statement; the trigger that re-reads the
-- keys now runs for guests only. Mirrors ../sqlite/0020_member_sort_keys.sql.
DROP TRIGGER people_sort_keys_refs ON people;
CREATE TRIGGER people_sort_keys_refs BEFORE UPDATE OF invited_by, sponsor_department_id, project_id ON people
FOR EACH ROW WHEN (NEW.kind = 'guest') EXECUTE FUNCTION people_sort_keys_set();
