//! Guest search: how text is normalized (lower case, accents folded) and cut into words,
//! and how a typed query becomes word prefixes. The data layer stores the words of each
//! person and looks prefixes up with a plain range (`word >= lo AND word < hi`), which a
//! B-tree index answers on both backends.

#[cfg(feature = "ssr")]
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Nothing is searched for fewer characters than this.
pub const MIN_QUERY_CHARS: usize = 2;
/// Results shown below the search box.
pub const MAX_RESULTS: usize = 10;
/// Words of a query beyond this many are ignored.
pub const MAX_QUERY_WORDS: usize = 4;
/// A query longer than this is refused rather than searched.
pub const MAX_QUERY_CHARS: usize = 100;

#[cfg(feature = "ssr")]
/// Lower case with accents removed: "Zoë Müller" → "zoe muller".
pub fn fold(s: &str) -> String {
    s.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect::<String>().replace('ß', "ss")
}

#[cfg(feature = "ssr")]
/// The searchable words of a text: folded, split at anything not a letter or digit.
pub fn words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(feature = "ssr")]
/// The words of a person that search looks at.
pub fn person_words(first: &str, last: &str, email: &str, user_id: &str) -> Vec<String> {
    let mut all = words(&format!("{first} {last} {email} {user_id}"));
    all.sort();
    all.dedup();
    all
}

#[cfg(feature = "ssr")]
/// A typed query as prefixes to look up, or `None` when it is too short to search.
/// Each prefix must start a word of the same person.
pub fn query_prefixes(query: &str) -> Option<Vec<String>> {
    let q = query.trim();
    if q.chars().count() < MIN_QUERY_CHARS || q.chars().count() > MAX_QUERY_CHARS {
        return None;
    }
    let mut ws: Vec<String> = fold(q)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if ws.is_empty() {
        return None;
    }
    // The longest words narrow the most; keep a few.
    ws.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    ws.dedup();
    ws.truncate(MAX_QUERY_WORDS);
    Some(ws)
}

/// The smallest string greater than every string that starts with `prefix`, for the
/// range `word >= prefix AND word < upper_bound(prefix)`.
pub fn upper_bound(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut next = last as u32 + 1;
        while next <= 0x10FFFF {
            if let Some(c) = char::from_u32(next) {
                chars.push(c);
                return chars.into_iter().collect();
            }
            next += 1;
        }
    }
    // Only reachable for a prefix of U+10FFFF characters.
    format!("{prefix}\u{10FFFF}")
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn folding_lowercases_and_strips_accents() {
        assert_eq!(fold("Zoë MÜLLER"), "zoe muller");
        assert_eq!(fold("Inès Çelik"), "ines celik");
        assert_eq!(fold("Straße"), "strasse");
    }

    #[test]
    fn words_split_names_emails_and_numbers() {
        assert_eq!(
            person_words("Anne-Marie", "O'Brien", "Anne.OBrien@Partner.test", "+33612345678"),
            vec!["33612345678", "anne", "brien", "marie", "o", "obrien", "partner", "test"]
        );
    }

    #[test]
    fn one_character_is_not_searched() {
        assert_eq!(query_prefixes(""), None);
        assert_eq!(query_prefixes("g"), None);
        assert_eq!(query_prefixes("  g  "), None);
        assert_eq!(query_prefixes("--"), None);
        assert_eq!(query_prefixes("gu"), Some(vec!["gu".to_string()]));
    }

    #[test]
    fn queries_are_folded_and_split_like_the_words() {
        assert_eq!(query_prefixes("Zoë"), Some(vec!["zoe".to_string()]));
        assert_eq!(query_prefixes("Guest 16"), Some(vec!["guest".to_string(), "16".to_string()]));
        assert_eq!(query_prefixes("ada.lo"), Some(vec!["ada".to_string(), "lo".to_string()]));
        assert_eq!(query_prefixes(&"x".repeat(101)), None);
        assert_eq!(query_prefixes("a b c d e f").unwrap().len(), MAX_QUERY_WORDS);
    }

    #[test]
    fn upper_bound_covers_exactly_the_prefix() {
        let hi = upper_bound("gu");
        assert_eq!(hi, "gv");
        for w in ["gu", "guest", "guzzle"] {
            assert!(w >= "gu" && w < hi.as_str(), "{w}");
        }
        for w in ["gt", "gv", "h", "g"] {
            assert!(!(w >= "gu" && w < hi.as_str()), "{w}");
        }
        assert_eq!(upper_bound("a\u{D7FF}"), "a\u{E000}");
    }
}
