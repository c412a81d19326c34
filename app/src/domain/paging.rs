//! Pages of a newest-first list (the outbox, the invitations): which page was asked for,
//! and whether older items follow. The data layer is asked for one item more than a
//! page; that extra item, if it comes, says "more" and is dropped.

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

/// The highest page number accepted.
pub const MAX_PAGE: i64 = 1_000_000;

/// One page of items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// From 1.
    pub page: i64,
    /// Whether older items follow on the next page.
    pub more: bool,
}

/// A page number from 1 to [`MAX_PAGE`], or why not.
pub fn check_page(page: i64) -> Result<i64, InvalidInput> {
    if (1..=MAX_PAGE).contains(&page) {
        Ok(page)
    } else {
        Err(InvalidInput("The page number is out of range.".into()))
    }
}

/// The (limit, offset) to read page `page` of `size` items: one item more than a page.
pub fn window(page: i64, size: i64) -> (i64, i64) {
    (size + 1, (page - 1) * size)
}

/// Page `page` from the rows [`window`] read.
pub fn paged<T>(mut rows: Vec<T>, page: i64, size: i64) -> Paged<T> {
    let more = rows.len() as i64 > size;
    rows.truncate(size as usize);
    Paged { items: rows, page, more }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_start_at_one_and_have_a_ceiling() {
        assert_eq!(check_page(1), Ok(1));
        assert_eq!(check_page(MAX_PAGE), Ok(MAX_PAGE));
        for bad in [0, -1, MAX_PAGE + 1] {
            assert!(check_page(bad).is_err());
        }
    }

    #[test]
    fn one_extra_row_means_more() {
        assert_eq!(window(1, 100), (101, 0));
        assert_eq!(window(3, 100), (101, 200));
        let full = paged((0..101).collect::<Vec<_>>(), 1, 100);
        assert_eq!((full.items.len(), full.more), (100, true));
        let last = paged((0..100).collect::<Vec<_>>(), 2, 100);
        assert_eq!((last.items.len(), last.more, last.page), (100, false, 2));
        assert!(!paged(Vec::<i32>::new(), 1, 100).more);
    }
}
