//! Each invitation's own reply address: the calendar's ORGANIZER is `local+i-TOKEN@domain`
//! (the mailbox of `SALON_MAIL_FROM` with a sub-address), so a calendar's own "Accept" reply
//! says who answered without trusting its From header. The token is an HMAC of the salon and
//! the person under the installation's secret: every mail to the person about the salon
//! (invitation, update, cancellation) carries the same address, so calendars keep matching
//! the event, and nothing secret is stored (only the token's hash, to find it again).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::ids::{PersonId, SalonId};

/// Base32 characters in a token (128 bits).
pub const TOKEN_LEN: usize = 26;

/// The token for a person's replies about a salon: lowercase base32, because some mail
/// systems change the case of addresses.
pub fn token(key: &[u8], salon: SalonId, person: PersonId) -> String {
    let digest = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(format!("salon reply address v1:{salon}:{person}").as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(), // HMAC takes keys of any length
    };
    base32(&digest[..16.min(digest.len())])
}

/// `local+i-TOKEN@domain` for the sender address `local@domain`.
pub fn address(from: &str, token: &str) -> String {
    match from.rsplit_once('@') {
        Some((local, domain)) => {
            let local = local.split('+').next().unwrap_or(local);
            format!("{local}+i-{token}@{domain}")
        }
        None => from.to_string(),
    }
}

/// RFC 4648 base32, lowercase, without padding.
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_stable_per_person_and_salon_and_fits_an_address() {
        let key = b"secret";
        let t = token(key, SalonId(4), PersonId(7));
        assert_eq!(t.len(), TOKEN_LEN);
        assert_eq!(t, token(key, SalonId(4), PersonId(7)));
        assert_ne!(t, token(key, SalonId(4), PersonId(8)));
        assert_ne!(t, token(b"other", SalonId(4), PersonId(7)));
        let a = address("salon+old@alliance.example", &t);
        assert_eq!(a, format!("salon+i-{t}@alliance.example"));
        assert_eq!(crate::mail::inbound::token_in(&a.to_uppercase()), Some(t));
        assert_eq!(base32(b"foobar"), "mzxw6ytboi");
    }
}
