-- The Guests list sorted by inviter, department or project reads an index (issue 17 §2).
-- Mirrors ../sqlite/0018_sort_keys.sql. Each key is the folded name the list sorts by,
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

CREATE FUNCTION people_sort_keys_set() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.sort_inviter := LOWER(COALESCE((SELECT i.last_name FROM people i WHERE i.id = NEW.invited_by), ''));
    NEW.sort_department := LOWER(COALESCE((SELECT d.name FROM departments d WHERE d.id = NEW.sponsor_department_id), ''));
    NEW.sort_project := LOWER(COALESCE((SELECT pr.name FROM projects pr WHERE pr.id = NEW.project_id), ''));
    RETURN NEW;
END; $$;
CREATE TRIGGER people_sort_keys_insert BEFORE INSERT ON people
FOR EACH ROW EXECUTE FUNCTION people_sort_keys_set();
CREATE TRIGGER people_sort_keys_refs BEFORE UPDATE OF invited_by, sponsor_department_id, project_id ON people
FOR EACH ROW EXECUTE FUNCTION people_sort_keys_set();

CREATE FUNCTION people_sort_keys_inviter_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE people SET sort_inviter = LOWER(NEW.last_name) WHERE invited_by = NEW.id;
    RETURN NULL;
END; $$;
CREATE TRIGGER people_sort_keys_inviter_renamed AFTER UPDATE OF last_name ON people
FOR EACH ROW WHEN (NEW.last_name IS DISTINCT FROM OLD.last_name) EXECUTE FUNCTION people_sort_keys_inviter_renamed();

CREATE FUNCTION departments_sort_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE people SET sort_department = LOWER(NEW.name) WHERE sponsor_department_id = NEW.id;
    RETURN NULL;
END; $$;
CREATE TRIGGER departments_sort_keys AFTER UPDATE OF name ON departments
FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION departments_sort_keys();

CREATE FUNCTION projects_sort_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE people SET sort_project = LOWER(NEW.name) WHERE project_id = NEW.id;
    RETURN NULL;
END; $$;
CREATE TRIGGER projects_sort_keys AFTER UPDATE OF name ON projects
FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION projects_sort_keys();

CREATE INDEX people_by_inviter ON people(org_id, kind, sort_inviter, id);
CREATE INDEX people_by_department ON people(org_id, kind, sort_department, id);
CREATE INDEX people_by_project ON people(org_id, kind, sort_project, id);
