//! Secret tokens (sign-in links, sessions, later RSVP links and feeds).
//!
//! A token is 256 random bits, shown once as 64 hex characters; only its SHA-256 is stored, so
//! reading the database never yields a usable link or session.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A freshly generated secret and the hash to store for it.
pub struct NewToken {
    pub secret: String,
    pub hash: String,
}

pub fn generate() -> NewToken {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    let hash = hash(&secret);
    NewToken { secret, hash }
}

/// The stored form of a token. Tokens are high-entropy, so a plain SHA-256 (no salt, no slow
/// KDF) is enough and lets us look the row up by its hash.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Cheap shape check before touching the database: 64 lower-case hex characters.
pub fn looks_valid(secret: &str) -> bool {
    secret.len() == 64
        && secret
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_hashed() {
        let a = generate();
        let b = generate();
        assert_ne!(a.secret, b.secret);
        assert_eq!(a.hash, hash(&a.secret));
        assert_ne!(a.hash, a.secret);
        assert!(looks_valid(&a.secret));
        assert!(!looks_valid("../../etc/passwd"));
        assert!(!looks_valid(&a.secret.to_uppercase()));
    }
}
