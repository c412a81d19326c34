//! Validated values ("parse, don't validate"): built once at the edge from user input,
//! trusted everywhere inside.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a value given by a person was refused; the text is shown to them as is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(pub String);

fn invalid(msg: impl Into<String>) -> InvalidInput {
    InvalidInput(msg.into())
}

/// An email address, trimmed and lower-cased, so that one address is one person.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Email, InvalidInput> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(invalid("Enter an email address."));
        }
        // The limit is on what was sent, as the API document states it, spaces included.
        if input.chars().count() > Self::MAX_LEN {
            return Err(invalid(format!(
                "An email address has at most {} characters.",
                Self::MAX_LEN
            )));
        }
        let bad = || invalid(format!("“{}” is not a valid email address.", input.trim()));
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        let forbidden = |c: char| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"@".contains(c);
        if local.is_empty()
            || local.len() > 64
            || local.contains(forbidden)
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
        {
            return Err(bad());
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2
            || labels.iter().any(|l| {
                l.is_empty()
                    || l.len() > 63
                    || l.starts_with('-')
                    || l.ends_with('-')
                    || !l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
        {
            return Err(bad());
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A first or last name: trimmed, 1 to 100 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_LEN: usize = 100;

    pub fn parse(input: &str, field: &str) -> Result<PersonName, InvalidInput> {
        let s = input.trim();
        if s.is_empty() {
            return Err(invalid(format!("{field} cannot be empty.")));
        }
        // The limit is on what was sent, as the API document states it, spaces included.
        if input.chars().count() > Self::MAX_LEN {
            return Err(invalid(format!(
                "{field} has at most {} characters.",
                Self::MAX_LEN
            )));
        }
        if s.chars().any(char::is_control) {
            return Err(invalid(format!("{field} contains characters that are not allowed.")));
        }
        Ok(PersonName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A name for an organization, department, group or project: 1 to 120 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Title(String);

impl Title {
    pub const MAX_LEN: usize = 120;

    pub fn parse(input: &str, field: &str) -> Result<Title, InvalidInput> {
        let s = input.trim();
        if s.is_empty() {
            return Err(invalid(format!("{field} cannot be empty.")));
        }
        // The limit is on what was sent, as the API document states it, spaces included.
        if input.chars().count() > Self::MAX_LEN {
            return Err(invalid(format!("{field} has at most {} characters.", Self::MAX_LEN)));
        }
        if s.chars().any(char::is_control) {
            return Err(invalid(format!("{field} contains characters that are not allowed.")));
        }
        Ok(Title(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password as typed: 10 to 128 characters. Only its hash is ever stored.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

impl NewPassword {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 128;

    pub fn parse(input: &str) -> Result<NewPassword, InvalidInput> {
        let n = input.chars().count();
        if n < Self::MIN_LEN {
            return Err(invalid(format!(
                "A password has at least {} characters.",
                Self::MIN_LEN
            )));
        }
        if n > Self::MAX_LEN {
            return Err(invalid(format!(
                "A password has at most {} characters.",
                Self::MAX_LEN
            )));
        }
        Ok(NewPassword(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// An optional mobile number: digits with an optional leading +, spaces and dashes
/// allowed while typing, 6 to 20 digits once cleaned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mobile(String);

impl Mobile {
    pub fn parse(input: &str) -> Result<Option<Mobile>, InvalidInput> {
        let s = input.trim();
        if s.is_empty() {
            return Ok(None);
        }
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            match c {
                '+' if i == 0 => out.push(c),
                '0'..='9' => out.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(invalid(format!("“{s}” is not a valid mobile number."))),
            }
        }
        let digits = out.chars().filter(char::is_ascii_digit).count();
        if !(6..=20).contains(&digits) {
            return Err(invalid(format!("“{s}” is not a valid mobile number.")));
        }
        Ok(Some(Mobile(out)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lowercased() {
        assert_eq!(Email::parse("  Ada@Example.COM ").unwrap().as_str(), "ada@example.com");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "", "   ", "ada", "ada@", "@example.com", "ada@example", "ada@@example.com",
            "a b@example.com", "ada@exa mple.com", ".ada@example.com", "ada..b@example.com",
            "ada@-example.com", "ada@example..com", "<ada>@example.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn too_long_email_is_refused_with_the_limit() {
        let long = format!("{}@example.com", "a".repeat(250));
        let err = Email::parse(&long).unwrap_err();
        assert!(err.0.contains("254"), "{err}");
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(PersonName::parse("  Zoë ", "First name").unwrap().as_str(), "Zoë");
        assert_eq!(
            PersonName::parse(" ", "First name").unwrap_err().0,
            "First name cannot be empty."
        );
        assert!(PersonName::parse(&"x".repeat(101), "Last name").is_err());
        assert!(PersonName::parse(&"é".repeat(100), "Last name").is_ok());
        assert!(PersonName::parse("a\u{0}b", "Last name").is_err());
    }

    #[test]
    fn titles_are_bounded() {
        assert!(Title::parse("", "Project name").is_err());
        assert!(Title::parse(&"p".repeat(121), "Project name").is_err());
        assert!(Title::parse(&format!("\u{a0}{}", "p".repeat(120)), "Project name").is_err(), "the limit counts what was sent");
        assert!(PersonName::parse(&format!(" {}", "x".repeat(100)), "Last name").is_err());
        assert_eq!(Title::parse(" Apollo ", "Project name").unwrap().as_str(), "Apollo");
    }

    #[test]
    fn password_length_rules() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse(&"p".repeat(129)).is_err());
        assert!(NewPassword::parse("long enough pass").is_ok());
        assert!(!format!("{:?}", NewPassword::parse("long enough pass").unwrap()).contains("long"));
    }

    #[test]
    fn mobile_numbers_are_cleaned_or_refused() {
        assert_eq!(Mobile::parse("").unwrap(), None);
        assert_eq!(
            Mobile::parse("+33 6 12-34-56-78").unwrap().unwrap().as_str(),
            "+33612345678"
        );
        assert!(Mobile::parse("12ab34").is_err());
        assert!(Mobile::parse("123").is_err());
        assert!(Mobile::parse("1+23456789").is_err());
    }
}
