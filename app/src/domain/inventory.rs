//! Rules of the guest inventory (F-INVENTORY): one row per guest and per pending guest
//! invitation, with its state, its filters (as the address carries them and checked),
//! its sort orders, and the row ids that keep guests and invitations apart in one
//! keyset-paged list.

use super::InvalidInput;
use serde::{Deserialize, Serialize};

/// Rows per page.
pub const INVENTORY_PAGE: i64 = 50;
/// Rows read per batch while its CSV is written.
pub const CSV_BATCH: i64 = 1000;
/// A guest whose expiry is at most this many days away is "expiring".
pub const EXPIRING_SOON_DAYS: i64 = 7;
/// Removed guests stay in the inventory this many days.
pub const REMOVED_SHOWN_DAYS: i64 = 30;
/// The largest number of days a filter takes (ten years).
pub const MAX_FILTER_DAYS: i64 = 3650;

pub const DAY_MS: i64 = 86_400_000;
/// A pending invitation that lapses within this many hours is "lapsing".
pub const LAPSING_SOON_HOURS: i64 = 48;

/// What a row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryState {
    /// An invitation sent and not yet accepted.
    Pending,
    /// A guest with more than [`EXPIRING_SOON_DAYS`] left, or without expiration.
    Active,
    /// A guest leaving within [`EXPIRING_SOON_DAYS`].
    Expiring,
    /// A guest removed within the last [`REMOVED_SHOWN_DAYS`].
    Removed,
}

impl EntryState {
    pub const ALL: [EntryState; 4] = [EntryState::Pending, EntryState::Active, EntryState::Expiring, EntryState::Removed];

    /// A guest's state at `now`.
    pub fn of_guest(removed: bool, expires_at: Option<i64>, now: i64) -> EntryState {
        match (removed, expires_at) {
            (true, _) => EntryState::Removed,
            (false, Some(e)) if e <= now + EXPIRING_SOON_DAYS * DAY_MS => EntryState::Expiring,
            _ => EntryState::Active,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            EntryState::Pending => "pending",
            EntryState::Active => "active",
            EntryState::Expiring => "expiring",
            EntryState::Removed => "removed",
        }
    }

    pub fn from_key(key: &str) -> Option<EntryState> {
        EntryState::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            EntryState::Pending => "Pending invitation",
            EntryState::Active => "Active",
            EntryState::Expiring => "Expiring within 7 days",
            EntryState::Removed => "Removed",
        }
    }

    /// The word the State filter offers.
    pub fn filter_label(self) -> &'static str {
        match self {
            EntryState::Removed => "Removed in the last 30 days",
            s => s.label(),
        }
    }
}

/// The inventory's sort orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InventorySort {
    /// By last name (an invitation by its email).
    Name,
    /// Pending invitations (oldest first), then guests by expiry (soonest first, so the
    /// expiring come before the active), then the removed (latest first).
    State,
    /// Never signed in first.
    LastSignIn,
    /// Soonest first; without expiration (and invitations) last.
    Expiry,
    Invited,
}

impl InventorySort {
    pub const ALL: [InventorySort; 5] = [InventorySort::Name, InventorySort::State, InventorySort::LastSignIn, InventorySort::Expiry, InventorySort::Invited];

    pub fn key(self) -> &'static str {
        match self {
            InventorySort::Name => "name",
            InventorySort::State => "state",
            InventorySort::LastSignIn => "last_sign_in",
            InventorySort::Expiry => "expiry",
            InventorySort::Invited => "invited",
        }
    }

    pub fn from_key(key: &str) -> Option<InventorySort> {
        InventorySort::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The column header.
    pub fn label(self) -> &'static str {
        match self {
            InventorySort::Name => "Name",
            InventorySort::State => "State",
            InventorySort::LastSignIn => "Last sign-in",
            InventorySort::Expiry => "Expiry",
            InventorySort::Invited => "Invited",
        }
    }

    /// Whether the order is by text (names) rather than by a number (dates).
    pub fn text_key(self) -> bool {
        self == InventorySort::Name
    }

    /// The direction a click on the header starts with: dates newest first, names A–Z.
    pub fn first_dir(self) -> super::guests::SortDir {
        match self {
            InventorySort::Invited | InventorySort::LastSignIn => super::guests::SortDir::Desc,
            _ => super::guests::SortDir::Asc,
        }
    }

    /// A page cursor sent back for this order, or why it is not one.
    pub fn position(self, cursor: Option<&str>) -> Result<super::paging::Position, InvalidInput> {
        if self.text_key() {
            super::paging::Position::parse_text(cursor)
        } else {
            super::paging::Position::parse_numeric(cursor)
        }
    }
}

/// The two kinds of row, each with its own table and ids: a row id is `2 × id` for a
/// guest and `2 × id + 1` for an invitation, so the ids never clash and order the rows
/// of one kind as their own ids do (the keyset tie-breaker of the merged list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowSource {
    Guest,
    Invitation,
}

impl RowSource {
    fn offset(self) -> i64 {
        match self {
            RowSource::Guest => 0,
            RowSource::Invitation => 1,
        }
    }

    pub fn row_id(self, id: i64) -> i64 {
        2 * id + self.offset()
    }

    /// For a keyset bound at row id `rid`: the id of this source's table the bound
    /// falls on, such that `row_id(x) > rid ⇔ x > bound` (`after`) or
    /// `row_id(x) < rid ⇔ x < bound` (before).
    ///
    /// Worked in `i128`, so a crafted cursor at the ends of `i64` cannot overflow: the
    /// halved result always fits back.
    pub fn id_bound(self, rid: i64, after: bool) -> i64 {
        let r = i128::from(rid) - i128::from(self.offset());
        let bound = if after { r.div_euclid(2) } else { (r + 1).div_euclid(2) };
        bound as i64
    }
}

/// The filters as the address and the CSV link carry them: all text, empty meaning
/// "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryFilters {
    /// An [`EntryState`] key.
    #[serde(default)]
    pub state: String,
    /// "1": never signed in (accepted with no sign-in since recording began, or pending).
    #[serde(default)]
    pub never: String,
    /// Days: not signed in for at least this long.
    #[serde(default)]
    pub idle: String,
    /// Days: expiring within.
    #[serde(default)]
    pub expiring: String,
    /// Days: pending invitations older than.
    #[serde(default)]
    pub pending_older: String,
    /// "1": pending invitations that lapse within [`LAPSING_SOON_HOURS`].
    #[serde(default)]
    pub lapsing: String,
    /// A sponsor department's id.
    #[serde(default)]
    pub department: String,
    /// An inviter's person id.
    #[serde(default)]
    pub inviter: String,
}

/// [`InventoryFilters`] checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub state: Option<EntryState>,
    pub never_signed_in: bool,
    pub idle_days: Option<i64>,
    pub expiring_days: Option<i64>,
    pub pending_older_days: Option<i64>,
    pub lapsing_soon: bool,
    pub department: Option<i64>,
    pub inviter: Option<i64>,
}

impl Filters {
    pub fn parse(f: &InventoryFilters) -> Result<Filters, InvalidInput> {
        let days = |s: &str, what: &str| -> Result<Option<i64>, InvalidInput> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            match s.parse::<i64>() {
                Ok(n) if (0..=MAX_FILTER_DAYS).contains(&n) => Ok(Some(n)),
                _ => Err(InvalidInput(format!("“{what}” takes a number of days from 0 to {MAX_FILTER_DAYS}."))),
            }
        };
        let id = |s: &str, what: &str| -> Result<Option<i64>, InvalidInput> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            match s.parse::<i64>() {
                Ok(n) if n > 0 => Ok(Some(n)),
                _ => Err(InvalidInput(format!("Choose a {what} from the list."))),
            }
        };
        let state = match f.state.trim() {
            "" => None,
            k => Some(EntryState::from_key(k).ok_or_else(|| InvalidInput("Choose a state from the list.".into()))?),
        };
        let flag = |s: &str, what: &str| match s.trim() {
            "" | "0" | "false" => Ok(false),
            "1" | "true" | "on" => Ok(true),
            _ => Err(InvalidInput(format!("“{what}” is either on or off."))),
        };
        let never_signed_in = flag(&f.never, "Never signed in")?;
        let lapsing_soon = flag(&f.lapsing, "Lapsing within 48 hours")?;
        Ok(Filters {
            state,
            never_signed_in,
            idle_days: days(&f.idle, "Not signed in for")?,
            expiring_days: days(&f.expiring, "Expiring within")?,
            pending_older_days: days(&f.pending_older, "Pending invitations older than")?,
            lapsing_soon,
            department: id(&f.department, "sponsor department")?,
            inviter: id(&f.inviter, "inviter")?,
        })
    }

    /// Whether guests can match: not when only pending invitations are asked for.
    pub fn wants_guests(&self) -> bool {
        self.pending_older_days.is_none() && !self.lapsing_soon && self.state != Some(EntryState::Pending)
    }

    /// Whether pending invitations can match: not when a guest's state, sign-ins or
    /// expiry are asked for. ("Never signed in" includes them: they have not.)
    pub fn wants_invitations(&self) -> bool {
        self.idle_days.is_none() && self.expiring_days.is_none() && matches!(self.state, None | Some(EntryState::Pending))
    }

    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guest_is_expiring_within_seven_days_and_removed_wins() {
        let now = 1_000 * DAY_MS;
        let cases = [
            (false, None, EntryState::Active),
            (false, Some(now + 8 * DAY_MS), EntryState::Active),
            (false, Some(now + 7 * DAY_MS + 1), EntryState::Active),
            (false, Some(now + 7 * DAY_MS), EntryState::Expiring),
            (false, Some(now + 1), EntryState::Expiring),
            (true, Some(now + 30 * DAY_MS), EntryState::Removed),
            (true, None, EntryState::Removed),
        ];
        for (removed, exp, want) in cases {
            assert_eq!(EntryState::of_guest(removed, exp, now), want, "{removed} {exp:?}");
        }
    }

    #[test]
    fn row_ids_keep_guests_and_invitations_apart_and_bounds_are_exact() {
        assert_eq!(RowSource::Guest.row_id(5), 10);
        assert_eq!(RowSource::Invitation.row_id(5), 11);
        for rid in 0..40 {
            for x in 0..25 {
                for src in [RowSource::Guest, RowSource::Invitation] {
                    assert_eq!(src.row_id(x) > rid, x > src.id_bound(rid, true), "after {src:?} {rid} {x}");
                    assert_eq!(src.row_id(x) < rid, x < src.id_bound(rid, false), "before {src:?} {rid} {x}");
                }
            }
        }
        // A crafted cursor at the ends of i64 neither overflows nor lets any real id by.
        for src in [RowSource::Guest, RowSource::Invitation] {
            assert_eq!(src.id_bound(i64::MAX, true), i64::MAX / 2);
            assert!(src.id_bound(i64::MAX, false) >= i64::MAX / 2);
            assert!(src.id_bound(i64::MIN, true) <= i64::MIN / 2);
            assert!(src.id_bound(i64::MIN, false) <= i64::MIN / 2 + 1);
        }
    }

    #[test]
    fn filters_parse_or_say_why_not() {
        let ok = |f: InventoryFilters| Filters::parse(&f).unwrap();
        assert!(ok(InventoryFilters::default()).is_empty());
        let f = ok(InventoryFilters { state: "expiring".into(), never: "1".into(), idle: " 30 ".into(), department: "4".into(), ..Default::default() });
        assert_eq!(f.state, Some(EntryState::Expiring));
        assert!(f.never_signed_in);
        assert_eq!(f.idle_days, Some(30));
        assert_eq!(f.department, Some(4));
        let bad = [
            InventoryFilters { state: "gone".into(), ..Default::default() },
            InventoryFilters { never: "maybe".into(), ..Default::default() },
            InventoryFilters { lapsing: "2".into(), ..Default::default() },
            InventoryFilters { idle: "-1".into(), ..Default::default() },
            InventoryFilters { expiring: "3651".into(), ..Default::default() },
            InventoryFilters { pending_older: "ten".into(), ..Default::default() },
            InventoryFilters { department: "0".into(), ..Default::default() },
            InventoryFilters { inviter: "x".into(), ..Default::default() },
        ];
        for f in bad {
            assert!(Filters::parse(&f).is_err(), "{f:?}");
        }
    }

    #[test]
    fn which_kinds_of_row_a_filter_leaves() {
        let cases: [(Filters, bool, bool); 8] = [
            (Filters::default(), true, true),
            (Filters { never_signed_in: true, ..Default::default() }, true, true),
            (Filters { idle_days: Some(3), ..Default::default() }, true, false),
            (Filters { expiring_days: Some(3), ..Default::default() }, true, false),
            (Filters { pending_older_days: Some(3), ..Default::default() }, false, true),
            (Filters { lapsing_soon: true, ..Default::default() }, false, true),
            (Filters { state: Some(EntryState::Pending), ..Default::default() }, false, true),
            (Filters { state: Some(EntryState::Removed), ..Default::default() }, true, false),
        ];
        for (f, guests, invitations) in cases {
            assert_eq!((f.wants_guests(), f.wants_invitations()), (guests, invitations), "{f:?}");
        }
    }

    #[test]
    fn sorts_round_trip_by_key() {
        for s in InventorySort::ALL {
            assert_eq!(InventorySort::from_key(s.key()), Some(s));
        }
        for s in EntryState::ALL {
            assert_eq!(EntryState::from_key(s.key()), Some(s));
        }
        assert_eq!(InventorySort::from_key("salary"), None);
    }
}
