//! The personal check-in code on an invitation: six characters that an organiser at the door
//! types instead of searching for a name. Derived from the installation's secret, the salon and
//! the person (HMAC-SHA256), so nothing is stored and a code is good for one salon only. The
//! alphabet leaves out characters that are easy to misread (0/O, 1/I/L).

use hmac::{Hmac, Mac};
use sha2::Sha256;

const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LEN: usize = 6;

/// The code of `person` for `salon`.
pub fn code(key: &[u8], salon: i64, person: i64) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(format!("check-in:{salon}:{person}").as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .take(CODE_LEN)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// A code as typed at the door: spaces and dashes left out, upper case; None when it cannot be
/// a code at all.
pub fn normalise(typed: &str) -> Option<String> {
    let s: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    (s.len() == CODE_LEN && s.bytes().all(|b| ALPHABET.contains(&b))).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_the_persons_for_that_salon_and_reads_as_typed() {
        let a = code(b"key", 1, 7);
        assert_eq!(a.len(), CODE_LEN);
        assert_eq!(a, code(b"key", 1, 7));
        assert_ne!(a, code(b"key", 2, 7));
        assert_ne!(a, code(b"key", 1, 8));
        assert_ne!(a, code(b"other", 1, 7));
        let typed = format!(" {}-{} ", &a[..3].to_lowercase(), &a[3..]);
        assert_eq!(normalise(&typed), Some(a));
        assert_eq!(normalise("O0I1L2"), None);
        assert_eq!(normalise("ABC"), None);
    }
}
