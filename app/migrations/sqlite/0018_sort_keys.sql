-- The Guests list sorted by inviter, department or project reads an index (issue 17 §2).
-- Mirrors ../postgres/0018_sort_keys.sql. Each key is the folded name the list sorts by,
-- copied onto the person and kept by triggers in the writing transaction: when the
-- person's inviter, sponsor department or project changes, and when that inviter,
-- department or project is renamed (which rewrites the key of every person it names).
ALTER TABLE people ADD COLUMN sort_inviter TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN sort_department TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN sort_project TEXT NOT NULL DEFAULT '';

UPDATE people SET
    sort_inviter = LOWER(COALESCE((SELECT i.last_name FROM people i WHERE i.id = people.invited_by), '')),
    sort_department = LOWER(COALESCE((SELECT d.name FROM departments d WHERE d.id = people.sponsor_department_id), '')),
    sort_project = LOWER(COALESCE((SELECT pr.name FROM projects pr WHERE pr.id = people.project_id), ''));

CREATE TRIGGER people_sort_keys_insert AFTER INSERT ON people
BEGIN
    UPDATE people SET
        sort_inviter = LOWER(COALESCE((SELECT i.last_name FROM people i WHERE i.id = NEW.invited_by), '')),
        sort_department = LOWER(COALESCE((SELECT d.name FROM departments d WHERE d.id = NEW.sponsor_department_id), '')),
        sort_project = LOWER(COALESCE((SELECT pr.name FROM projects pr WHERE pr.id = NEW.project_id), ''))
    WHERE id = NEW.id;
END;

CREATE TRIGGER people_sort_keys_refs AFTER UPDATE OF invited_by, sponsor_department_id, project_id ON people
BEGIN
    UPDATE people SET
        sort_inviter = LOWER(COALESCE((SELECT i.last_name FROM people i WHERE i.id = NEW.invited_by), '')),
        sort_department = LOWER(COALESCE((SELECT d.name FROM departments d WHERE d.id = NEW.sponsor_department_id), '')),
        sort_project = LOWER(COALESCE((SELECT pr.name FROM projects pr WHERE pr.id = NEW.project_id), ''))
    WHERE id = NEW.id;
END;

CREATE TRIGGER people_sort_keys_inviter_renamed AFTER UPDATE OF last_name ON people WHEN NEW.last_name IS NOT OLD.last_name
BEGIN
    UPDATE people SET sort_inviter = LOWER(NEW.last_name) WHERE invited_by = NEW.id;
END;

CREATE TRIGGER departments_sort_keys AFTER UPDATE OF name ON departments WHEN NEW.name IS NOT OLD.name
BEGIN
    UPDATE people SET sort_department = LOWER(NEW.name) WHERE sponsor_department_id = NEW.id;
END;

CREATE TRIGGER projects_sort_keys AFTER UPDATE OF name ON projects WHEN NEW.name IS NOT OLD.name
BEGIN
    UPDATE people SET sort_project = LOWER(NEW.name) WHERE project_id = NEW.id;
END;

CREATE INDEX people_by_inviter ON people(org_id, kind, sort_inviter, id);
CREATE INDEX people_by_department ON people(org_id, kind, sort_department, id);
CREATE INDEX people_by_project ON people(org_id, kind, sort_project, id);
