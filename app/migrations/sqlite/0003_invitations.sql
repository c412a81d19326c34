-- Invitations and projects (issue 4). Mirrors ../postgres/0003_invitations.sql.

-- An invitation by email. The token is never stored: only its SHA-256, hex.
-- validity_ends_at: the link lapses then (7 days after it was last sent).
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    email TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('member', 'guest')),
    project_id INTEGER REFERENCES projects(id),
    permission TEXT CHECK (permission IN ('edit', 'read_only')),
    -- Guests: the sponsor department. Members: the department they join.
    department_id INTEGER NOT NULL REFERENCES departments(id),
    inviter_id INTEGER NOT NULL REFERENCES people(id),
    token_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    validity_ends_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'revoked', 'lapsed')),
    -- An expiry period chosen when inviting; it starts at acceptance.
    expiry_period TEXT,
    accepted_at INTEGER,
    person_id INTEGER REFERENCES people(id)
);
CREATE UNIQUE INDEX invitations_token ON invitations(token_hash);
-- One pending invitation per email and organization.
CREATE UNIQUE INDEX invitations_pending_email ON invitations(org_id, email) WHERE state = 'pending';
CREATE INDEX invitations_org ON invitations(org_id, state, created_at);

-- Mail Lobby sends. Without SMTP settings this is the outbox a Company Admin reads.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    to_email TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX outbox_org ON outbox(org_id, created_at);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    title TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER NOT NULL REFERENCES people(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX tasks_project ON tasks(project_id, id);
CREATE INDEX project_members_person ON project_members(person_id);
CREATE INDEX people_project ON people(project_id);
-- The expiry sweeper's scan, across organizations: only guests still present.
CREATE INDEX people_due ON people(expires_at) WHERE kind = 'guest' AND state <> 'removed';
