-- The expiry sweeper writes fewer index pages (issue 10). people_list carried `state`
-- between kind and the names, so marking a guest removed moved its entry to another
-- part of the index: one scattered page per guest. Names without state serve the same
-- lists (they filter state row by row, as the Guests list's sort indexes already do)
-- and a change of state no longer touches them.
DROP INDEX people_list;
CREATE INDEX people_names ON people(org_id, kind, last_name, first_name, id);
