//! The page contract of every list: [`Page<T>`] with opaque keyset cursors (the place of
//! the last or first row in the list's order, never an OFFSET), and the page sizes. The
//! data layer reads one row more than a page; that extra row, if it comes, says that
//! more follow and is dropped.

use super::InvalidInput;
use serde::{Deserialize, Serialize};

/// Guests per page of the Guests list.
pub const GUESTS_PAGE: i64 = 50;
/// People per page of the Users list.
pub const USERS_PAGE: i64 = 50;
/// Invitations per page.
pub const INVITATIONS_PAGE: i64 = 100;
/// Mails per page of the outbox.
pub const OUTBOX_PAGE: i64 = 100;

/// One page of a list read by keyset. The cursors are opaque strings the client sends
/// back to read the next page (further in the list's order) or the previous one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
    pub prev: Option<String>,
}

impl<T> Page<T> {
    /// The same page with each item converted (a row into what the console shows).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next: self.next, prev: self.prev }
    }
}

/// A row's place in a list's order: its sort key and its id (the tie-breaker).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub value: KeyValue,
    pub id: i64,
}

impl Key {
    /// The cursor of the rows after this one (a "next page" link starting here).
    pub fn after(&self) -> String {
        cursor('a', self)
    }

    /// The cursor of the rows before this one (a "previous page" link starting here).
    pub fn before(&self) -> String {
        cursor('b', self)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyValue {
    Int(i64),
    Text(String),
}

/// Where a page starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Position {
    First,
    /// The rows after this one in the list's order (the next page).
    After(Key),
    /// The rows before this one (the previous page).
    Before(Key),
}

/// The longest cursor accepted.
pub const MAX_CURSOR_LEN: usize = 1024;

impl Position {
    /// Reads a cursor the client sent back; none (or an empty one) is the first page.
    pub fn parse(cursor: Option<&str>) -> Result<Position, InvalidInput> {
        let bad = || InvalidInput("This page link is not valid any more. Go back to the first page.".into());
        let Some(c) = cursor.filter(|c| !c.is_empty()) else { return Ok(Position::First) };
        if c.len() > MAX_CURSOR_LEN {
            return Err(bad());
        }
        let mut parts = c.splitn(3, '.');
        let (Some(dir), Some(value), Some(id)) = (parts.next(), parts.next(), parts.next()) else { return Err(bad()) };
        let id: i64 = id.parse().map_err(|_| bad())?;
        let value = match value.split_at_checked(1) {
            Some(("i", n)) => KeyValue::Int(n.parse().map_err(|_| bad())?),
            Some(("t", hex)) => KeyValue::Text(from_hex(hex).ok_or_else(bad)?),
            _ => return Err(bad()),
        };
        let key = Key { value, id };
        match dir {
            "a" => Ok(Position::After(key)),
            "b" => Ok(Position::Before(key)),
            _ => Err(bad()),
        }
    }

    /// [`Position::parse`] for a list ordered by a number (a date): a cursor with a text
    /// key is not one of its links.
    pub fn parse_numeric(cursor: Option<&str>) -> Result<Position, InvalidInput> {
        let pos = Position::parse(cursor)?;
        match pos.key().map(|k| &k.value) {
            Some(KeyValue::Text(_)) => Err(InvalidInput("This page link is not valid any more. Go back to the first page.".into())),
            _ => Ok(pos),
        }
    }

    /// [`Position::parse`] for a list ordered by text (a name): a cursor with a number
    /// key is not one of its links.
    pub fn parse_text(cursor: Option<&str>) -> Result<Position, InvalidInput> {
        let pos = Position::parse(cursor)?;
        match pos.key().map(|k| &k.value) {
            Some(KeyValue::Int(_)) => Err(InvalidInput("This page link is not valid any more. Go back to the first page.".into())),
            _ => Ok(pos),
        }
    }

    /// Whether the rows are read against the list's order (then reversed).
    pub fn backwards(&self) -> bool {
        matches!(self, Position::Before(_))
    }

    pub fn key(&self) -> Option<&Key> {
        match self {
            Position::First => None,
            Position::After(k) | Position::Before(k) => Some(k),
        }
    }
}

fn cursor(dir: char, k: &Key) -> String {
    let value = match &k.value {
        KeyValue::Int(n) => format!("i{n}"),
        KeyValue::Text(t) => format!("t{}", t.bytes().map(|b| format!("{b:02x}")).collect::<String>()),
    };
    format!("{dir}.{value}.{}", k.id)
}

fn from_hex(hex: &str) -> Option<String> {
    if hex.len() % 2 != 0 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len()).step_by(2).map(|i| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect();
    // A NUL is in no stored name (and PostgreSQL refuses it in a parameter).
    String::from_utf8(bytes?).ok().filter(|t| !t.contains('\0'))
}

/// The page from the rows read at `pos` (at most `size + 1`, in the list's order, or
/// against it when reading backwards), with the cursors around it.
pub fn page_of<T>(mut rows: Vec<T>, pos: &Position, size: i64, key: impl Fn(&T) -> Key) -> Page<T> {
    let more = rows.len() as i64 > size;
    rows.truncate(size.max(0) as usize);
    if pos.backwards() {
        rows.reverse();
    }
    let first = rows.first().map(|r| cursor('b', &key(r)));
    let last = rows.last().map(|r| cursor('a', &key(r)));
    let (has_prev, has_next) = match pos {
        Position::First => (false, more),
        Position::After(_) => (true, more),
        Position::Before(_) => (more, true),
    };
    if rows.is_empty() {
        return Page { items: rows, next: None, prev: None };
    }
    Page { next: if has_next { last } else { None }, prev: if has_prev { first } else { None }, items: rows }
}

#[cfg(test)]
mod tests {
    use super::*;


    fn k(n: i64) -> Key {
        Key { value: KeyValue::Int(n * 10), id: n }
    }

    #[test]
    fn cursors_round_trip_and_bad_ones_are_refused() {
        assert_eq!(Position::parse(None), Ok(Position::First));
        assert_eq!(Position::parse(Some("")), Ok(Position::First));
        let text = Key { value: KeyValue::Text("Zoë.O'Brien".into()), id: 7 };
        assert_eq!(Position::parse(Some(&cursor('a', &text))), Ok(Position::After(text.clone())));
        assert_eq!(Position::parse(Some(&cursor('b', &k(3)))), Ok(Position::Before(k(3))));
        for bad in ["x", "a.i1", "c.i1.1", "a.x1.1", "a.iabc.1", "a.i1.x", "a.t6.1", "a.tzz.1", "a.tff.1", "a.t00.1", "a.t6100.1"] {
            assert!(Position::parse(Some(bad)).is_err(), "{bad}");
        }
        assert!(Position::parse(Some(&"a".repeat(MAX_CURSOR_LEN + 1))).is_err());
        // A date-ordered list refuses a text key (it would compare a date with text).
        assert!(Position::parse_numeric(Some(&cursor('a', &text))).is_err());
        assert_eq!(Position::parse_numeric(Some(&cursor('a', &k(2)))), Ok(Position::After(k(2))));
        // A name-ordered list refuses a number key, and takes a text one.
        assert!(Position::parse_text(Some(&cursor('a', &k(2)))).is_err());
        assert_eq!(Position::parse_text(Some(&cursor('b', &text))), Ok(Position::Before(text.clone())));
        assert_eq!(Position::parse_text(None), Ok(Position::First));
    }

    #[test]
    fn keyset_pages_link_forwards_and_backwards() {
        // First page of a longer list: a next cursor only.
        let p = page_of((1..=4).collect::<Vec<i64>>(), &Position::First, 3, |n| k(*n));
        assert_eq!(p.items, vec![1, 2, 3]);
        assert_eq!(p.prev, None);
        assert_eq!(Position::parse(p.next.as_deref()), Ok(Position::After(k(3))));
        // After it: the rest, a way back, no further page.
        let p = page_of(vec![4], &Position::After(k(3)), 3, |n| k(*n));
        assert_eq!((p.items.clone(), p.next.clone()), (vec![4], None));
        assert_eq!(Position::parse(p.prev.as_deref()), Ok(Position::Before(k(4))));
        // Back: rows come against the order and are put right; more before means a prev.
        let p = page_of(vec![3, 2, 1, 0], &Position::Before(k(4)), 3, |n| k(*n));
        assert_eq!(p.items, vec![1, 2, 3]);
        assert_eq!(Position::parse(p.prev.as_deref()), Ok(Position::Before(k(1))));
        assert_eq!(Position::parse(p.next.as_deref()), Ok(Position::After(k(3))));
        // Nothing there: no cursors.
        let p = page_of(Vec::<i64>::new(), &Position::After(k(9)), 3, |n| k(*n));
        assert_eq!((p.next, p.prev), (None, None));
    }

}
