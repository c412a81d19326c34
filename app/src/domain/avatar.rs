//! Avatars: which uploads are accepted. The type is read from the file's first bytes,
//! never from its name or the browser's claim, and only images browsers show safely
//! are kept.

use super::InvalidInput;

pub const MAX_BYTES: usize = 512 * 1024;

/// The content type to store and serve an uploaded avatar with, or why it is refused.
pub fn content_type(bytes: &[u8]) -> Result<&'static str, InvalidInput> {
    if bytes.is_empty() {
        return Err(InvalidInput("Choose an image file for the avatar.".into()));
    }
    if bytes.len() > MAX_BYTES {
        return Err(InvalidInput(format!("An avatar is at most {} KB.", MAX_BYTES / 1024)));
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Ok("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok("image/jpeg")
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Ok("image/webp")
    } else {
        Err(InvalidInput("An avatar must be a PNG, JPEG or WebP image.".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognized_by_their_bytes() {
        assert_eq!(content_type(b"\x89PNG\r\n\x1a\n....").unwrap(), "image/png");
        assert_eq!(content_type(b"\xFF\xD8\xFF\xE0rest").unwrap(), "image/jpeg");
        assert_eq!(content_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ").unwrap(), "image/webp");
    }

    #[test]
    fn other_files_and_sizes_are_refused() {
        assert!(content_type(b"").is_err());
        assert!(content_type(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>").is_err());
        assert!(content_type(b"<html>").is_err());
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_BYTES + 1, 0);
        assert!(content_type(&big).unwrap_err().0.contains("512 KB"));
    }
}
