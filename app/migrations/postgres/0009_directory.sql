-- The directory (F-CONTACTS, issue 11): live people by name, as an ordered index scan
-- that stops after a page. Only active people are in it, so a page never steps over
-- removed ones however many the sweeper leaves; the expression is written exactly as
-- data::directory::NAME_KEY writes it.
CREATE INDEX people_directory ON people(org_id, (LOWER(last_name || ' ' || first_name)), id) WHERE state = 'active';
