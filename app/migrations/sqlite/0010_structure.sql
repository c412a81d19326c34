-- Groups and Departments (issue 11): departments and groups are deleted softly (removed
-- people and the activity log still name them); sibling departments and the groups of an
-- organization have unique names among the live ones, case-insensitively.
ALTER TABLE departments ADD COLUMN removed_at INTEGER;
ALTER TABLE org_groups ADD COLUMN removed_at INTEGER;
CREATE UNIQUE INDEX departments_sibling_name ON departments(org_id, COALESCE(parent_id, 0), LOWER(name)) WHERE removed_at IS NULL;
CREATE UNIQUE INDEX org_groups_name ON org_groups(org_id, LOWER(name)) WHERE removed_at IS NULL;
-- The groups a person belongs to (Contacts, and a member leaving every group).
CREATE INDEX group_members_person ON group_members(person_id);
