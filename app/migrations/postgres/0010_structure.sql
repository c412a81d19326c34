-- Groups and Departments (issue 11): departments and groups are deleted softly (removed
-- people and the activity log still name them); sibling departments and the groups of an
-- organization have unique names among the live ones, case-insensitively.
ALTER TABLE departments ADD COLUMN removed_at BIGINT;
ALTER TABLE org_groups ADD COLUMN removed_at BIGINT;
-- Names that clashed before the rule get their id appended (the oldest keeps its name),
-- so the unique indexes can be built on any existing database.
UPDATE departments SET name = name || ' (' || id || ')'
WHERE removed_at IS NULL AND EXISTS (
    SELECT 1 FROM departments x WHERE x.org_id = departments.org_id AND x.removed_at IS NULL
      AND COALESCE(x.parent_id, 0) = COALESCE(departments.parent_id, 0) AND LOWER(x.name) = LOWER(departments.name) AND x.id < departments.id);
UPDATE org_groups SET name = name || ' (' || id || ')'
WHERE removed_at IS NULL AND EXISTS (
    SELECT 1 FROM org_groups x WHERE x.org_id = org_groups.org_id AND x.removed_at IS NULL
      AND LOWER(x.name) = LOWER(org_groups.name) AND x.id < org_groups.id);
CREATE UNIQUE INDEX departments_sibling_name ON departments(org_id, COALESCE(parent_id, 0), LOWER(name)) WHERE removed_at IS NULL;
CREATE UNIQUE INDEX org_groups_name ON org_groups(org_id, LOWER(name)) WHERE removed_at IS NULL;
-- The groups a person belongs to (Contacts, and a member leaving every group).
CREATE INDEX group_members_person ON group_members(person_id);
