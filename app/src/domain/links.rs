//! Where to go after signing in: a page of the console that sent the person to the
//! sign-in page (e.g. a reminder mail's link), carried as `?next=`. Only a local path is
//! followed, so a crafted link cannot send someone to another site after sign-in.

/// `next` if it is a path of this site ("/guests/4/reminder/extend"), else `None`.
pub fn return_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 512
        // Printable ASCII only: a control character would not make a valid Location
        // header; the browser sends anything else percent-encoded.
        && next.bytes().all(|b| b.is_ascii_graphic())
        && !next.contains('\\')
        && !next.starts_with("/login");
    ok.then_some(next)
}

/// Percent-encodes a path and query for use as one query parameter's value.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(return_path("/guests/4/reminder/extend"), Some("/guests/4/reminder/extend"));
        assert_eq!(return_path("/guests?done=1"), Some("/guests?done=1"));
        for bad in ["", "guests", "//evil.test/x", "https://evil.test", "/\\evil.test", "/login?next=/x", "/a\r\nSet-Cookie: x", "/\u{1}", "/a b", "/é"] {
            assert_eq!(return_path(bad), None, "{bad:?}");
        }
        assert_eq!(return_path(&format!("/{}", "a".repeat(600))), None);
    }

    #[test]
    fn encoding_keeps_slashes_and_escapes_the_rest() {
        assert_eq!(encode_component("/guests/4/reminder/let-expire"), "/guests/4/reminder/let-expire");
        assert_eq!(encode_component("/guests?a=1&b=é"), "/guests%3Fa%3D1%26b%3D%C3%A9");
    }
}
