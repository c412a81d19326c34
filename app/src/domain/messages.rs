//! Conversations (F-MESSAGES): who may read and post where, with the Guest Profile's
//! policy ([`super::profile`]) applied at the moment of each request.
//!
//! - A **direct** conversation is between two people: posting is the policy's answer for
//!   the two of them (so a guest never reaches another guest, and nobody reaches a person
//!   who has left).
//! - A **department channel** belongs to a normal department: its members read and post,
//!   a guest never reaches it. Membership follows the department.
//! - A **channel** holds chosen people, never two guests. When a guest is in it (or is the
//!   one posting), the feature used must be active for guests.
//!
//! People who leave (removed, expired, disabled) can no longer read or post; what they
//! wrote stays. File downloads follow File sharing as it is *now*, not as it was when the
//! file was sent.

use super::profile::{self, Feature, GuestProfile, Party, Refusal, Standing};
use super::{InvalidInput, PersonKind};
use serde::{Deserialize, Serialize};

/// The longest message, in characters.
pub const MAX_TEXT_CHARS: usize = 4_000;
/// The largest attachment.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Messages per page of a conversation.
pub const MESSAGES_PAGE: i64 = 50;
/// Conversations per page of the list.
pub const CONVERSATIONS_PAGE: i64 = 30;
/// People added to a channel at once.
pub const MAX_CHANNEL_ADDS: usize = 100;
/// Unread messages are counted up to this many ("99+" beyond).
pub const UNREAD_CAP: i64 = 100;
/// The longest attachment name kept.
pub const MAX_FILE_NAME_CHARS: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConversationKind {
    Direct,
    Department,
    Channel,
}

impl ConversationKind {
    pub fn as_db(self) -> &'static str {
        match self {
            ConversationKind::Direct => "direct",
            ConversationKind::Department => "department",
            ConversationKind::Channel => "channel",
        }
    }

    pub fn from_db(s: &str) -> Option<ConversationKind> {
        [ConversationKind::Direct, ConversationKind::Department, ConversationKind::Channel].into_iter().find(|k| k.as_db() == s)
    }
}

/// A message's text as typed: 1 to 4,000 characters, not only blanks. Kept as typed
/// (line breaks and inner spaces matter); only trailing blank lines are trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageText(String);

impl MessageText {
    pub fn parse(input: &str) -> Result<MessageText, InvalidInput> {
        let s = input.trim_end();
        if s.trim().is_empty() {
            return Err(InvalidInput("Write a message first.".into()));
        }
        if s.chars().count() > MAX_TEXT_CHARS {
            return Err(InvalidInput(format!("A message has at most {MAX_TEXT_CHARS} characters.")));
        }
        if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
            return Err(InvalidInput("The message contains characters that are not allowed.".into()));
        }
        Ok(MessageText(s.to_string()))
    }

    /// The text sent with a file: may be empty.
    pub fn parse_caption(input: &str) -> Result<MessageText, InvalidInput> {
        if input.trim().is_empty() {
            return Ok(MessageText(String::new()));
        }
        MessageText::parse(input)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An attachment's name as shown and offered for saving: the last path segment, without
/// control characters or quotes, at most [`MAX_FILE_NAME_CHARS`]; "file" when nothing is
/// left. The name never decides the type (the bytes do).
pub fn file_name(input: &str) -> String {
    let last = input.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control() && *c != '"').take(MAX_FILE_NAME_CHARS).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

/// What the policy needs to know about a conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Room<'a> {
    /// The other person of a direct conversation.
    Direct { other: Party<'a> },
    Department,
    /// Whether a guest other than the asker is in the channel (whatever their standing:
    /// what they sent stays theirs).
    Channel { other_guest: bool },
}

/// Why a conversation is closed to a person; "not found" to a guest at a department
/// channel, so its existence is not confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Closed {
    NotFound,
    Refused(Refusal),
}

/// May `me` read a conversation they belong to (the caller checked membership: a row for
/// a direct conversation or a channel, the department for its channel)? Only while active.
pub fn may_read(me: &Party, room: &Room) -> Result<(), Closed> {
    if matches!(room, Room::Department) && me.kind == PersonKind::Guest {
        return Err(Closed::NotFound);
    }
    if me.standing != Standing::Active {
        return Err(Closed::Refused(Refusal::Gone { who: None, standing: me.standing }));
    }
    Ok(())
}

/// May `me` use `feature` (Messaging to post, File sharing to attach or download) in the
/// room, at this moment?
pub fn may_use_in(me: &Party, room: &Room, feature: Feature, profile: &GuestProfile) -> Result<(), Closed> {
    may_read(me, room)?;
    match room {
        Room::Direct { other } => profile::may_use(me, other, feature, profile).map_err(Closed::Refused),
        Room::Department => Ok(()),
        Room::Channel { other_guest } => {
            if (me.kind == PersonKind::Guest || *other_guest) && !profile.allows(feature) {
                Err(Closed::Refused(Refusal::InactiveForGuests(feature)))
            } else {
                Ok(())
            }
        }
    }
}

/// May a file already sent be downloaded now? File sharing as the Guest Profile has it
/// now, whoever sent it and whether or not they are still here: the other side of a
/// direct conversation having left does not take their files away.
pub fn may_download(me: &Party, room: &Room, profile: &GuestProfile) -> Result<(), Closed> {
    may_read(me, room)?;
    let guest_involved = me.kind == PersonKind::Guest
        || match room {
            Room::Direct { other } => other.kind == PersonKind::Guest,
            Room::Department => false,
            Room::Channel { other_guest } => *other_guest,
        };
    if guest_involved && !profile.allows(Feature::FileSharing) {
        return Err(Closed::Refused(Refusal::InactiveForGuests(Feature::FileSharing)));
    }
    Ok(())
}

/// Why a person cannot be added to a channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddRefusal {
    /// The channel (with the people added at once) would hold two guests.
    SecondGuest,
    /// The person has left or their access has expired.
    Gone,
}

impl std::fmt::Display for AddRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AddRefusal::SecondGuest => write!(f, "A channel holds at most one guest: guests never see each other."),
            AddRefusal::Gone => write!(f, "This person has left the organization or their access has expired."),
        }
    }
}

/// May these people join a channel that already holds `guests_in` live guests? Each is
/// (kind, standing).
pub fn may_add(guests_in: usize, adding: &[(PersonKind, Standing)]) -> Result<(), AddRefusal> {
    if adding.iter().any(|(_, s)| *s != Standing::Active) {
        return Err(AddRefusal::Gone);
    }
    let guests = guests_in + adding.iter().filter(|(k, _)| *k == PersonKind::Guest).count();
    if guests > 1 {
        return Err(AddRefusal::SecondGuest);
    }
    Ok(())
}

/// The key of the direct conversation between two people, whoever starts it.
pub fn direct_key(a: i64, b: i64) -> String {
    format!("{}:{}", a.min(b), a.max(b))
}

/// "99+" beyond the cap.
pub fn unread_label(n: i64) -> String {
    if n >= UNREAD_CAP {
        format!("{}+", UNREAD_CAP - 1)
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PersonKind::{Guest, Member};
    use Standing::*;

    fn p(id: i64, kind: PersonKind, standing: Standing) -> Party<'static> {
        Party { id, name: "Bo", kind, standing }
    }

    fn profile(messaging: bool, files: bool) -> GuestProfile {
        GuestProfile { messaging, file_sharing: files, ..GuestProfile::NEW_ORGANIZATION }
    }

    fn refused(f: Feature) -> Result<(), Closed> {
        Err(Closed::Refused(Refusal::InactiveForGuests(f)))
    }

    #[test]
    fn text_is_one_to_four_thousand_characters() {
        assert!(MessageText::parse("").is_err());
        assert!(MessageText::parse(" \n\t ").is_err());
        assert_eq!(MessageText::parse("  hi\nthere  \n\n").unwrap().as_str(), "  hi\nthere");
        assert!(MessageText::parse(&"é".repeat(MAX_TEXT_CHARS)).is_ok());
        assert!(MessageText::parse(&"é".repeat(MAX_TEXT_CHARS + 1)).is_err());
        assert!(MessageText::parse("a\u{0}b").is_err());
        assert_eq!(MessageText::parse_caption("  ").unwrap().as_str(), "");
        assert!(MessageText::parse_caption(&"x".repeat(MAX_TEXT_CHARS + 1)).is_err());
    }

    #[test]
    fn file_names_lose_paths_and_quotes() {
        for (given, kept) in [
            ("report.pdf", "report.pdf"),
            ("C:\\Users\\me\\a b.txt", "a b.txt"),
            ("../../etc/passwd", "passwd"),
            ("\"quoted\".png", "quoted.png"),
            ("", "file"),
            ("...", "file"),
            ("line\nbreak.txt", "linebreak.txt"),
        ] {
            assert_eq!(file_name(given), kept, "{given:?}");
        }
        assert_eq!(file_name(&"x".repeat(500)).chars().count(), MAX_FILE_NAME_CHARS);
    }

    /// Posting (Messaging) and attaching (File sharing) in each room × kinds × profile.
    #[test]
    fn posting_by_room_kind_and_profile() {
        let (member, guest) = (p(1, Member, Active), p(1, Guest, Active));
        for (messaging, files) in [(true, true), (true, false), (false, true), (false, false)] {
            let pr = profile(messaging, files);
            let ok_if = |on: bool, f| if on { Ok(()) } else { refused(f) };
            for (me, room, msg, file) in [
                (&member, Room::Direct { other: p(2, Member, Active) }, Ok(()), Ok(())),
                (&member, Room::Direct { other: p(2, Guest, Active) }, ok_if(messaging, Feature::Messaging), ok_if(files, Feature::FileSharing)),
                (&guest, Room::Direct { other: p(2, Member, Active) }, ok_if(messaging, Feature::Messaging), ok_if(files, Feature::FileSharing)),
                (&guest, Room::Direct { other: p(2, Guest, Active) }, Err(Closed::Refused(Refusal::BetweenGuests)), Err(Closed::Refused(Refusal::BetweenGuests))),
                (&member, Room::Department, Ok(()), Ok(())),
                (&guest, Room::Department, Err(Closed::NotFound), Err(Closed::NotFound)),
                (&member, Room::Channel { other_guest: false }, Ok(()), Ok(())),
                (&member, Room::Channel { other_guest: true }, ok_if(messaging, Feature::Messaging), ok_if(files, Feature::FileSharing)),
                (&guest, Room::Channel { other_guest: false }, ok_if(messaging, Feature::Messaging), ok_if(files, Feature::FileSharing)),
            ] {
                assert_eq!(may_use_in(me, &room, Feature::Messaging, &pr), msg, "{me:?} {room:?} {pr:?}");
                assert_eq!(may_use_in(me, &room, Feature::FileSharing, &pr), file, "{me:?} {room:?} {pr:?}");
            }
        }
    }

    /// Anyone who has left reads and posts nowhere; a direct conversation with someone who
    /// left can be read but not posted to.
    #[test]
    fn people_who_leave() {
        let pr = profile(true, true);
        for standing in [Disabled, Removed, Expired] {
            for kind in [Member, Guest] {
                let me = p(1, kind, standing);
                for room in [Room::Direct { other: p(2, Member, Active) }, Room::Channel { other_guest: false }] {
                    assert_eq!(may_read(&me, &room), Err(Closed::Refused(Refusal::Gone { who: None, standing })));
                    assert!(may_use_in(&me, &room, Feature::Messaging, &pr).is_err());
                    assert!(may_download(&me, &room, &pr).is_err());
                }
            }
            let room = Room::Direct { other: p(2, Guest, standing) };
            let me = p(1, Member, Active);
            assert_eq!(may_read(&me, &room), Ok(()));
            assert!(matches!(may_use_in(&me, &room, Feature::Messaging, &pr), Err(Closed::Refused(Refusal::Gone { .. }))));
            assert_eq!(may_download(&me, &room, &pr), Ok(()), "their files stay");
            assert_eq!(may_download(&me, &room, &profile(true, false)), refused(Feature::FileSharing));
        }
    }

    /// Downloads follow File sharing now, wherever a guest is involved.
    #[test]
    fn downloads_follow_file_sharing_now() {
        let (member, guest) = (p(1, Member, Active), p(1, Guest, Active));
        for files in [true, false] {
            let pr = profile(true, files);
            let guests_need = if files { Ok(()) } else { refused(Feature::FileSharing) };
            assert_eq!(may_download(&member, &Room::Direct { other: p(2, Member, Active) }, &pr), Ok(()));
            assert_eq!(may_download(&member, &Room::Direct { other: p(2, Guest, Active) }, &pr), guests_need);
            assert_eq!(may_download(&guest, &Room::Direct { other: p(2, Member, Active) }, &pr), guests_need);
            assert_eq!(may_download(&member, &Room::Channel { other_guest: true }, &pr), guests_need);
            assert_eq!(may_download(&member, &Room::Channel { other_guest: false }, &pr), Ok(()));
            assert_eq!(may_download(&member, &Room::Department, &pr), Ok(()));
            assert_eq!(may_download(&guest, &Room::Department, &pr), Err(Closed::NotFound));
        }
    }

    #[test]
    fn a_channel_never_holds_two_guests() {
        for (inside, adding, expected) in [
            (0, vec![(Member, Active)], Ok(())),
            (0, vec![(Guest, Active)], Ok(())),
            (1, vec![(Member, Active), (Member, Active)], Ok(())),
            (1, vec![(Guest, Active)], Err(AddRefusal::SecondGuest)),
            (0, vec![(Guest, Active), (Guest, Active)], Err(AddRefusal::SecondGuest)),
            (0, vec![(Member, Removed)], Err(AddRefusal::Gone)),
            (0, vec![(Guest, Expired)], Err(AddRefusal::Gone)),
        ] {
            assert_eq!(may_add(inside, &adding), expected, "{inside} + {adding:?}");
        }
    }

    #[test]
    fn keys_and_labels() {
        assert_eq!(direct_key(9, 3), "3:9");
        assert_eq!(direct_key(3, 9), "3:9");
        assert_eq!(unread_label(0), "0");
        assert_eq!(unread_label(98), "98");
        assert_eq!(unread_label(UNREAD_CAP), "99+");
        for k in [ConversationKind::Direct, ConversationKind::Department, ConversationKind::Channel] {
            assert_eq!(ConversationKind::from_db(k.as_db()), Some(k));
        }
        assert_eq!(ConversationKind::from_db("group"), None);
    }
}
