//! The Guest Profile (F-PROFILE) and the one policy that answers "may person A use
//! feature F with person B?" — for contact cards, View as, the messaging to come and the
//! JSON API's policy endpoint alike.
//!
//! The rule (first seed, section 1): no communication is possible between a user and a
//! guest through a feature the Guest Profile sets inactive for guests; two guests never
//! reach each other; nobody reaches a person who has left or whose access has expired.

use super::{PersonKind, PersonState};
use serde::{Deserialize, Serialize};

/// A feature the Guest Profile turns on or off for guests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Feature {
    Messaging,
    FileSharing,
    AudioCalls,
    VideoCalls,
    ScreenSharing,
    ChannelCreation,
}

impl Feature {
    /// In the order the Guest Profile and the contact card list them.
    pub const ALL: [Feature; 6] =
        [Feature::Messaging, Feature::FileSharing, Feature::AudioCalls, Feature::VideoCalls, Feature::ScreenSharing, Feature::ChannelCreation];
    /// The features one uses with another person (a contact card lists these; creating a
    /// channel is something one does alone).
    pub const WITH_SOMEONE: [Feature; 5] = [Feature::Messaging, Feature::FileSharing, Feature::AudioCalls, Feature::VideoCalls, Feature::ScreenSharing];

    pub fn label(self) -> &'static str {
        match self {
            Feature::Messaging => "Messaging",
            Feature::FileSharing => "File sharing",
            Feature::AudioCalls => "Audio calls",
            Feature::VideoCalls => "Video calls",
            Feature::ScreenSharing => "Screen sharing",
            Feature::ChannelCreation => "Channel creation",
        }
    }

    /// The stable name in URLs, the API and the log.
    pub fn key(self) -> &'static str {
        match self {
            Feature::Messaging => "messaging",
            Feature::FileSharing => "file_sharing",
            Feature::AudioCalls => "audio_calls",
            Feature::VideoCalls => "video_calls",
            Feature::ScreenSharing => "screen_sharing",
            Feature::ChannelCreation => "channel_creation",
        }
    }

    pub fn from_key(key: &str) -> Option<Feature> {
        Feature::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// Which features are active for guests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestProfile {
    pub messaging: bool,
    pub file_sharing: bool,
    pub audio_calls: bool,
    pub video_calls: bool,
    pub screen_sharing: bool,
    pub channel_creation: bool,
}

impl Default for GuestProfile {
    fn default() -> Self {
        GuestProfile::NEW_ORGANIZATION
    }
}

impl GuestProfile {
    /// What a new organization allows its guests: Messaging only.
    pub const NEW_ORGANIZATION: GuestProfile =
        GuestProfile { messaging: true, file_sharing: false, audio_calls: false, video_calls: false, screen_sharing: false, channel_creation: false };

    pub fn allows(&self, feature: Feature) -> bool {
        match feature {
            Feature::Messaging => self.messaging,
            Feature::FileSharing => self.file_sharing,
            Feature::AudioCalls => self.audio_calls,
            Feature::VideoCalls => self.video_calls,
            Feature::ScreenSharing => self.screen_sharing,
            Feature::ChannelCreation => self.channel_creation,
        }
    }

    pub fn set(&mut self, feature: Feature, active: bool) {
        let slot = match feature {
            Feature::Messaging => &mut self.messaging,
            Feature::FileSharing => &mut self.file_sharing,
            Feature::AudioCalls => &mut self.audio_calls,
            Feature::VideoCalls => &mut self.video_calls,
            Feature::ScreenSharing => &mut self.screen_sharing,
            Feature::ChannelCreation => &mut self.channel_creation,
        };
        *slot = active;
    }

    /// "Messaging, File sharing" — the active features, for the log ("none" when none).
    pub fn active_list(&self) -> String {
        let on: Vec<&str> = Feature::ALL.into_iter().filter(|f| self.allows(*f)).map(Feature::label).collect();
        if on.is_empty() {
            "none".into()
        } else {
            on.join(", ")
        }
    }
}

/// Whether a person can be reached at all, at the moment of the question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    Active,
    /// Disabled by an admin: still in the organization, reachable by nobody.
    Disabled,
    /// Deleted, swept or incorporated away: no longer in the organization as this person.
    Removed,
    /// A guest whose expiry has passed and whom the sweeper has not removed yet.
    Expired,
}

impl Standing {
    /// A person's standing at `now` (unix ms) from their stored state and expiry.
    pub fn of(state: PersonState, expires_at: Option<i64>, now: i64) -> Standing {
        match state {
            PersonState::Removed => Standing::Removed,
            PersonState::Disabled => Standing::Disabled,
            PersonState::Active if expires_at.is_some_and(|e| e <= now) => Standing::Expired,
            PersonState::Active => Standing::Active,
        }
    }
}

/// One side of a question to the policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Party<'a> {
    pub id: i64,
    pub name: &'a str,
    pub kind: PersonKind,
    pub standing: Standing,
}

/// Why a feature is not available between two people; the text is what a person reads
/// on a contact card, in a send box, or in the API's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    SamePerson,
    /// `who` is the name of the side that cannot be reached; `you` when it is the asker.
    Gone { who: Option<String>, standing: Standing },
    BetweenGuests,
    InactiveForGuests(Feature),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::SamePerson => write!(f, "This is you."),
            Refusal::Gone { who: None, standing } => match standing {
                Standing::Expired => write!(f, "Your guest access has expired."),
                Standing::Disabled => write!(f, "Your account is disabled."),
                _ => write!(f, "You are no longer in this organization."),
            },
            Refusal::Gone { who: Some(name), standing } => match standing {
                Standing::Expired => write!(f, "{name}'s guest access has expired."),
                Standing::Disabled => write!(f, "{name}'s account is disabled."),
                _ => write!(f, "{name} is no longer in this organization."),
            },
            Refusal::BetweenGuests => write!(f, "Guests cannot reach other guests."),
            Refusal::InactiveForGuests(feature) => {
                write!(f, "{} is not active for guests in this organization's Guest Profile.", feature.label())
            }
        }
    }
}

/// Why a feature is available, in the same voice as [`Refusal`].
pub fn allowed_reason(a: &Party, b: &Party, feature: Feature) -> String {
    if a.kind == PersonKind::Guest || b.kind == PersonKind::Guest {
        format!("{} is active for guests in this organization's Guest Profile.", feature.label())
    } else {
        format!("Members may use {} with each other.", feature.label())
    }
}

/// May `a` use `feature` with `b`? The one policy (F-PROFILE), checked in this order:
/// the same person; either side gone (removed, disabled, expired); two guests (never);
/// a guest on either side and the feature inactive for guests.
pub fn may_use(a: &Party, b: &Party, feature: Feature, profile: &GuestProfile) -> Result<(), Refusal> {
    if a.id == b.id {
        return Err(Refusal::SamePerson);
    }
    if a.standing != Standing::Active {
        return Err(Refusal::Gone { who: None, standing: a.standing });
    }
    if b.standing != Standing::Active {
        return Err(Refusal::Gone { who: Some(b.name.to_string()), standing: b.standing });
    }
    let guests = [a.kind, b.kind].into_iter().filter(|k| *k == PersonKind::Guest).count();
    if guests == 2 {
        return Err(Refusal::BetweenGuests);
    }
    if guests == 1 && !profile.allows(feature) {
        return Err(Refusal::InactiveForGuests(feature));
    }
    Ok(())
}

/// The answer as the console and the API show it: available or not, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    pub feature: Feature,
    pub available: bool,
    pub reason: String,
}

pub fn availability(a: &Party, b: &Party, feature: Feature, profile: &GuestProfile) -> Availability {
    match may_use(a, b, feature, profile) {
        Ok(()) => Availability { feature, available: true, reason: allowed_reason(a, b, feature) },
        Err(r) => Availability { feature, available: false, reason: r.to_string() },
    }
}

/// May `a` create a channel? Members always; guests only while Channel creation is active.
pub fn may_create_channel(kind: PersonKind, standing: Standing, profile: &GuestProfile) -> Result<(), Refusal> {
    if standing != Standing::Active {
        return Err(Refusal::Gone { who: None, standing });
    }
    if kind == PersonKind::Guest && !profile.allows(Feature::ChannelCreation) {
        return Err(Refusal::InactiveForGuests(Feature::ChannelCreation));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use PersonKind::{Guest, Member};

    fn party(id: i64, kind: PersonKind, standing: Standing) -> Party<'static> {
        Party { id, name: if id == 1 { "Ada" } else { "Bo" }, kind, standing }
    }

    fn profile_with(feature: Feature, active: bool) -> GuestProfile {
        let mut p = GuestProfile { messaging: !active, file_sharing: !active, audio_calls: !active, video_calls: !active, screen_sharing: !active, channel_creation: !active };
        p.set(feature, active);
        p
    }

    /// member/guest × member/guest × feature × setting, both sides active.
    #[test]
    fn kinds_features_and_settings() {
        for feature in Feature::ALL {
            for active in [true, false] {
                let profile = profile_with(feature, active);
                for (a, b, expected) in [
                    (Member, Member, Ok(())),
                    (Member, Guest, if active { Ok(()) } else { Err(Refusal::InactiveForGuests(feature)) }),
                    (Guest, Member, if active { Ok(()) } else { Err(Refusal::InactiveForGuests(feature)) }),
                    (Guest, Guest, Err(Refusal::BetweenGuests)),
                ] {
                    let got = may_use(&party(1, a, Standing::Active), &party(2, b, Standing::Active), feature, &profile);
                    assert_eq!(got, expected, "{a:?} with {b:?}, {feature:?} active={active}");
                }
            }
        }
    }

    /// Either side not active refuses whatever the kinds and the profile; the asker's own
    /// standing is named "you", the other's by name.
    #[test]
    fn standings() {
        let all_on = GuestProfile { messaging: true, file_sharing: true, audio_calls: true, video_calls: true, screen_sharing: true, channel_creation: true };
        for standing in [Standing::Disabled, Standing::Removed, Standing::Expired] {
            for (a, b) in [(Member, Member), (Member, Guest), (Guest, Member), (Guest, Guest)] {
                let them = may_use(&party(1, a, Standing::Active), &party(2, b, standing), Feature::Messaging, &all_on);
                assert_eq!(them, Err(Refusal::Gone { who: Some("Bo".into()), standing }));
                let me = may_use(&party(1, a, standing), &party(2, b, Standing::Active), Feature::Messaging, &all_on);
                assert_eq!(me, Err(Refusal::Gone { who: None, standing }));
            }
        }
        assert_eq!(may_use(&party(1, Member, Standing::Active), &party(1, Member, Standing::Active), Feature::Messaging, &all_on), Err(Refusal::SamePerson));
    }

    #[test]
    fn standing_of_state_and_expiry() {
        for (state, expires, expected) in [
            (PersonState::Active, None, Standing::Active),
            (PersonState::Active, Some(1_001), Standing::Active),
            (PersonState::Active, Some(1_000), Standing::Expired),
            (PersonState::Active, Some(999), Standing::Expired),
            (PersonState::Disabled, Some(2_000), Standing::Disabled),
            (PersonState::Removed, None, Standing::Removed),
        ] {
            assert_eq!(Standing::of(state, expires, 1_000), expected, "{state:?} {expires:?}");
        }
    }

    #[test]
    fn reasons_read_as_sentences() {
        let profile = GuestProfile::NEW_ORGANIZATION;
        let (m, g) = (party(1, Member, Standing::Active), party(2, Guest, Standing::Active));
        let files = availability(&m, &g, Feature::FileSharing, &profile);
        assert!(!files.available);
        assert_eq!(files.reason, "File sharing is not active for guests in this organization's Guest Profile.");
        let chat = availability(&m, &g, Feature::Messaging, &profile);
        assert!(chat.available);
        assert_eq!(chat.reason, "Messaging is active for guests in this organization's Guest Profile.");
        let colleagues = availability(&m, &party(2, Member, Standing::Active), Feature::VideoCalls, &profile);
        assert_eq!(colleagues.reason, "Members may use Video calls with each other.");
        let gone = availability(&m, &party(2, Guest, Standing::Expired), Feature::Messaging, &profile);
        assert_eq!(gone.reason, "Bo's guest access has expired.");
    }

    #[test]
    fn new_organizations_allow_messaging_only() {
        for f in Feature::ALL {
            assert_eq!(GuestProfile::NEW_ORGANIZATION.allows(f), f == Feature::Messaging, "{f:?}");
            assert_eq!(Feature::from_key(f.key()), Some(f));
        }
        assert_eq!(Feature::from_key("fax"), None);
        assert_eq!(GuestProfile::NEW_ORGANIZATION.active_list(), "Messaging");
    }

    #[test]
    fn channel_creation() {
        let mut p = GuestProfile::NEW_ORGANIZATION;
        assert_eq!(may_create_channel(Member, Standing::Active, &p), Ok(()));
        assert_eq!(may_create_channel(Guest, Standing::Active, &p), Err(Refusal::InactiveForGuests(Feature::ChannelCreation)));
        p.set(Feature::ChannelCreation, true);
        assert_eq!(may_create_channel(Guest, Standing::Active, &p), Ok(()));
        assert!(may_create_channel(Guest, Standing::Expired, &p).is_err());
    }
}
