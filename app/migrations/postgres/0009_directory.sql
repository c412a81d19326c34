-- The directory (F-CONTACTS, issue 11): people by name, as an ordered index scan that
-- stops after a page; the expression is written exactly as data::directory::NAME_KEY
-- writes it. Not partial on live people and without `state` in the key: the expiry
-- sweeper changes the state of many guests at once, and an entry that moved (or left)
-- with each would cost it a scattered page per guest. The lists skip removed people
-- row by row instead.
CREATE INDEX people_directory ON people(org_id, (LOWER(last_name || ' ' || first_name)), id);
