//! The socket ioctls of net-tools: `struct ifreq`, `struct in6_ifreq`, `struct rtentry`,
//! `struct in6_rtmsg` as plain `repr(C)` byte layouts, and one checked `ioctl` call that
//! reports failures as `SIOCxxx: reason`. Shared by ifconfig and route.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use crate::error::{Error, strerror};

/// Request numbers (linux/sockios.h).
pub mod req {
    pub const SIOCADDRT: u64 = 0x890B;
    pub const SIOCDELRT: u64 = 0x890C;
    pub const SIOCGIFCONF: u64 = 0x8912;
    pub const SIOCGIFFLAGS: u64 = 0x8913;
    pub const SIOCSIFFLAGS: u64 = 0x8914;
    pub const SIOCGIFADDR: u64 = 0x8915;
    pub const SIOCSIFADDR: u64 = 0x8916;
    pub const SIOCGIFDSTADDR: u64 = 0x8917;
    pub const SIOCSIFDSTADDR: u64 = 0x8918;
    pub const SIOCGIFBRDADDR: u64 = 0x8919;
    pub const SIOCSIFBRDADDR: u64 = 0x891a;
    pub const SIOCGIFNETMASK: u64 = 0x891b;
    pub const SIOCSIFNETMASK: u64 = 0x891c;
    pub const SIOCGIFMETRIC: u64 = 0x891d;
    pub const SIOCSIFMETRIC: u64 = 0x891e;
    pub const SIOCGIFMTU: u64 = 0x8921;
    pub const SIOCSIFMTU: u64 = 0x8922;
    pub const SIOCSIFHWADDR: u64 = 0x8924;
    pub const SIOCGIFHWADDR: u64 = 0x8927;
    pub const SIOCGIFINDEX: u64 = 0x8933;
    pub const SIOCDIFADDR: u64 = 0x8936;
    pub const SIOCGIFTXQLEN: u64 = 0x8942;
    pub const SIOCSIFTXQLEN: u64 = 0x8943;
    pub const SIOCGIFMAP: u64 = 0x8970;
}

/// The name net-tools prints for a request number.
fn req_name(r: u64) -> &'static str {
    use req::*;
    match r {
        SIOCADDRT => "SIOCADDRT",
        SIOCDELRT => "SIOCDELRT",
        SIOCGIFCONF => "SIOCGIFCONF",
        SIOCGIFFLAGS => "SIOCGIFFLAGS",
        SIOCSIFFLAGS => "SIOCSIFFLAGS",
        SIOCGIFADDR => "SIOCGIFADDR",
        SIOCSIFADDR => "SIOCSIFADDR",
        SIOCGIFDSTADDR => "SIOCGIFDSTADDR",
        SIOCSIFDSTADDR => "SIOCSIFDSTADDR",
        SIOCGIFBRDADDR => "SIOCGIFBRDADDR",
        SIOCSIFBRDADDR => "SIOCSIFBRDADDR",
        SIOCGIFNETMASK => "SIOCGIFNETMASK",
        SIOCSIFNETMASK => "SIOCSIFNETMASK",
        SIOCGIFMETRIC => "SIOCGIFMETRIC",
        SIOCSIFMETRIC => "SIOCSIFMETRIC",
        SIOCGIFMTU => "SIOCGIFMTU",
        SIOCSIFMTU => "SIOCSIFMTU",
        SIOCSIFHWADDR => "SIOCSIFHWADDR",
        SIOCGIFHWADDR => "SIOCGIFHWADDR",
        SIOCGIFINDEX => "SIOCGIFINDEX",
        SIOCDIFADDR => "SIOCDIFADDR",
        SIOCGIFTXQLEN => "SIOCGIFTXQLEN",
        SIOCSIFTXQLEN => "SIOCSIFTXQLEN",
        SIOCGIFMAP => "SIOCGIFMAP",
        _ => "ioctl",
    }
}

/// A datagram socket of one family, only used as an ioctl handle.
pub struct Sock(OwnedFd);

impl Sock {
    /// An `AF_INET` (or, with `v6`, `AF_INET6`) datagram socket.
    pub fn new(v6: bool) -> Result<Sock, Error> {
        let family = if v6 { libc::AF_INET6 } else { libc::AF_INET };
        // SAFETY: socket(2) takes no pointers; the result is checked before use.
        let fd = unsafe { libc::socket(family, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
        if fd < 0 {
            return Err(Error::io(b"socket", &io::Error::last_os_error()));
        }
        // SAFETY: `fd` is a fresh descriptor nothing else owns.
        Ok(Sock(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    /// `ioctl(fd, r, arg)` on a `repr(C)` argument; the error is the raw errno.
    pub fn raw<T>(&self, r: u64, arg: &mut T) -> io::Result<()> {
        // SAFETY: every request used here reads or writes at most `size_of::<T>()` bytes
        // of the structure it is given (the T types mirror the kernel's layouts).
        let rc = unsafe { libc::ioctl(self.0.as_raw_fd(), r as _, arg as *mut T) };
        if rc < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(())
        }
    }

    /// Like [`Sock::raw`], failing with net-tools' `SIOCxxx: reason`.
    pub fn call<T>(&self, r: u64, arg: &mut T) -> Result<(), Error> {
        self.raw(r, arg)
            .map_err(|e| Error::msg(format!("{}: {}", req_name(r), strerror(&e))))
    }

    /// The names SIOCGIFCONF lists (interfaces with an IPv4 address, labels included).
    pub fn conf_names(&self) -> Vec<Vec<u8>> {
        let mut buf = vec![IfReq::default(); 256];
        let mut conf = IfConf {
            len: (buf.len() * std::mem::size_of::<IfReq>()) as i32,
            buf: buf.as_mut_ptr().cast(),
        };
        if self.raw(req::SIOCGIFCONF, &mut conf).is_err() {
            return Vec::new();
        }
        let n = conf.len.max(0) as usize / std::mem::size_of::<IfReq>();
        buf.iter().take(n).map(|r| r.name().to_vec()).collect()
    }
}

/// `struct ifconf`.
#[repr(C)]
struct IfConf {
    len: i32,
    buf: *mut u8,
}

/// `struct ifreq`: the name, then a 24-byte union read as a sockaddr, short, int or map.
#[repr(C, align(8))]
#[derive(Clone, Copy, Default)]
pub struct IfReq {
    name: [u8; 16],
    data: [u8; 24],
}

impl IfReq {
    /// A request for interface `name` (at most 15 bytes).
    pub fn new(name: &[u8]) -> Result<IfReq, Error> {
        let mut r = IfReq::default();
        if name.len() >= r.name.len() || name.contains(&0) {
            return Err(Error::msg(format!(
                "interface name '{}' too long",
                String::from_utf8_lossy(name)
            )));
        }
        r.name[..name.len()].copy_from_slice(name);
        Ok(r)
    }

    /// The interface name.
    pub fn name(&self) -> &[u8] {
        let end = self.name.iter().position(|&b| b == 0).unwrap_or(16);
        &self.name[..end]
    }

    /// The union's first 16 bit field (`ifr_flags`).
    pub fn short(&self) -> u16 {
        u16::from_ne_bytes([self.data[0], self.data[1]])
    }

    /// Sets `ifr_flags`.
    pub fn set_short(&mut self, v: u16) {
        self.data[..2].copy_from_slice(&v.to_ne_bytes());
    }

    /// The union as an int (`ifr_mtu`, `ifr_metric`, `ifr_qlen`, `ifr_ifindex`).
    pub fn int(&self) -> i32 {
        i32::from_ne_bytes([self.data[0], self.data[1], self.data[2], self.data[3]])
    }

    /// Sets the union's int.
    pub fn set_int(&mut self, v: i32) {
        self.data[..4].copy_from_slice(&v.to_ne_bytes());
    }

    /// The union as a sockaddr_in's address, when its family is AF_INET.
    pub fn inet(&self) -> Option<Ipv4Addr> {
        (self.family() == libc::AF_INET as u16).then(|| sin_addr(&self.data))
    }

    /// The union as an AF_INET sockaddr_in holding `a`.
    pub fn set_inet(&mut self, a: Ipv4Addr) {
        self.data = [0; 24];
        self.data[..16].copy_from_slice(&sockaddr_in(a));
    }

    /// The sockaddr family (`sa_family`; the hardware type for SIOCGIFHWADDR).
    pub fn family(&self) -> u16 {
        self.short()
    }

    /// The hardware address bytes of a SIOCGIFHWADDR answer (`sa_data`).
    pub fn hw_bytes(&self) -> &[u8] {
        &self.data[2..16]
    }

    /// The union as a hardware sockaddr of type `family` with `bytes`.
    pub fn set_hw(&mut self, family: u16, bytes: &[u8]) {
        self.data = [0; 24];
        self.data[..2].copy_from_slice(&family.to_ne_bytes());
        let n = bytes.len().min(14);
        self.data[2..2 + n].copy_from_slice(&bytes[..n]);
    }

    /// The union as `struct ifmap`: mem_start, mem_end, base_addr, irq, dma.
    pub fn map(&self) -> (u64, u64, u16, u8, u8) {
        let u = |o: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&self.data[o..o + 8]);
            u64::from_ne_bytes(b)
        };
        (
            u(0),
            u(8),
            u16::from_ne_bytes([self.data[16], self.data[17]]),
            self.data[18],
            self.data[19],
        )
    }
}

/// A `struct sockaddr_in` for `a`, port 0.
pub fn sockaddr_in(a: Ipv4Addr) -> [u8; 16] {
    let mut s = [0u8; 16];
    s[..2].copy_from_slice(&(libc::AF_INET as u16).to_ne_bytes());
    s[4..8].copy_from_slice(&a.octets());
    s
}

/// The address of a `struct sockaddr_in` laid out in `s`.
fn sin_addr(s: &[u8]) -> Ipv4Addr {
    Ipv4Addr::new(s[4], s[5], s[6], s[7])
}

/// `struct in6_ifreq`: the argument of SIOCSIFADDR/SIOCDIFADDR on an AF_INET6 socket.
#[repr(C)]
pub struct In6IfReq {
    /// The address.
    pub addr: [u8; 16],
    /// The prefix length.
    pub prefixlen: u32,
    /// The interface index.
    pub ifindex: i32,
}

impl In6IfReq {
    /// A request for `addr/plen` on interface `ifindex`.
    pub fn new(addr: Ipv6Addr, plen: u32, ifindex: i32) -> In6IfReq {
        In6IfReq {
            addr: addr.octets(),
            prefixlen: plen,
            ifindex,
        }
    }
}

/// `struct rtentry` (x86_64 and other LP64 layouts).
#[repr(C)]
pub struct RtEntry {
    pad1: u64,
    /// Destination, an AF_INET sockaddr.
    pub dst: [u8; 16],
    /// Gateway.
    pub gateway: [u8; 16],
    /// Netmask.
    pub genmask: [u8; 16],
    /// RTF_* flags.
    pub flags: u16,
    pad2: i16,
    pad3: u64,
    pad4: *mut u8,
    /// Metric + 1 (the kernel subtracts one; 0 means "unset").
    pub metric: i16,
    /// Device name (NUL-terminated) or null.
    pub dev: *const u8,
    /// MSS.
    pub mtu: u64,
    /// TCP window.
    pub window: u64,
    /// Initial RTT.
    pub irtt: u16,
}

impl Default for RtEntry {
    fn default() -> RtEntry {
        RtEntry {
            pad1: 0,
            dst: [0; 16],
            gateway: [0; 16],
            genmask: [0; 16],
            flags: 0,
            pad2: 0,
            pad3: 0,
            pad4: std::ptr::null_mut(),
            metric: 0,
            dev: std::ptr::null(),
            mtu: 0,
            window: 0,
            irtt: 0,
        }
    }
}

/// `struct in6_rtmsg`: the argument of SIOCADDRT/SIOCDELRT on an AF_INET6 socket.
#[repr(C)]
#[derive(Default)]
pub struct In6Rtmsg {
    /// Destination prefix.
    pub dst: [u8; 16],
    /// Source prefix (unused).
    pub src: [u8; 16],
    /// Next hop.
    pub gateway: [u8; 16],
    /// Route type (unused).
    pub rtype: u32,
    /// Destination prefix length.
    pub dst_len: u16,
    /// Source prefix length.
    pub src_len: u16,
    /// Metric.
    pub metric: u32,
    /// Unused.
    pub info: u64,
    /// RTF_* flags.
    pub flags: u32,
    /// Interface index, 0 for any.
    pub ifindex: i32,
}

/// The index of interface `name` (SIOCGIFINDEX).
pub fn ifindex(sock: &Sock, name: &[u8]) -> Result<i32, Error> {
    let mut r = IfReq::new(name)?;
    sock.call(req::SIOCGIFINDEX, &mut r)?;
    Ok(r.int())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_match_the_kernel() {
        assert_eq!(std::mem::size_of::<IfReq>(), 40);
        assert_eq!(std::mem::size_of::<In6IfReq>(), 24);
        assert_eq!(std::mem::size_of::<RtEntry>(), 120);
        assert_eq!(std::mem::offset_of!(RtEntry, metric), 80);
        assert_eq!(std::mem::offset_of!(RtEntry, dev), 88);
        assert_eq!(std::mem::size_of::<In6Rtmsg>(), 80);
    }

    #[test]
    fn ifreq_fields() {
        let mut r = IfReq::new(b"eth0").unwrap();
        assert_eq!(r.name(), b"eth0");
        r.set_inet(Ipv4Addr::new(10, 1, 2, 3));
        assert_eq!(r.inet(), Some(Ipv4Addr::new(10, 1, 2, 3)));
        r.set_int(1500);
        assert_eq!(r.int(), 1500);
        assert!(IfReq::new(b"a-very-long-name").is_err());
    }
}
