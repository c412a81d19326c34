-- Messages and channels (F-MESSAGES, issue 12).
--
-- A conversation is a direct one between two people (`direct_key` "low:high" person
-- ids, one per pair), a department's channel (`department_id`, one per department,
-- membership following the department rather than rows), or a channel of chosen people.
-- `last_activity_at` orders the conversations list; a post updates it first, so the
-- conversation row is the lock that orders its messages (ids and sent times rise
-- together within a conversation).
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organizations(id),
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'department', 'channel')),
    department_id BIGINT REFERENCES departments(id),
    name TEXT,
    direct_key TEXT,
    created_by BIGINT REFERENCES people(id),
    created_at BIGINT NOT NULL,
    last_activity_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX conversations_direct ON conversations(org_id, direct_key) WHERE direct_key IS NOT NULL;
CREATE UNIQUE INDEX conversations_department ON conversations(department_id) WHERE department_id IS NOT NULL;

-- Who is in a direct conversation or a channel, and how far each person has read (the
-- place of the last message read in the conversation's order: sent time, then id). For a
-- department channel a row is only the read marker.
CREATE TABLE conversation_members (
    conversation_id BIGINT NOT NULL REFERENCES conversations(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    added_at BIGINT NOT NULL,
    last_read_at BIGINT NOT NULL DEFAULT 0,
    last_read_id BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, person_id)
);
CREATE INDEX conversation_members_person ON conversation_members(person_id, conversation_id);

-- Messages stay when their author leaves: nothing here is deleted.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES conversations(id),
    author_id BIGINT NOT NULL REFERENCES people(id),
    sent_at BIGINT NOT NULL,
    body TEXT NOT NULL,
    file_name TEXT,
    file_type TEXT,
    file_size BIGINT
);
-- A page of a conversation, a poll for newer messages and an unread count: each a range
-- of (sent time, id) within the conversation. (A range on the id alone would let SQLite
-- walk the table's rowid across every conversation instead.)
CREATE INDEX messages_by_time ON messages(conversation_id, sent_at, id);

-- An attachment's bytes, apart from the messages a page reads.
CREATE TABLE message_files (
    message_id BIGINT PRIMARY KEY REFERENCES messages(id),
    bytes BLOB NOT NULL
);

-- Every normal department, live or not, has its channel.
INSERT INTO conversations (org_id, kind, department_id, created_at, last_activity_at)
SELECT d.org_id, 'department', d.id, o.created_at, o.created_at
FROM departments d JOIN organizations o ON o.id = d.org_id
WHERE d.is_guests = 0;
