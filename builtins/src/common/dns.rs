//! DNS messages (RFC 1035): building a one-question query and parsing an answer, with
//! name compression. Pure code; the transport is in `resolve`.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Record types the clients ask for.
pub mod rtype {
    pub const A: u16 = 1;
    pub const NS: u16 = 2;
    pub const CNAME: u16 = 5;
    pub const SOA: u16 = 6;
    pub const PTR: u16 = 12;
    pub const MX: u16 = 15;
    pub const TXT: u16 = 16;
    pub const AAAA: u16 = 28;
    pub const ANY: u16 = 255;
}

/// The type number of a name like `AAAA` (case-insensitive).
pub fn type_by_name(name: &str) -> Option<u16> {
    Some(match name.to_ascii_uppercase().as_str() {
        "A" => rtype::A,
        "NS" => rtype::NS,
        "CNAME" => rtype::CNAME,
        "SOA" => rtype::SOA,
        "PTR" => rtype::PTR,
        "MX" => rtype::MX,
        "TXT" => rtype::TXT,
        "AAAA" => rtype::AAAA,
        "ANY" => rtype::ANY,
        _ => return None,
    })
}

/// Response codes.
pub mod rcode {
    pub const NOERROR: u8 = 0;
    pub const FORMERR: u8 = 1;
    pub const SERVFAIL: u8 = 2;
    pub const NXDOMAIN: u8 = 3;
    pub const NOTIMP: u8 = 4;
    pub const REFUSED: u8 = 5;
}

/// The name BIND's tools print for a response code.
pub fn rcode_name(rc: u8) -> String {
    match rc {
        rcode::NOERROR => "NOERROR".into(),
        rcode::FORMERR => "FORMERR".into(),
        rcode::SERVFAIL => "SERVFAIL".into(),
        rcode::NXDOMAIN => "NXDOMAIN".into(),
        rcode::NOTIMP => "NOTIMP".into(),
        rcode::REFUSED => "REFUSED".into(),
        n => format!("rcode {n}"),
    }
}

/// Record data, decoded for the types the clients print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Data {
    /// An IPv4 address.
    A(Ipv4Addr),
    /// An IPv6 address.
    Aaaa(Ipv6Addr),
    /// A name (NS, CNAME, PTR).
    Name(String),
    /// Preference and exchanger.
    Mx(u16, String),
    /// The character strings of a TXT record.
    Txt(Vec<Vec<u8>>),
    /// mname, rname, serial, refresh, retry, expire, minimum.
    Soa(String, String, [u32; 5]),
    /// Anything else, raw.
    Other(Vec<u8>),
}

/// One resource record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Owner name, dotted, without the final dot.
    pub name: String,
    /// Type number.
    pub rtype: u16,
    /// Time to live.
    pub ttl: u32,
    /// Decoded data.
    pub data: Data,
}

/// A parsed response.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    /// Query id.
    pub id: u16,
    /// Authoritative answer bit.
    pub aa: bool,
    /// Truncated bit.
    pub tc: bool,
    /// Response code.
    pub rcode: u8,
    /// The answer section.
    pub answers: Vec<Record>,
    /// The authority section.
    pub authority: Vec<Record>,
}

/// A query for `name` of type `qtype` with recursion desired.
pub fn encode_query(id: u16, name: &str, qtype: u16) -> Option<Vec<u8>> {
    let mut m = Vec::with_capacity(32 + name.len());
    m.extend_from_slice(&id.to_be_bytes());
    m.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    encode_name(&mut m, name)?;
    m.extend_from_slice(&qtype.to_be_bytes());
    m.extend_from_slice(&1u16.to_be_bytes());
    Some(m)
}

/// Appends `name` as labels; `None` for an empty label or one over 63 bytes.
pub fn encode_name(m: &mut Vec<u8>, name: &str) -> Option<()> {
    let name = name.strip_suffix('.').unwrap_or(name);
    let start = m.len();
    if !name.is_empty() {
        for label in name.split('.') {
            if label.is_empty() || label.len() > 63 {
                return None;
            }
            m.push(label.len() as u8);
            m.extend_from_slice(label.as_bytes());
        }
    }
    m.push(0);
    (m.len() - start <= 255).then_some(())
}

/// Reads a possibly compressed name at `pos`; returns it and the offset after it.
pub fn decode_name(msg: &[u8], mut pos: usize) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut end = None;
    for _ in 0..128 {
        let len = *msg.get(pos)? as usize;
        if len == 0 {
            return Some((out, end.unwrap_or(pos + 1)));
        }
        if len & 0xc0 == 0xc0 {
            let ptr = ((len & 0x3f) << 8) | *msg.get(pos + 1)? as usize;
            end.get_or_insert(pos + 2);
            pos = ptr;
            continue;
        }
        let label = msg.get(pos + 1..pos + 1 + len)?;
        if !out.is_empty() {
            out.push('.');
        }
        for &b in label {
            if b.is_ascii_graphic() && b != b'.' && b != b'\\' {
                out.push(b as char);
            } else {
                out.push_str(&format!("\\{b:03}"));
            }
        }
        pos += 1 + len;
    }
    None
}

fn be16(msg: &[u8], p: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*msg.get(p)?, *msg.get(p + 1)?]))
}

fn be32(msg: &[u8], p: usize) -> Option<u32> {
    Some(u32::from_be_bytes(msg.get(p..p + 4)?.try_into().ok()?))
}

/// Parses a response; `None` when it is malformed.
pub fn parse(msg: &[u8]) -> Option<Message> {
    let flags = be16(msg, 2)?;
    let mut m = Message {
        id: be16(msg, 0)?,
        aa: flags & 0x0400 != 0,
        tc: flags & 0x0200 != 0,
        rcode: (flags & 0xf) as u8,
        ..Message::default()
    };
    let (qd, an, ns) = (be16(msg, 4)?, be16(msg, 6)?, be16(msg, 8)?);
    let mut pos = 12;
    for _ in 0..qd {
        pos = decode_name(msg, pos)?.1 + 4;
    }
    if m.tc {
        return Some(m);
    }
    for _ in 0..an {
        let (rec, next) = record(msg, pos)?;
        m.answers.push(rec);
        pos = next;
    }
    for _ in 0..ns {
        let Some((rec, next)) = record(msg, pos) else {
            break;
        };
        m.authority.push(rec);
        pos = next;
    }
    Some(m)
}

/// One resource record at `pos` and the offset after it.
fn record(msg: &[u8], pos: usize) -> Option<(Record, usize)> {
    let (name, p) = decode_name(msg, pos)?;
    let rtype = be16(msg, p)?;
    let ttl = be32(msg, p + 4)?;
    let len = be16(msg, p + 8)? as usize;
    let start = p + 10;
    let rd = msg.get(start..start + len)?;
    let data = match rtype {
        rtype::A if len == 4 => Data::A(Ipv4Addr::new(rd[0], rd[1], rd[2], rd[3])),
        rtype::AAAA if len == 16 => Data::Aaaa(Ipv6Addr::from(<[u8; 16]>::try_from(rd).ok()?)),
        rtype::NS | rtype::CNAME | rtype::PTR => Data::Name(decode_name(msg, start)?.0),
        rtype::MX => Data::Mx(be16(msg, start)?, decode_name(msg, start + 2)?.0),
        rtype::TXT => {
            let (mut parts, mut i) = (Vec::new(), 0);
            while i < rd.len() {
                let n = rd[i] as usize;
                parts.push(rd.get(i + 1..i + 1 + n)?.to_vec());
                i += 1 + n;
            }
            Data::Txt(parts)
        }
        rtype::SOA => {
            let (mname, q) = decode_name(msg, start)?;
            let (rname, q) = decode_name(msg, q)?;
            let mut v = [0u32; 5];
            for (i, slot) in v.iter_mut().enumerate() {
                *slot = be32(msg, q + 4 * i)?;
            }
            Data::Soa(mname, rname, v)
        }
        _ => Data::Other(rd.to_vec()),
    };
    Some((
        Record {
            name,
            rtype,
            ttl,
            data,
        },
        start + len,
    ))
}

/// The reverse-lookup name of an address: `4.3.2.1.in-addr.arpa`, or the nibbles of an
/// IPv6 address under `ip6.arpa`.
pub fn reverse_name(addr: std::net::IpAddr) -> String {
    match addr {
        std::net::IpAddr::V4(a) => {
            let o = a.octets();
            format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0])
        }
        std::net::IpAddr::V6(a) => {
            let mut s = String::new();
            for b in a.octets().iter().rev() {
                s.push_str(&format!("{:x}.{:x}.", b & 0xf, b >> 4));
            }
            s + "ip6.arpa"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A response to `q` with the given answer records (name pointer to the question).
    fn answer(q: &[u8], rcode: u8, records: &[(u16, &[u8])]) -> Vec<u8> {
        let mut m = q.to_vec();
        m[2] = 0x85;
        m[3] = 0x80 | rcode;
        m[6..8].copy_from_slice(&(records.len() as u16).to_be_bytes());
        for (t, rd) in records {
            m.extend_from_slice(&[0xc0, 12]);
            m.extend_from_slice(&t.to_be_bytes());
            m.extend_from_slice(&[0, 1, 0, 0, 1, 0]);
            m.extend_from_slice(&(rd.len() as u16).to_be_bytes());
            m.extend_from_slice(rd);
        }
        m
    }

    #[test]
    fn query_layout() {
        let q = encode_query(0x1234, "www.example.org", rtype::AAAA).unwrap();
        assert_eq!(&q[..12], &[0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&q[12..29], b"\x03www\x07example\x03org\x00");
        assert_eq!(&q[29..], &[0, 28, 0, 1]);
        assert!(encode_query(1, "a..b", rtype::A).is_none());
        assert!(encode_query(1, &"x".repeat(64), rtype::A).is_none());
        assert_eq!(
            encode_query(1, "a.", rtype::A),
            encode_query(1, "a", rtype::A)
        );
    }

    #[test]
    fn parses_answers() {
        let q = encode_query(7, "h.test", rtype::A).unwrap();
        let mut mx = vec![0, 10];
        mx.extend_from_slice(&[2, b'm', b'x', 0xc0, 12]);
        let r = answer(
            &q,
            0,
            &[
                (rtype::A, &[10, 0, 0, 1]),
                (rtype::TXT, b"\x02hi\x03you"),
                (rtype::MX, &mx),
            ],
        );
        let m = parse(&r).unwrap();
        assert_eq!((m.id, m.aa, m.tc, m.rcode), (7, true, false, 0));
        assert_eq!(m.answers.len(), 3);
        assert_eq!(m.answers[0].name, "h.test");
        assert_eq!(m.answers[0].data, Data::A(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(
            m.answers[1].data,
            Data::Txt(vec![b"hi".to_vec(), b"you".to_vec()])
        );
        assert_eq!(m.answers[2].data, Data::Mx(10, "mx.h.test".into()));
        let nx = parse(&answer(&q, 3, &[])).unwrap();
        assert_eq!(nx.rcode, rcode::NXDOMAIN);
        assert!(parse(&r[..r.len() - 2]).is_none());
        let mut looped = q.clone();
        looped.truncate(12);
        looped.extend_from_slice(&[0xc0, 12]);
        assert!(decode_name(&looped, 12).is_none());
    }

    #[test]
    fn reverse_names() {
        assert_eq!(
            reverse_name("10.1.2.3".parse().unwrap()),
            "3.2.1.10.in-addr.arpa"
        );
        assert!(
            reverse_name("2001:db8::1".parse().unwrap())
                .starts_with("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6")
        );
        assert_eq!(type_by_name("aaaa"), Some(rtype::AAAA));
        assert_eq!(type_by_name("bogus"), None);
    }
}
