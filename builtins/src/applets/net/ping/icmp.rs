//! An ICMP echo socket for ping: an unprivileged `SOCK_DGRAM` ping socket when the kernel
//! allows one (net.ipv4.ping_group_range), else a raw socket (root); echo requests out,
//! echo replies in with their TTL (hop limit) from a control message.

use std::io;
use std::net::IpAddr;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// An open echo socket.
pub struct EchoSocket {
    fd: OwnedFd,
    v6: bool,
    /// A raw socket sees every ICMP packet (and, for IPv4, the IP header).
    raw: bool,
    /// The identifier of our requests (a ping socket rewrites it; replies come filtered).
    pub id: u16,
}

/// One echo reply.
pub struct Reply {
    /// Who answered.
    pub from: IpAddr,
    /// The sequence number.
    pub seq: u16,
    /// ICMP message length (header + data).
    pub len: usize,
    /// TTL or hop limit; -1 when the kernel did not say.
    pub ttl: i32,
}

fn setopt(fd: i32, level: i32, name: i32, value: i32) -> io::Result<()> {
    // SAFETY: the option value is a live int of the size passed.
    let rc = unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            (&value as *const i32).cast(),
            std::mem::size_of::<i32>() as libc::socklen_t,
        )
    };
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// A `sockaddr_in`/`sockaddr_in6` for `addr` as raw storage and its length.
fn sockaddr(addr: IpAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: sockaddr_storage is plain data; all zero bytes is a valid value.
    let mut ss: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let len = match addr {
        IpAddr::V4(a) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: 0,
                sin_addr: libc::in_addr {
                    s_addr: u32::from_ne_bytes(a.octets()),
                },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_storage is larger than and aligned for sockaddr_in.
            unsafe { std::ptr::write((&mut ss as *mut libc::sockaddr_storage).cast(), sin) };
            std::mem::size_of::<libc::sockaddr_in>()
        }
        IpAddr::V6(a) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: 0,
                sin6_flowinfo: 0,
                sin6_addr: libc::in6_addr {
                    s6_addr: a.octets(),
                },
                sin6_scope_id: 0,
            };
            // SAFETY: sockaddr_storage is larger than and aligned for sockaddr_in6.
            unsafe { std::ptr::write((&mut ss as *mut libc::sockaddr_storage).cast(), sin6) };
            std::mem::size_of::<libc::sockaddr_in6>()
        }
    };
    (ss, len as libc::socklen_t)
}

/// The address in a filled `sockaddr_storage`.
fn from_sockaddr(ss: &libc::sockaddr_storage) -> Option<IpAddr> {
    match ss.ss_family as i32 {
        libc::AF_INET => {
            // SAFETY: the family says the storage holds a sockaddr_in.
            let sin: &libc::sockaddr_in = unsafe { &*(ss as *const _ as *const libc::sockaddr_in) };
            Some(IpAddr::from(sin.sin_addr.s_addr.to_ne_bytes()))
        }
        libc::AF_INET6 => {
            // SAFETY: the family says the storage holds a sockaddr_in6.
            let s6: &libc::sockaddr_in6 =
                unsafe { &*(ss as *const _ as *const libc::sockaddr_in6) };
            Some(IpAddr::from(s6.sin6_addr.s6_addr))
        }
        _ => None,
    }
}

/// The Internet checksum of `data`.
pub fn checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = data
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]) as u32)
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// An echo request: type, code, checksum, id, seq, then `size` bytes of pattern.
pub fn echo_request(v6: bool, id: u16, seq: u16, size: usize) -> Vec<u8> {
    let mut p = vec![if v6 { 128 } else { 8 }, 0, 0, 0];
    p.extend_from_slice(&id.to_be_bytes());
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend((0..size).map(|i| i as u8));
    if !v6 {
        let c = checksum(&p);
        p[2..4].copy_from_slice(&c.to_be_bytes());
    }
    p
}

impl EchoSocket {
    /// Opens a socket for `target`'s family; `ttl` sets the outgoing TTL/hop limit.
    pub fn open(target: IpAddr, ttl: Option<i32>) -> io::Result<EchoSocket> {
        let v6 = target.is_ipv6();
        let (family, proto) = if v6 {
            (libc::AF_INET6, libc::IPPROTO_ICMPV6)
        } else {
            (libc::AF_INET, libc::IPPROTO_ICMP)
        };
        let mut raw = false;
        // SAFETY: socket(2) takes no pointers.
        let mut fd = unsafe { libc::socket(family, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, proto) };
        if fd < 0 {
            raw = true;
            // SAFETY: as above.
            fd = unsafe { libc::socket(family, libc::SOCK_RAW | libc::SOCK_CLOEXEC, proto) };
        }
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a fresh descriptor nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        let raw_fd = fd.as_raw_fd();
        if v6 {
            setopt(raw_fd, libc::IPPROTO_IPV6, libc::IPV6_RECVHOPLIMIT, 1)?;
            if let Some(t) = ttl {
                setopt(raw_fd, libc::IPPROTO_IPV6, libc::IPV6_UNICAST_HOPS, t)?;
            }
        } else {
            setopt(raw_fd, libc::IPPROTO_IP, libc::IP_RECVTTL, 1)?;
            if let Some(t) = ttl {
                setopt(raw_fd, libc::IPPROTO_IP, libc::IP_TTL, t)?;
            }
        }
        Ok(EchoSocket {
            fd,
            v6,
            raw,
            id: (std::process::id() & 0xffff) as u16,
        })
    }

    /// The descriptor, for poll.
    pub fn raw_fd(&self) -> i32 {
        self.fd.as_raw_fd()
    }

    /// Sends echo request `seq` with `size` data bytes to `to`.
    pub fn send(&self, to: IpAddr, seq: u16, size: usize) -> io::Result<()> {
        let p = echo_request(self.v6, self.id, seq, size);
        let (ss, len) = sockaddr(to);
        // SAFETY: `p` and `ss` are live buffers of the lengths passed.
        let rc = unsafe {
            libc::sendto(
                self.fd.as_raw_fd(),
                p.as_ptr().cast(),
                p.len(),
                0,
                (&ss as *const libc::sockaddr_storage).cast(),
                len,
            )
        };
        if rc < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(())
        }
    }

    /// Reads one waiting packet without blocking: `Ok(None)` when it is not one of our
    /// echo replies, `Err(WouldBlock)` when nothing waits.
    pub fn recv(&self) -> io::Result<Option<Reply>> {
        let mut buf = [0u8; 65536];
        let mut cbuf = [0u64; 16];
        // SAFETY: plain data, zero is valid.
        let mut from: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
        let mut iov = libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: buf.len(),
        };
        // SAFETY: msghdr is plain data; the fields that matter are set below.
        let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
        msg.msg_name = (&mut from as *mut libc::sockaddr_storage).cast();
        msg.msg_namelen = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = cbuf.as_mut_ptr().cast();
        msg.msg_controllen = std::mem::size_of_val(&cbuf);
        // SAFETY: every pointer in `msg` refers to a live buffer of the stated size.
        let n = unsafe { libc::recvmsg(self.fd.as_raw_fd(), &mut msg, libc::MSG_DONTWAIT) };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut data = &buf[..n as usize];
        let mut ttl = -1;
        // SAFETY: walking the control messages recvmsg filled, with the libc macros.
        unsafe {
            let mut c = libc::CMSG_FIRSTHDR(&msg);
            while !c.is_null() {
                let (level, kind) = ((*c).cmsg_level, (*c).cmsg_type);
                if (level == libc::IPPROTO_IP && kind == libc::IP_TTL)
                    || (level == libc::IPPROTO_IPV6 && kind == libc::IPV6_HOPLIMIT)
                {
                    ttl = std::ptr::read_unaligned(libc::CMSG_DATA(c).cast::<i32>());
                }
                c = libc::CMSG_NXTHDR(&msg, c);
            }
        }
        if self.raw && !self.v6 {
            let Some(&vhl) = data.first() else {
                return Ok(None);
            };
            let ihl = ((vhl & 0xf) as usize) * 4;
            if ttl < 0 {
                ttl = data.get(8).map_or(-1, |&t| t as i32);
            }
            data = data.get(ihl..).unwrap_or_default();
        }
        if data.len() < 8 || data[0] != if self.v6 { 129 } else { 0 } {
            return Ok(None);
        }
        let id = u16::from_be_bytes([data[4], data[5]]);
        if self.raw && id != self.id {
            return Ok(None);
        }
        let Some(from) = from_sockaddr(&from) else {
            return Ok(None);
        };
        Ok(Some(Reply {
            from,
            seq: u16::from_be_bytes([data[6], data[7]]),
            len: data.len(),
            ttl,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_checksum() {
        let p = echo_request(false, 0x1234, 1, 4);
        assert_eq!(&p[..2], &[8, 0]);
        assert_eq!(&p[4..8], &[0x12, 0x34, 0, 1]);
        assert_eq!(checksum(&p), 0, "a packet with its checksum sums to zero");
        assert_eq!(p.len(), 12);
        assert_eq!(echo_request(true, 1, 2, 56)[0], 128);
    }
}
