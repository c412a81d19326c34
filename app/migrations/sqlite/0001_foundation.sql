-- Lobby foundation schema (SQLite). Mirrors ../postgres/0001_foundation.sql: same tables,
-- columns and meaning. Timestamps are unix milliseconds (INTEGER), flags are 0/1.

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    invitations_enabled INTEGER NOT NULL DEFAULT 1,
    invite_policy TEXT NOT NULL DEFAULT 'admins' CHECK (invite_policy IN ('admins', 'everyone', 'selected')),
    guests_per_member INTEGER NOT NULL DEFAULT 3,
    display_all_group INTEGER NOT NULL DEFAULT 1,
    receive_activity_report INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    parent_id INTEGER REFERENCES departments(id),
    name TEXT NOT NULL,
    is_guests INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX departments_org ON departments(org_id);
CREATE UNIQUE INDEX departments_one_guests_dept ON departments(org_id) WHERE is_guests = 1;

-- Every (ancestor, descendant) pair, a department being its own ancestor; rebuilt from
-- the tree by the data layer whenever departments change.
CREATE TABLE department_closure (
    ancestor_id INTEGER NOT NULL REFERENCES departments(id),
    descendant_id INTEGER NOT NULL REFERENCES departments(id),
    PRIMARY KEY (ancestor_id, descendant_id)
);

CREATE TABLE org_groups (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    is_all INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX org_groups_one_all ON org_groups(org_id) WHERE is_all = 1;

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    archived INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX projects_org ON projects(org_id);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    email TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    mobile TEXT,
    avatar TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('member', 'guest')),
    department_id INTEGER NOT NULL REFERENCES departments(id),
    state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'disabled', 'removed')),
    is_company_admin INTEGER NOT NULL DEFAULT 0,
    authorized_to_invite INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT,
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    removed_at INTEGER,
    -- Guest fields.
    invited_by INTEGER REFERENCES people(id),
    invited_at INTEGER,
    sponsor_department_id INTEGER REFERENCES departments(id),
    project_id INTEGER REFERENCES projects(id),
    permission TEXT CHECK (permission IN ('edit', 'read_only')),
    expires_at INTEGER,
    -- Lower-cased, accent-folded words of names, email and user id, for prefix search.
    search_text TEXT NOT NULL DEFAULT ''
);
-- One live person per email and organization; a removed person's email may come back.
CREATE UNIQUE INDEX people_live_email ON people(org_id, email) WHERE state <> 'removed';
CREATE INDEX people_list ON people(org_id, kind, state, last_name, first_name, id);
CREATE INDEX people_sponsor ON people(sponsor_department_id, kind, state);
CREATE INDEX people_department ON people(department_id, kind, state);

CREATE TABLE department_admins (
    person_id INTEGER NOT NULL REFERENCES people(id),
    department_id INTEGER NOT NULL REFERENCES departments(id),
    PRIMARY KEY (person_id, department_id)
);

CREATE TABLE group_members (
    group_id INTEGER NOT NULL REFERENCES org_groups(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (group_id, person_id)
);

CREATE TABLE project_members (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    permission TEXT NOT NULL CHECK (permission IN ('edit', 'read_only')),
    PRIMARY KEY (project_id, person_id)
);

-- Append-only: who did what, to whom, when (unix ms). actor_id NULL means Lobby itself.
CREATE TABLE activity (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations(id),
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES people(id),
    subject_id INTEGER REFERENCES people(id),
    action TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT ''
);
CREATE INDEX activity_org_at ON activity(org_id, at);
CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity
BEGIN SELECT RAISE(ABORT, 'activity is append-only'); END;
CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity
BEGIN SELECT RAISE(ABORT, 'activity is append-only'); END;

-- Failed sign-ins per key ("account:<email>" or "address:<ip>") within a window.
CREATE TABLE signin_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start INTEGER NOT NULL
);
