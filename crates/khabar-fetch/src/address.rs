//! Keeping the crawler away from internal networks (SSRF).
//!
//! Checking the URL's host string is not enough: a public name can resolve
//! to 127.0.0.1, and a redirect can point anywhere. So names are checked in
//! the DNS resolver the HTTP client actually connects with, and IP literals
//! (which skip the resolver) are checked on every hop.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why an address is not a public internet host, or `None` if it is.
pub fn forbidden_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_reason(v4),
        IpAddr::V6(v6) => v6_reason(v6),
    }
}

fn v4_reason(ip: Ipv4Addr) -> Option<&'static str> {
    let o = ip.octets();
    if ip.is_unspecified() || o[0] == 0 {
        Some("unspecified address")
    } else if ip.is_loopback() {
        Some("loopback address")
    } else if ip.is_private() {
        Some("private address")
    } else if ip.is_link_local() {
        Some("link-local address")
    } else if o[0] == 100 && (o[1] & 0xC0) == 64 {
        Some("carrier-grade NAT address")
    } else if o[0] == 192 && o[1] == 0 && o[2] == 0 {
        Some("IETF protocol address")
    } else if o[0] == 198 && (o[1] & 0xFE) == 18 {
        Some("benchmarking address")
    } else if ip.is_multicast() {
        Some("multicast address")
    } else if o[0] >= 240 {
        Some("reserved address")
    } else {
        None
    }
}

fn v6_reason(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_reason(v4);
    }
    if ip.is_unspecified() {
        Some("unspecified address")
    } else if ip.is_loopback() {
        Some("loopback address")
    } else if (s[0] & 0xFE00) == 0xFC00 {
        Some("unique-local address")
    } else if (s[0] & 0xFFC0) == 0xFE80 || (s[0] & 0xFFC0) == 0xFEC0 {
        Some("link-local address")
    } else if ip.is_multicast() {
        Some("multicast address")
    } else if s[0] == 0x64 && s[1] == 0xFF9B {
        // NAT64: the IPv4 address rides in the last 32 bits.
        v4_reason(Ipv4Addr::new(
            (s[6] >> 8) as u8,
            s[6] as u8,
            (s[7] >> 8) as u8,
            s[7] as u8,
        ))
    } else if s[0] == 0x2002 {
        // 6to4: the IPv4 address is in segments 1 and 2.
        v4_reason(Ipv4Addr::new(
            (s[1] >> 8) as u8,
            s[1] as u8,
            (s[2] >> 8) as u8,
            s[2] as u8,
        ))
    } else if s[0] == 0 && s[1] == 0 && s[2] == 0 && s[3] == 0 && s[4] == 0 && s[5] == 0 {
        Some("IPv4-compatible address")
    } else {
        None
    }
}

/// The resolver error that says every address of a name was refused; found
/// again in the client's error chain to report [`FetchError::Blocked`](crate::FetchError::Blocked).
#[derive(Debug)]
pub(crate) struct BlockedAddress {
    pub host: String,
    pub ip: IpAddr,
    pub reason: &'static str,
}

impl std::fmt::Display for BlockedAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} resolves to {} ({})", self.host, self.ip, self.reason)
    }
}

impl std::error::Error for BlockedAddress {}

/// System DNS, minus non-public addresses. Names in `trusted` (the
/// operator's own proxy) resolve unfiltered.
pub(crate) struct GuardedResolver {
    pub trusted: Vec<String>,
}

impl GuardedResolver {
    pub fn new(trusted: Vec<String>) -> Arc<Self> {
        Arc::new(GuardedResolver { trusted })
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        let trusted = self.trusted.iter().any(|t| t.eq_ignore_ascii_case(&host));
        Box::pin(async move {
            let all: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if trusted {
                return Ok(Box::new(all.into_iter()) as Addrs);
            }
            let public: Vec<SocketAddr> = all
                .iter()
                .copied()
                .filter(|a| forbidden_reason(a.ip()).is_none())
                .collect();
            if public.is_empty()
                && let Some(first) = all.first()
            {
                let reason = forbidden_reason(first.ip()).unwrap_or("not public");
                return Err(Box::new(BlockedAddress {
                    host,
                    ip: first.ip(),
                    reason,
                })
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(s: &str) -> Option<&'static str> {
        forbidden_reason(s.parse().unwrap())
    }

    #[test]
    fn non_public_addresses_are_named() {
        assert_eq!(reason("127.0.0.1"), Some("loopback address"));
        assert_eq!(reason("10.1.2.3"), Some("private address"));
        assert_eq!(reason("172.16.0.1"), Some("private address"));
        assert_eq!(reason("192.168.1.1"), Some("private address"));
        assert_eq!(reason("169.254.169.254"), Some("link-local address"));
        assert_eq!(reason("0.0.0.0"), Some("unspecified address"));
        assert_eq!(reason("100.64.0.1"), Some("carrier-grade NAT address"));
        assert_eq!(reason("::1"), Some("loopback address"));
        assert_eq!(reason("::"), Some("unspecified address"));
        assert_eq!(reason("fd00::1"), Some("unique-local address"));
        assert_eq!(reason("fe80::1"), Some("link-local address"));
        assert_eq!(reason("::ffff:127.0.0.1"), Some("loopback address"));
        assert_eq!(reason("64:ff9b::10.0.0.1"), Some("private address"));
        assert_eq!(reason("2002:c0a8:0101::1"), Some("private address"));
    }

    #[test]
    fn public_addresses_pass() {
        for ip in [
            "8.8.8.8",
            "151.101.1.69",
            "2a04:4e42::81",
            "172.32.0.1",
            "100.128.0.1",
        ] {
            assert_eq!(reason(ip), None, "{ip}");
        }
    }
}
