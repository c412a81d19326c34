-- The Guests list: word-prefix search, avatars, and indexes for the list's sort orders.

-- Folded words of each person (names, email, user id). Prefix search is a range scan:
-- word >= 'gu' AND word < 'gv'. SQLite compares bytes by default, as PostgreSQL's "C".
CREATE TABLE search_words (
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    word TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (org_id, word, person_id)
) WITHOUT ROWID;
CREATE INDEX search_words_person ON search_words(person_id);

CREATE TABLE avatars (
    person_id INTEGER PRIMARY KEY REFERENCES people(id),
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    updated_at INTEGER NOT NULL
);

-- The list's sort orders, as ordered index scans that stop after one page. The state
-- filter (removed people are few) is checked row by row, so it is not in the keys; the
-- expressions are written exactly as the data layer's ORDER BY writes them.
CREATE INDEX people_by_invited ON people(org_id, kind, invited_at, id);
CREATE INDEX people_by_expiry ON people(org_id, kind, (COALESCE(expires_at, 9223372036854775807)), id);
CREATE INDEX people_by_last_name ON people(org_id, kind, (LOWER(last_name)), id);
CREATE INDEX people_by_first_name ON people(org_id, kind, (LOWER(first_name)), id);
-- Covers the "Guests created" counter (and the dashboard's), scope included.
CREATE INDEX people_counter ON people(org_id, kind, state, sponsor_department_id, department_id);
