-- The Guests list: word-prefix search, avatars, and indexes for the list's sort orders.

-- COLLATE "C": byte order, so the range word >= 'gu' AND word < 'gv' is exactly the
-- prefix and uses the primary key's B-tree, as on SQLite.
CREATE TABLE search_words (
    org_id BIGINT NOT NULL REFERENCES organizations(id),
    word TEXT COLLATE "C" NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people(id),
    PRIMARY KEY (org_id, word, person_id)
);
CREATE INDEX search_words_person ON search_words(person_id);

CREATE TABLE avatars (
    person_id BIGINT PRIMARY KEY REFERENCES people(id),
    content_type TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    updated_at BIGINT NOT NULL
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
