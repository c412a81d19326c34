//! Conversations, their members and read markers, messages and attachments. One SQL
//! text for both backends; a post locks its conversation row first (the `UPDATE` of its
//! last activity), so within a conversation ids and sent times rise together and a poll
//! "after this message" never skips one committed later.

use super::{DbResult, WriteTx};
use crate::domain::messages::{ConversationKind, UNREAD_CAP};
use crate::domain::paging::{Key, KeyValue, Position};
use crate::domain::{ConversationId, DeptId, MessageId, OrgId, PersonId, PersonKind, PersonState, Timestamp};
use sqlx::{AnyConnection, AnyPool};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ConversationRow {
    pub id: ConversationId,
    pub kind: ConversationKind,
    pub department_id: Option<DeptId>,
    /// A channel's name, or its department's for a department channel.
    pub name: Option<String>,
}

/// A conversation of the organization (a deleted department's channel is gone with it).
pub async fn conversation(conn: &mut AnyConnection, org: OrgId, id: ConversationId) -> DbResult<Option<ConversationRow>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.kind, c.department_id, COALESCE(d.name, c.name) AS name
         FROM conversations c LEFT JOIN departments d ON d.id = c.department_id
         WHERE c.id = $1 AND c.org_id = $2 AND d.removed_at IS NULL",
    )
    .bind(id.0)
    .bind(org.0)
    .fetch_optional(conn)
    .await?)
}

/// A department's channel.
pub async fn department_channel(pool: &AnyPool, dept: DeptId) -> DbResult<Option<ConversationId>> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM conversations WHERE department_id = $1").bind(dept.0).fetch_optional(pool).await?;
    Ok(id.map(ConversationId))
}

/// The direct conversation with this key, if it exists.
pub async fn direct(conn: &mut AnyConnection, org: OrgId, key: &str) -> DbResult<Option<ConversationId>> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM conversations WHERE org_id = $1 AND direct_key = $2")
        .bind(org.0)
        .bind(key)
        .fetch_optional(conn)
        .await?;
    Ok(id.map(ConversationId))
}

/// Creates a direct conversation or a channel with its first members.
pub async fn create(
    tx: &mut WriteTx,
    org: OrgId,
    kind: ConversationKind,
    name: Option<&str>,
    direct_key: Option<&str>,
    creator: PersonId,
    members: &[PersonId],
    now: i64,
) -> DbResult<ConversationId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO conversations (org_id, kind, name, direct_key, created_by, created_at, last_activity_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(org.0)
    .bind(kind.as_db())
    .bind(name)
    .bind(direct_key)
    .bind(creator.0)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    let id = ConversationId(id);
    add_members(tx, id, members, now).await?;
    Ok(id)
}

/// Adds people to a direct conversation or channel (someone already in stays as is).
pub async fn add_members(tx: &mut WriteTx, conv: ConversationId, people: &[PersonId], now: i64) -> DbResult<()> {
    for p in people {
        sqlx::query(
            "INSERT INTO conversation_members (conversation_id, person_id, added_at) VALUES ($1, $2, $3)
             ON CONFLICT (conversation_id, person_id) DO NOTHING",
        )
        .bind(conv.0)
        .bind(p.0)
        .bind(now)
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

/// Locks a conversation's row until the transaction ends (the same statement on both
/// backends: SQLite's write transaction already excludes every other writer).
pub async fn lock(tx: &mut WriteTx, conv: ConversationId) -> DbResult<()> {
    sqlx::query("UPDATE conversations SET last_activity_at = last_activity_at WHERE id = $1").bind(conv.0).execute(tx.conn()).await?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ParticipantRow {
    pub id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub kind: PersonKind,
    pub state: PersonState,
    pub expires_at: Option<i64>,
}

/// The people of a direct conversation or channel, by name, whatever their standing.
pub async fn participants(conn: &mut AnyConnection, conv: ConversationId) -> DbResult<Vec<ParticipantRow>> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.first_name, p.last_name, p.kind, p.state, p.expires_at
         FROM conversation_members cm JOIN people p ON p.id = cm.person_id
         WHERE cm.conversation_id = $1 ORDER BY LOWER(p.last_name), LOWER(p.first_name), p.id",
    )
    .bind(conv.0)
    .fetch_all(conn)
    .await?)
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ListRow {
    pub id: ConversationId,
    pub kind: ConversationKind,
    pub title: Option<String>,
    pub last_activity_at: Timestamp,
    pub unread: i64,
}

/// The conversations of a person, newest activity first: their direct conversations and
/// channels, and their department's channel (`dept`: none for a guest), each with its
/// unread messages by others counted up to [`UNREAD_CAP`]. The count walks the
/// conversation's (sent time, id) index from the read marker: the ORDER BY keeps
/// PostgreSQL from betting on a table scan that finds its 100 rows early (for a
/// conversation read to the end it would read every message).
pub async fn list(pool: &AnyPool, org: OrgId, person: PersonId, dept: Option<DeptId>, pos: &Position, limit: i64) -> DbResult<Vec<ListRow>> {
    let (after, order) = super::keyset("x.last_activity_at", "x.id", true, pos, 5);
    let sql = format!(
        "SELECT x.id, x.kind, x.last_activity_at,
            CASE WHEN x.kind = 'direct' THEN
                (SELECT TRIM(p.first_name || ' ' || p.last_name) FROM conversation_members o JOIN people p ON p.id = o.person_id
                 WHERE o.conversation_id = x.id AND o.person_id <> $2 ORDER BY o.person_id LIMIT 1)
            ELSE COALESCE(x.dept_name, x.name) END AS title,
            (SELECT COUNT(*) FROM (SELECT 1 FROM messages m
                WHERE m.conversation_id = x.id AND m.author_id <> $2
                  AND (m.sent_at, m.id) > (COALESCE(r.last_read_at, 0), COALESCE(r.last_read_id, 0))
                ORDER BY m.sent_at, m.id LIMIT {UNREAD_CAP}) u) AS unread
         FROM (
            SELECT c.id, c.kind, c.name, NULL AS dept_name, c.last_activity_at
            FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id
            WHERE cm.person_id = $2 AND c.org_id = $1 AND c.kind <> 'department'
            UNION ALL
            SELECT c.id, c.kind, c.name, d.name AS dept_name, c.last_activity_at
            FROM conversations c JOIN departments d ON d.id = c.department_id
            WHERE c.department_id = $3 AND c.org_id = $1 AND d.is_guests = 0 AND d.removed_at IS NULL
         ) x LEFT JOIN conversation_members r ON r.conversation_id = x.id AND r.person_id = $2
         WHERE 1 = 1 {after} ORDER BY {order} LIMIT $4"
    );
    let q = sqlx::query_as(&sql).bind(org.0).bind(person.0).bind(dept.map(|d| d.0)).bind(limit);
    Ok(super::bind_key(q, pos).fetch_all(pool).await?)
}

pub fn list_key(r: &ListRow) -> Key {
    Key { value: KeyValue::Int(r.last_activity_at.0), id: r.id.0 }
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MessageRow {
    pub id: MessageId,
    pub author_id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub sent_at: Timestamp,
    pub body: String,
    pub file_name: Option<String>,
    pub file_type: Option<String>,
    pub file_size: Option<i64>,
}

const MESSAGE_COLUMNS: &str = "m.id, m.author_id, p.first_name, p.last_name, m.sent_at, m.body, m.file_name, m.file_type, m.file_size";

/// A page of a conversation, newest first from `pos` (reading backwards gives the newer
/// ones), authors by name whatever their standing now.
pub async fn messages(pool: &AnyPool, conv: ConversationId, pos: &Position, limit: i64) -> DbResult<Vec<MessageRow>> {
    let (after, order) = super::keyset("m.sent_at", "m.id", true, pos, 3);
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages m JOIN people p ON p.id = m.author_id
         WHERE m.conversation_id = $1 {after} ORDER BY {order} LIMIT $2"
    );
    let q = sqlx::query_as(&sql).bind(conv.0).bind(limit);
    Ok(super::bind_key(q, pos).fetch_all(pool).await?)
}

pub fn message_key(r: &MessageRow) -> Key {
    Key { value: KeyValue::Int(r.sent_at.0), id: r.id.0 }
}

/// An attachment to store with a message.
pub struct NewFile<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// Posts a message: locks the conversation by moving its last activity (never
/// backwards: a server whose clock is behind still sends after the last message), then
/// writes the message and its file. Returns the message and its sent time.
pub async fn post(tx: &mut WriteTx, conv: ConversationId, author: PersonId, now: i64, body: &str, file: Option<NewFile<'_>>) -> DbResult<(MessageId, i64)> {
    let sent_at: i64 = sqlx::query_scalar(
        "UPDATE conversations SET last_activity_at = CASE WHEN last_activity_at > $2 THEN last_activity_at ELSE $2 END
         WHERE id = $1 RETURNING last_activity_at",
    )
    .bind(conv.0)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO messages (conversation_id, author_id, sent_at, body, file_name, file_type, file_size)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(conv.0)
    .bind(author.0)
    .bind(sent_at)
    .bind(body)
    .bind(file.as_ref().map(|f| f.name))
    .bind(file.as_ref().map(|f| f.content_type))
    .bind(file.as_ref().map(|f| f.bytes.len() as i64))
    .fetch_one(tx.conn())
    .await?;
    if let Some(f) = file {
        sqlx::query("INSERT INTO message_files (message_id, bytes) VALUES ($1, $2)").bind(id).bind(f.bytes.to_vec()).execute(tx.conn()).await?;
    }
    Ok((MessageId(id), sent_at))
}

/// Moves a person's read marker forward to the message at (`sent_at`, `id`) — never
/// back; creates the marker of a department channel on first read.
pub async fn mark_read(tx: &mut WriteTx, conv: ConversationId, person: PersonId, up_to: (i64, MessageId), now: i64) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO conversation_members (conversation_id, person_id, added_at, last_read_at, last_read_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (conversation_id, person_id) DO UPDATE SET
            last_read_at = CASE WHEN (excluded.last_read_at, excluded.last_read_id) > (conversation_members.last_read_at, conversation_members.last_read_id)
                THEN excluded.last_read_at ELSE conversation_members.last_read_at END,
            last_read_id = CASE WHEN (excluded.last_read_at, excluded.last_read_id) > (conversation_members.last_read_at, conversation_members.last_read_id)
                THEN excluded.last_read_id ELSE conversation_members.last_read_id END",
    )
    .bind(conv.0)
    .bind(person.0)
    .bind(now)
    .bind(up_to.0)
    .bind(up_to.1 .0)
    .execute(tx.conn())
    .await?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct FileRow {
    pub conversation_id: ConversationId,
    pub file_name: String,
    pub file_type: String,
    pub bytes: Vec<u8>,
}

/// The attachment of a message of the organization.
pub async fn file(pool: &AnyPool, org: OrgId, message: MessageId) -> DbResult<Option<FileRow>> {
    Ok(sqlx::query_as(
        "SELECT m.conversation_id, m.file_name, m.file_type, f.bytes
         FROM messages m JOIN message_files f ON f.message_id = m.id JOIN conversations c ON c.id = m.conversation_id
         WHERE m.id = $1 AND c.org_id = $2",
    )
    .bind(message.0)
    .bind(org.0)
    .fetch_optional(pool)
    .await?)
}
