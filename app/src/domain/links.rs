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

/// What replaces an invitation token in the outbox copy of a mail that SMTP delivered.
pub const SENT_BY_EMAIL: &str = "sent-by-email";

/// `text` with every invitation link's token (`/invite/` and 64 hex digits) replaced by
/// [`SENT_BY_EMAIL`]: the outbox keeps a readable copy, but no usable link, of mail that
/// was delivered to its recipient.
pub fn redact_invitation_links(text: &str) -> String {
    const MARK: &str = "/invite/";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        let (before, after) = rest.split_at(at + MARK.len());
        out.push_str(before);
        let token_len = after.bytes().take_while(|b| b.is_ascii_hexdigit()).count();
        if token_len == 64 {
            out.push_str(SENT_BY_EMAIL);
            rest = &after[64..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivered_invitation_links_are_redacted() {
        let token = "ab".repeat(32);
        let text = format!("Open http://x.test/invite/{token} within 7 days. <a href=\"http://x.test/invite/{token}\">Accept</a>");
        let out = redact_invitation_links(&text);
        assert!(!out.contains(&token), "{out}");
        assert_eq!(out.matches("/invite/sent-by-email").count(), 2);
        assert!(out.starts_with("Open http://x.test/invite/sent-by-email within 7 days."));
        // Other links and short hex runs stay as they were.
        for same in ["/guests/4/reminder/extend", "/invite/abc", "no links at all", "/invite/"] {
            assert_eq!(redact_invitation_links(same), same);
        }
    }

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
