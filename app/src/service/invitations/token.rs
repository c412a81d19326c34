//! Invitation tokens: 256 random bits in the link, only their SHA-256 stored, so a
//! leaked table gives no usable link.

/// A new invitation token (256 random bits, URL-safe hex) and the hash that is stored.
pub fn new_token() -> (String, String) {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = hash_token(&token);
    (token, hash)
}

/// The stored form of a token: its SHA-256, hex.
pub fn hash_token(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.trim().as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(ha, hash_token(&a));
        assert_ne!(ha, a);
        assert_eq!(hash_token(&format!(" {a} ")), ha, "copied with spaces");
    }
}
