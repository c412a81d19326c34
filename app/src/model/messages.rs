//! Conversations as the console shows them (F-MESSAGES): the list with unread counts,
//! a page of messages, and what the person may do there (or why not).

use crate::domain::messages::ConversationKind;
use crate::domain::paging::Page;
use crate::domain::PersonKind;
use serde::{Deserialize, Serialize};

/// One conversation of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationEntry {
    pub id: i64,
    pub kind: ConversationKind,
    /// The other person's name (direct), the department's name (its channel) or the
    /// channel's name.
    pub title: String,
    pub last_activity_at: i64,
    /// Unread messages by others, counted up to [`crate::domain::messages::UNREAD_CAP`].
    pub unread: i64,
}

/// The conversations list, and whether the person may create a channel (or why not).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationList {
    pub page: Page<ConversationEntry>,
    pub channel_creation: Result<(), String>,
}

/// A message as shown: its author by name (kept after they leave), its text, and its
/// attachment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: i64,
    pub author_id: i64,
    pub author: String,
    pub mine: bool,
    pub sent_at: i64,
    pub text: String,
    pub file: Option<Attachment>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub size: i64,
    /// Where it is downloaded (participants only, while File sharing allows it).
    pub url: String,
}

/// Someone in a channel or direct conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: i64,
    pub name: String,
    pub kind: PersonKind,
}

/// A conversation's page: its messages (newest first in `messages.items`; `next` reads
/// older ones), the cursor to ask for newer ones, and what the person may do now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationView {
    pub id: i64,
    pub kind: ConversationKind,
    pub title: String,
    /// The people of a direct conversation or a channel (a department channel's are its
    /// department's members, not listed here).
    pub participants: Vec<Participant>,
    pub messages: Page<Message>,
    /// Cursor of the messages after the newest one shown (for polling).
    pub newer: Option<String>,
    /// May post (Messaging), or why not.
    pub post: Result<(), String>,
    /// May attach a file (File sharing), or why not.
    pub attach: Result<(), String>,
    /// May add people (a channel, to those who may create channels).
    pub may_add_people: bool,
}

/// Messages newer than a cursor, oldest first, with the cursor for the next poll.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMessages {
    pub messages: Vec<Message>,
    pub newer: Option<String>,
    /// More than a page arrived: poll again at once.
    pub more: bool,
}
