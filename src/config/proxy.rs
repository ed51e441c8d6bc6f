//! Whose `X-Forwarded-For` Salon believes (`SALON_TRUST_PROXY`), and which address in it is the
//! client's. Rate limits and logs key on that address, so a header a client wrote itself must
//! never count: only a request that comes from a trusted proxy carries a client address, and in
//! the header only the entries the trusted proxies added are read (right to left, skipping the
//! proxies' own addresses; what is left of that is the client's to invent).

use std::net::IpAddr;

use ipnet::IpNet;

use super::{ConfigError, bad};

const SETTING: &str = "SALON_TRUST_PROXY (--trust-proxy)";

/// Whose `X-Forwarded-For` counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TrustProxy {
    /// Nobody's: Salon faces the clients itself (the default).
    #[default]
    Nobody,
    /// Any peer's (`true`): only right when nothing but the proxy can reach Salon's port.
    Anyone,
    /// The proxies at these addresses or networks (`127.0.0.1`, `10.0.0.0/24, ::1`).
    These(Vec<IpNet>),
}

impl TrustProxy {
    pub fn parse(raw: &str) -> Result<TrustProxy, ConfigError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "" | "0" | "false" | "no" | "off" => return Ok(TrustProxy::Nobody),
            "1" | "true" | "yes" | "on" => return Ok(TrustProxy::Anyone),
            _ => {}
        }
        let mut nets = Vec::new();
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let net = part
                .parse::<IpNet>()
                .or_else(|_| part.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    bad(
                        SETTING,
                        format!(
                            "'{part}' is not true, false, an address or a network (expected e.g. 127.0.0.1 or 10.0.0.0/24)"
                        ),
                    )
                })?;
            nets.push(net);
        }
        Ok(TrustProxy::These(nets))
    }

    fn trusts(&self, peer: IpAddr) -> bool {
        match self {
            TrustProxy::Nobody => false,
            TrustProxy::Anyone => true,
            TrustProxy::These(nets) => nets.iter().any(|n| n.contains(&unmapped(peer))),
        }
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the
    /// right-most `X-Forwarded-For` entry that is not a trusted proxy itself (all of them
    /// proxies: the left-most). `forwarded` is the header's entries in order.
    pub fn client(&self, peer: IpAddr, forwarded: &[IpAddr]) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        match self {
            // The proxy appended the address it saw last.
            TrustProxy::Anyone => forwarded.last().copied().unwrap_or(peer),
            _ => forwarded
                .iter()
                .rev()
                .find(|ip| !self.trusts(**ip))
                .or(forwarded.first())
                .copied()
                .unwrap_or(peer),
        }
    }
}

/// An IPv4 peer on an IPv6 socket (`::ffff:127.0.0.1`) is its IPv4 address.
fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_a_trusted_proxy_may_say_who_the_client_is() {
        let t = TrustProxy::parse("127.0.0.1, 10.0.0.0/24").unwrap();
        // From the proxy: its own entry, the client's.
        assert_eq!(
            t.client(ip("127.0.0.1"), &[ip("203.0.113.7")]),
            ip("203.0.113.7")
        );
        // A client that wrote its own header before the proxy appended the real address.
        assert_eq!(
            t.client(ip("127.0.0.1"), &[ip("1.2.3.4"), ip("203.0.113.7")]),
            ip("203.0.113.7")
        );
        // Two proxies in a row: the one in front is skipped as well.
        assert_eq!(
            t.client(ip("127.0.0.1"), &[ip("203.0.113.7"), ip("10.0.0.5")]),
            ip("203.0.113.7")
        );
        // Straight to Salon from elsewhere with a forged header: the peer it is.
        assert_eq!(t.client(ip("127.0.0.2"), &[ip("1.2.3.4")]), ip("127.0.0.2"));
        assert_eq!(
            t.client(ip("::ffff:127.0.0.1"), &[ip("198.51.100.1")]),
            ip("198.51.100.1")
        );
        // Nobody trusted: never the header.
        assert_eq!(
            TrustProxy::parse("false")
                .unwrap()
                .client(ip("127.0.0.1"), &[ip("1.2.3.4")]),
            ip("127.0.0.1")
        );
        assert_eq!(
            TrustProxy::parse("true")
                .unwrap()
                .client(ip("192.0.2.9"), &[ip("1.2.3.4"), ip("5.6.7.8")]),
            ip("5.6.7.8")
        );
    }

    #[test]
    fn a_bad_entry_is_named() {
        let e = TrustProxy::parse("127.0.0.1, proxy.example").unwrap_err();
        assert!(e.problem.contains("proxy.example"), "{}", e.problem);
        assert!(TrustProxy::parse("maybe").is_err());
    }
}
