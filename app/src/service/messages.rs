//! Messages and channels (F-MESSAGES): every door — reading, posting, attaching,
//! downloading, creating a channel, adding people — enters the conversation through
//! [`enter`] (the person is in it, and still active) and then asks the policy of
//! [`crate::domain::messages`] with the Guest Profile as it is at that moment.

use crate::data::directory::{self as dir, CardRow};
use crate::data::invitations as settings_db;
use crate::data::messages::{self as db, MessageRow, NewFile, ParticipantRow};
use crate::domain::access::{may_see_person, Relation};
use crate::domain::messages::{self as rules, Closed, ConversationKind, MessageText, Room, MESSAGES_PAGE};
use crate::domain::paging::{page_of, Position};
use crate::domain::profile::{self, Feature, GuestProfile, Party, Standing};
use crate::domain::people::full_name;
use crate::domain::{ConversationId, MessageId, PersonId, PersonKind, Title, Viewer};
use crate::error::AppError;
use crate::model::messages::*;
use crate::web::state::AppState;
use sqlx::AnyConnection;

const NOT_FOUND: &str = "This conversation was not found.";

fn not_found() -> AppError {
    AppError::NotFound(NOT_FOUND.into())
}

fn closed(c: Closed) -> AppError {
    match c {
        Closed::NotFound => not_found(),
        Closed::Refused(r) => AppError::Refused(r.to_string()),
    }
}

/// A person as the policy sees them, owning their name.
struct Person {
    id: PersonId,
    name: String,
    kind: PersonKind,
    standing: Standing,
}

impl Person {
    fn party(&self) -> Party<'_> {
        Party { id: self.id.0, name: &self.name, kind: self.kind, standing: self.standing }
    }

    fn of_card(c: &CardRow, now: i64) -> Person {
        Person { id: c.id, name: full_name(&c.first_name, &c.last_name), kind: c.kind, standing: Standing::of(c.state, c.expires_at, now) }
    }

    fn of_participant(p: &ParticipantRow, now: i64) -> Person {
        Person { id: p.id, name: full_name(&p.first_name, &p.last_name), kind: p.kind, standing: Standing::of(p.state, p.expires_at, now) }
    }
}

/// A conversation the person has entered.
struct Entered {
    id: ConversationId,
    kind: ConversationKind,
    title: String,
    me: Person,
    /// The other people of a direct conversation or channel.
    others: Vec<Person>,
    profile: GuestProfile,
}

impl Entered {
    fn room(&self) -> Room<'_> {
        match self.kind {
            ConversationKind::Direct => match self.others.first() {
                Some(o) => Room::Direct { other: o.party() },
                // The other side's row is always written with the conversation.
                None => Room::Channel { other_guest: false },
            },
            ConversationKind::Department => Room::Department,
            ConversationKind::Channel => Room::Channel { other_guest: self.others.iter().any(|o| o.kind == PersonKind::Guest) },
        }
    }

    fn may(&self, feature: Feature) -> Result<(), Closed> {
        rules::may_use_in(&self.me.party(), &self.room(), feature, &self.profile)
    }
}

async fn me(conn: &mut AnyConnection, viewer: &Viewer) -> Result<CardRow, AppError> {
    dir::card(conn, viewer.org_id, viewer.id).await?.ok_or_else(|| AppError::Unauthenticated)
}

/// A connection of the pool, for a use case's reads.
async fn connection(state: &AppState) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, AppError> {
    Ok(state.db.pool().acquire().await.map_err(crate::data::DbError::from)?)
}

/// The conversation `id` of the viewer's organization, if the viewer is in it (a row for
/// a direct conversation or channel, their department for its channel) and may read it.
/// Everything is read through `conn`: a post passes its write transaction's, so what it
/// checks holds for what it writes, and it never waits for a second connection.
async fn enter(state: &AppState, conn: &mut AnyConnection, viewer: &Viewer, id: i64) -> Result<Entered, AppError> {
    let now = state.now_ms();
    let conv = db::conversation(&mut *conn, viewer.org_id, ConversationId(id)).await?.ok_or_else(not_found)?;
    let card = me(&mut *conn, viewer).await?;
    let me = Person::of_card(&card, now);
    let mut others = Vec::new();
    let title = match conv.kind {
        ConversationKind::Department => {
            if card.kind == PersonKind::Guest || conv.department_id != Some(card.department_id) {
                return Err(not_found());
            }
            conv.name.clone().unwrap_or_default()
        }
        ConversationKind::Direct | ConversationKind::Channel => {
            let rows = db::participants(&mut *conn, conv.id).await?;
            if !rows.iter().any(|p| p.id == viewer.id) {
                return Err(not_found());
            }
            others = rows.iter().filter(|p| p.id != viewer.id).map(|p| Person::of_participant(p, now)).collect();
            match conv.kind {
                ConversationKind::Direct => others.first().map(|o| o.name.clone()).unwrap_or_default(),
                _ => conv.name.clone().unwrap_or_default(),
            }
        }
    };
    let profile = settings_db::settings(&mut *conn, viewer.org_id).await?.guest_profile;
    let entered = Entered { id: conv.id, kind: conv.kind, title, me, others, profile };
    rules::may_read(&entered.me.party(), &entered.room()).map_err(closed)?;
    Ok(entered)
}

fn message(r: MessageRow, me: PersonId) -> Message {
    let file = match (r.file_name, r.file_type, r.file_size) {
        (Some(name), Some(content_type), Some(size)) => Some(Attachment { name, content_type, size, url: format!("/files/{}", r.id.0) }),
        _ => None,
    };
    Message {
        id: r.id.0,
        author_id: r.author_id.0,
        author: full_name(&r.first_name, &r.last_name),
        mine: r.author_id == me,
        sent_at: r.sent_at.0,
        text: r.body,
        file,
    }
}

fn newer_cursor(r: &MessageRow) -> String {
    db::message_key(r).before()
}

/// The person's conversations, newest activity first, with unread counts.
pub async fn list(state: &AppState, viewer: &Viewer, cursor: Option<&str>) -> Result<ConversationList, AppError> {
    let pos = Position::parse_numeric(cursor)?;
    let card = me(&mut *connection(state).await?, viewer).await?;
    let dept = (card.kind != PersonKind::Guest).then_some(card.department_id);
    let rows = db::list(state.db.pool(), viewer.org_id, viewer.id, dept, &pos, rules::CONVERSATIONS_PAGE + 1).await?;
    let page = page_of(rows, &pos, rules::CONVERSATIONS_PAGE, db::list_key).map(|r| ConversationEntry {
        id: r.id.0,
        kind: r.kind,
        title: r.title.unwrap_or_default(),
        last_activity_at: r.last_activity_at.0,
        unread: r.unread,
    });
    let profile = settings_db::settings_of(state.db.pool(), viewer.org_id).await?.guest_profile;
    let standing = Standing::of(card.state, card.expires_at, state.now_ms());
    let channel_creation = profile::may_create_channel(card.kind, standing, &profile).map_err(|r| r.to_string());
    Ok(ConversationList { page, channel_creation })
}

/// A conversation: a page of messages (the newest first, `cursor` for older ones), its
/// people, and what the person may do there now. Reading the newest page marks it read.
pub async fn view(state: &AppState, viewer: &Viewer, id: i64, cursor: Option<&str>) -> Result<ConversationView, AppError> {
    let pos = Position::parse_numeric(cursor)?;
    let e = enter(state, &mut *connection(state).await?, viewer, id).await?;
    let rows = db::messages(state.db.pool(), e.id, &pos, MESSAGES_PAGE + 1).await?;
    let first_page = pos == Position::First;
    let newest = if first_page { rows.first().map(|r| ((r.sent_at.0, r.id), newer_cursor(r))) } else { None };
    if let Some((last, _)) = &newest {
        mark_read(state, e.id, viewer.id, *last).await?;
    }
    let messages = page_of(rows, &pos, MESSAGES_PAGE, db::message_key).map(|r| message(r, viewer.id));
    let participants = e.others.iter().chain(std::iter::once(&e.me)).map(|p| Participant { id: p.id.0, name: p.name.clone(), kind: p.kind }).collect();
    let may_add_people = e.kind == ConversationKind::Channel && profile::may_create_channel(e.me.kind, e.me.standing, &e.profile).is_ok();
    Ok(ConversationView {
        id: e.id.0,
        kind: e.kind,
        title: e.title.clone(),
        participants,
        messages,
        newer: newest.map(|(_, c)| c),
        post: e.may(Feature::Messaging).map_err(|c| closed(c).to_string()),
        attach: e.may(Feature::FileSharing).map_err(|c| closed(c).to_string()),
        may_add_people,
    })
}

async fn mark_read(state: &AppState, conv: ConversationId, person: PersonId, up_to: (i64, MessageId)) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    db::mark_read(&mut tx, conv, person, up_to, state.now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// Messages after the cursor (none: the newest page), oldest first, at most a page;
/// marks them read.
pub async fn newer(state: &AppState, viewer: &Viewer, id: i64, cursor: Option<&str>) -> Result<NewMessages, AppError> {
    let pos = match Position::parse_numeric(cursor)? {
        Position::After(_) => return Err(AppError::Invalid("This page link is not valid any more. Go back to the first page.".into())),
        p => p,
    };
    let e = enter(state, &mut *connection(state).await?, viewer, id).await?;
    let mut rows = db::messages(state.db.pool(), e.id, &pos, MESSAGES_PAGE + 1).await?;
    if pos == Position::First {
        // The newest page, read newest first: oldest first like the rest.
        rows.reverse();
        if rows.len() as i64 > MESSAGES_PAGE {
            rows.remove(0);
        }
    }
    let more = rows.len() as i64 > MESSAGES_PAGE;
    rows.truncate(MESSAGES_PAGE as usize);
    let newer = rows.last().map(newer_cursor).or_else(|| cursor.map(str::to_string));
    if let Some(last) = rows.last() {
        mark_read(state, e.id, viewer.id, (last.sent_at.0, last.id)).await?;
    }
    Ok(NewMessages { messages: rows.into_iter().map(|r| message(r, viewer.id)).collect(), newer, more })
}

/// Posts a message (Messaging, by the Guest Profile now).
pub async fn send(state: &AppState, viewer: &Viewer, id: i64, text: &str) -> Result<Message, AppError> {
    let text = MessageText::parse(text)?;
    post(state, viewer, id, text.as_str(), None).await
}

/// What a person attaches: the name they gave (never the type: the bytes decide).
pub struct Upload<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub caption: &'a str,
}

/// Sends a file with an optional caption (File sharing, by the Guest Profile now; and
/// Messaging when there is a caption).
pub async fn send_file(state: &AppState, viewer: &Viewer, id: i64, upload: Upload<'_>) -> Result<Message, AppError> {
    if upload.bytes.is_empty() {
        return Err(AppError::Invalid("Choose a file to attach.".into()));
    }
    if upload.bytes.len() > rules::MAX_FILE_BYTES {
        return Err(AppError::TooLarge);
    }
    let caption = MessageText::parse_caption(upload.caption)?;
    let name = rules::file_name(upload.name);
    let content_type = sniff(upload.bytes);
    post(state, viewer, id, caption.as_str(), Some(NewFile { name: &name, content_type, bytes: upload.bytes })).await
}

/// The type of a file from its bytes (magic numbers), never from its name: text when it
/// is UTF-8 without NUL, otherwise unknown bytes.
pub fn sniff(bytes: &[u8]) -> &'static str {
    if let Some(t) = infer::get(bytes) {
        return t.mime_type();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) if !s.contains('\0') => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Posts under the conversation's lock: who is in it and what the Guest Profile allows
/// are read after the lock is taken, so a guest added or a feature turned off a moment
/// before is seen. A file needs File sharing, text needs Messaging.
async fn post(state: &AppState, viewer: &Viewer, id: i64, body: &str, file: Option<NewFile<'_>>) -> Result<Message, AppError> {
    let mut tx = state.db.begin_write().await?;
    db::lock(&mut tx, ConversationId(id)).await?;
    let e = enter(state, tx.conn(), viewer, id).await?;
    if file.is_some() {
        e.may(Feature::FileSharing).map_err(closed)?;
    }
    if !body.is_empty() {
        e.may(Feature::Messaging).map_err(closed)?;
    }
    let now = state.now_ms();
    let has_file = file.as_ref().map(|f| (f.name.to_string(), f.content_type.to_string(), f.bytes.len() as i64));
    let (id, sent_at) = db::post(&mut tx, e.id, e.me.id, now, body, file).await?;
    db::mark_read(&mut tx, e.id, e.me.id, (sent_at, id), now).await?;
    tx.commit().await?;
    Ok(Message {
        id: id.0,
        author_id: e.me.id.0,
        author: e.me.name.clone(),
        mine: true,
        sent_at,
        text: body.to_string(),
        file: has_file.map(|(name, content_type, size)| Attachment { name, content_type, size, url: format!("/files/{}", id.0) }),
    })
}

/// A file to download: to the conversation's people, while File sharing allows it now.
pub async fn download(state: &AppState, viewer: &Viewer, message: i64) -> Result<(String, String, Vec<u8>), AppError> {
    let missing = || AppError::NotFound("This file was not found.".into());
    let f = db::file(state.db.pool(), viewer.org_id, MessageId(message)).await?.ok_or_else(missing)?;
    let e = enter(state, &mut *connection(state).await?, viewer, f.conversation_id.0).await.map_err(|err| if matches!(err, AppError::NotFound(_)) { missing() } else { err })?;
    rules::may_download(&e.me.party(), &e.room(), &e.profile).map_err(closed)?;
    Ok((f.file_name, f.file_type, f.bytes))
}

/// Someone the viewer may see (and so add or message), by id: not found otherwise.
async fn visible(state: &AppState, viewer: &Viewer, id: i64) -> Result<CardRow, AppError> {
    let missing = || AppError::NotFound("This person was not found.".into());
    let c = dir::card(state.db.pool(), viewer.org_id, PersonId(id)).await?.ok_or_else(missing)?;
    let relation = if c.id == viewer.id { Relation::Itself } else { Relation::OutOfScope };
    if !may_see_person(viewer, c.kind, relation) {
        return Err(missing());
    }
    Ok(c)
}

/// The direct conversation with a person ("Message" on a contact card): the existing one,
/// or a new one when Messaging is available between the two now.
pub async fn open_direct(state: &AppState, viewer: &Viewer, with: i64) -> Result<i64, AppError> {
    let other = visible(state, viewer, with).await?;
    if other.id == viewer.id {
        return Err(AppError::Invalid("This is you: choose someone else to message.".into()));
    }
    let key = rules::direct_key(viewer.id.0, other.id.0);
    let pool = state.db.pool();
    {
        let mut conn = pool.acquire().await.map_err(crate::data::DbError::from)?;
        if let Some(id) = db::direct(&mut conn, viewer.org_id, &key).await? {
            return Ok(id.0);
        }
    }
    let now = state.now_ms();
    let me = Person::of_card(&me(&mut *connection(state).await?, viewer).await?, now);
    let them = Person::of_card(&other, now);
    let profile = settings_db::settings_of(pool, viewer.org_id).await?.guest_profile;
    profile::may_use(&me.party(), &them.party(), Feature::Messaging, &profile).map_err(|r| AppError::Refused(r.to_string()))?;
    let mut tx = state.db.begin_write().await?;
    if let Some(id) = db::direct(tx.conn(), viewer.org_id, &key).await? {
        return Ok(id.0);
    }
    // Both people pressing "Message" at once: the unique pair key lets one create it;
    // the other finds it once the first has committed.
    match db::create(&mut tx, viewer.org_id, ConversationKind::Direct, None, Some(&key), viewer.id, &[viewer.id, other.id], now).await {
        Ok(id) => {
            tx.commit().await?;
            Ok(id.0)
        }
        Err(e) if e.is_unique_violation() => {
            drop(tx);
            let mut conn = pool.acquire().await.map_err(crate::data::DbError::from)?;
            Ok(db::direct(&mut conn, viewer.org_id, &key).await?.ok_or_else(not_found)?.0)
        }
        Err(e) => Err(e.into()),
    }
}

/// People to add, each visible to the viewer, with their kind and standing.
async fn newcomers(state: &AppState, viewer: &Viewer, people: &[i64]) -> Result<Vec<Person>, AppError> {
    let mut ids: Vec<i64> = people.iter().copied().filter(|p| *p != viewer.id.0).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() > rules::MAX_CHANNEL_ADDS {
        return Err(AppError::Invalid(format!("Add at most {} people at once.", rules::MAX_CHANNEL_ADDS)));
    }
    let now = state.now_ms();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(Person::of_card(&visible(state, viewer, id).await?, now));
    }
    Ok(out)
}

fn check_adds(guests_in: usize, adding: &[Person]) -> Result<(), AppError> {
    let list: Vec<(PersonKind, Standing)> = adding.iter().map(|p| (p.kind, p.standing)).collect();
    rules::may_add(guests_in, &list).map_err(|r| AppError::Conflict(r.to_string()))
}

/// A channel with chosen people: members always may create one, guests only while
/// Channel creation is active; never two guests in it.
pub async fn create_channel(state: &AppState, viewer: &Viewer, name: &str, people: &[i64]) -> Result<i64, AppError> {
    let name = Title::parse(name, "The channel name")?;
    let now = state.now_ms();
    let me = Person::of_card(&me(&mut *connection(state).await?, viewer).await?, now);
    let profile = settings_db::settings_of(state.db.pool(), viewer.org_id).await?.guest_profile;
    profile::may_create_channel(me.kind, me.standing, &profile).map_err(|r| AppError::Refused(r.to_string()))?;
    let adding = newcomers(state, viewer, people).await?;
    check_adds(usize::from(me.kind == PersonKind::Guest), &adding)?;
    let mut members: Vec<PersonId> = adding.iter().map(|p| p.id).collect();
    members.push(viewer.id);
    let mut tx = state.db.begin_write().await?;
    let id = db::create(&mut tx, viewer.org_id, ConversationKind::Channel, Some(name.as_str()), None, viewer.id, &members, now).await?;
    tx.commit().await?;
    Ok(id.0)
}

/// Adds people to a channel the viewer is in (those who may create channels may add to
/// them); the channel still never holds two guests. All or nothing.
pub async fn add_to_channel(state: &AppState, viewer: &Viewer, id: i64, people: &[i64]) -> Result<(), AppError> {
    if people.is_empty() {
        return Err(AppError::Invalid("Choose someone to add.".into()));
    }
    let e = enter(state, &mut *connection(state).await?, viewer, id).await?;
    if e.kind != ConversationKind::Channel {
        return Err(AppError::Invalid("People are added to channels only.".into()));
    }
    profile::may_create_channel(e.me.kind, e.me.standing, &e.profile).map_err(|r| AppError::Refused(r.to_string()))?;
    let adding: Vec<Person> = newcomers(state, viewer, people).await?.into_iter().filter(|p| !e.others.iter().any(|o| o.id == p.id)).collect();
    let mut tx = state.db.begin_write().await?;
    db::lock(&mut tx, e.id).await?;
    // Counted inside the write transaction, so two additions at once cannot both bring a guest.
    let inside = db::participants(tx.conn(), e.id).await?;
    let now = state.now_ms();
    // Every guest row counts, whatever their standing: a guest who left is still shown
    // with their messages, so a second guest would see them.
    let guests_in = inside.iter().filter(|p| p.kind == PersonKind::Guest).count();
    check_adds(guests_in, &adding)?;
    let ids: Vec<PersonId> = adding.iter().map(|p| p.id).collect();
    db::add_members(&mut tx, e.id, &ids, now).await?;
    tx.commit().await?;
    Ok(())
}
