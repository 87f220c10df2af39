//! A minimal rtnetlink layer for `ip`: a `NETLINK_ROUTE` socket, requests built from a
//! fixed header plus attributes (nested too), multipart dump parsing, and `NLMSG_ERROR`
//! replies turned into an errno with the kernel's extended-ack message.
//!
//! Messages are plain byte vectors; the fixed headers (`ifinfomsg`, `ifaddrmsg`, `rtmsg`)
//! are encoded by their owners with the little helpers here, so no `unsafe` casts of
//! structures are needed.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// `nlmsghdr` is 16 bytes; attributes and messages align to 4.
pub const HDR_LEN: usize = 16;
/// The extended-ack attribute holding the kernel's error text.
const NLMSGERR_ATTR_MSG: u16 = 1;

/// Rounds `n` up to netlink's 4-byte alignment.
pub const fn align(n: usize) -> usize {
    (n + 3) & !3
}

/// A failed request: the errno and, when the kernel gave one, its extended-ack text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NlError {
    /// The positive errno value.
    pub errno: i32,
    /// The kernel's explanation (`NLMSGERR_ATTR_MSG`), without a trailing NUL.
    pub message: Option<String>,
}

impl NlError {
    /// The error as an `io::Error` (the extended-ack text is dropped).
    pub fn io(&self) -> io::Error {
        io::Error::from_raw_os_error(self.errno)
    }
}

impl From<io::Error> for NlError {
    fn from(e: io::Error) -> NlError {
        NlError {
            errno: e.raw_os_error().unwrap_or(libc::EIO),
            message: None,
        }
    }
}

/// One request being built: the `nlmsghdr`, a fixed family header, then attributes.
#[derive(Debug, Clone)]
pub struct Request {
    buf: Vec<u8>,
}

impl Request {
    /// A request of message type `ty` with `flags` (`NLM_F_REQUEST` is added) and the
    /// fixed family header `fixed` (e.g. an encoded `ifinfomsg`).
    pub fn new(ty: u16, flags: u16, fixed: &[u8]) -> Request {
        let mut buf = vec![0u8; HDR_LEN];
        buf[4..6].copy_from_slice(&ty.to_ne_bytes());
        let flags = flags | libc::NLM_F_REQUEST as u16;
        buf[6..8].copy_from_slice(&flags.to_ne_bytes());
        buf.extend_from_slice(fixed);
        pad(&mut buf);
        Request { buf }
    }

    /// Appends attribute `ty` with `data`.
    pub fn attr(&mut self, ty: u16, data: &[u8]) -> &mut Request {
        let len = (4 + data.len()) as u16;
        self.buf.extend_from_slice(&len.to_ne_bytes());
        self.buf.extend_from_slice(&ty.to_ne_bytes());
        self.buf.extend_from_slice(data);
        pad(&mut self.buf);
        self
    }

    /// Appends a native-endian `u32` attribute.
    pub fn attr_u32(&mut self, ty: u16, v: u32) -> &mut Request {
        self.attr(ty, &v.to_ne_bytes())
    }

    /// Appends a NUL-terminated string attribute.
    pub fn attr_str(&mut self, ty: u16, s: &[u8]) -> &mut Request {
        let mut v = s.to_vec();
        v.push(0);
        self.attr(ty, &v)
    }

    /// Appends raw bytes (a fixed header inside a nested attribute), padded.
    pub fn raw(&mut self, data: &[u8]) -> &mut Request {
        self.buf.extend_from_slice(data);
        pad(&mut self.buf);
        self
    }

    /// Opens a nested attribute `ty`; close it with [`Request::nest_end`] and the token.
    pub fn nest_begin(&mut self, ty: u16) -> usize {
        let at = self.buf.len();
        self.buf.extend_from_slice(&0u16.to_ne_bytes());
        self.buf
            .extend_from_slice(&(ty | libc::NLA_F_NESTED as u16).to_ne_bytes());
        at
    }

    /// Closes the nested attribute opened at `at`, fixing its length.
    pub fn nest_end(&mut self, at: usize) -> &mut Request {
        let len = (self.buf.len() - at) as u16;
        self.buf[at..at + 2].copy_from_slice(&len.to_ne_bytes());
        self
    }

    /// The finished message bytes with its length and sequence number filled in.
    pub fn bytes(&mut self, seq: u32) -> &[u8] {
        let len = self.buf.len() as u32;
        self.buf[0..4].copy_from_slice(&len.to_ne_bytes());
        self.buf[8..12].copy_from_slice(&seq.to_ne_bytes());
        &self.buf
    }
}

fn pad(buf: &mut Vec<u8>) {
    buf.resize(align(buf.len()), 0);
}

/// One received message: its type, flags and the payload after the `nlmsghdr`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// `nlmsg_type` (`RTM_NEWLINK`, ...).
    pub ty: u16,
    /// `nlmsg_flags`.
    pub flags: u16,
    /// `nlmsg_seq`.
    pub seq: u32,
    /// The bytes after the header: the family header, then attributes.
    pub payload: Vec<u8>,
}

impl Message {
    /// The attributes after a fixed family header of `fixed` bytes.
    pub fn attrs(&self, fixed: usize) -> Attrs<'_> {
        Attrs::new(self.payload.get(align(fixed)..).unwrap_or(&[]))
    }
}

/// Splits a datagram into messages; a truncated trailing message is dropped.
pub fn split_messages(mut data: &[u8]) -> Vec<Message> {
    let mut out = Vec::new();
    while data.len() >= HDR_LEN {
        let len = u32_at(data, 0) as usize;
        if len < HDR_LEN || len > data.len() {
            break;
        }
        out.push(Message {
            ty: u16_at(data, 4),
            flags: u16_at(data, 6),
            seq: u32_at(data, 8),
            payload: data[HDR_LEN..len].to_vec(),
        });
        data = &data[align(len).min(data.len())..];
    }
    out
}

/// Decodes an `NLMSG_ERROR` payload: `Ok(())` for an ack (error 0), else the errno and
/// the extended-ack message if `NLM_F_ACK_TLVS` is set in `flags`.
pub fn decode_error(flags: u16, payload: &[u8]) -> Result<(), NlError> {
    if payload.len() < 4 {
        return Err(NlError {
            errno: libc::EPROTO,
            message: None,
        });
    }
    let code = i32::from_ne_bytes(payload[0..4].try_into().unwrap_or([0; 4]));
    if code == 0 {
        return Ok(());
    }
    let mut message = None;
    if flags & libc::NLM_F_ACK_TLVS as u16 != 0 && payload.len() >= 4 + HDR_LEN {
        // After the error code: the original request's header, and its payload as well
        // unless the kernel capped it.
        let orig_len = u32_at(payload, 4) as usize;
        let skip = if flags & libc::NLM_F_CAPPED as u16 != 0 {
            HDR_LEN
        } else {
            orig_len
        };
        if let Some(tlvs) = payload.get(4 + align(skip)..) {
            for (ty, data) in Attrs::new(tlvs) {
                if ty == NLMSGERR_ATTR_MSG {
                    let text = data.split(|&b| b == 0).next().unwrap_or(&[]);
                    message = Some(String::from_utf8_lossy(text).into_owned());
                }
            }
        }
    }
    Err(NlError {
        errno: -code,
        message,
    })
}

/// Decodes an `NLMSG_DONE` payload: a dump that failed part way carries a negative
/// errno there, followed by extended-ack attributes when `NLM_F_ACK_TLVS` is set.
pub fn decode_done(flags: u16, payload: &[u8]) -> Result<(), NlError> {
    let code = i32::from_ne_bytes(
        payload
            .get(..4)
            .and_then(|b| b.try_into().ok())
            .unwrap_or([0; 4]),
    );
    if code >= 0 {
        return Ok(());
    }
    let mut message = None;
    if flags & libc::NLM_F_ACK_TLVS as u16 != 0 {
        for (ty, data) in Attrs::new(&payload[4..]) {
            if ty == NLMSGERR_ATTR_MSG {
                let text = data.split(|&b| b == 0).next().unwrap_or(&[]);
                message = Some(String::from_utf8_lossy(text).into_owned());
            }
        }
    }
    Err(NlError {
        errno: -code,
        message,
    })
}

/// An iterator over netlink attributes: `(type without the flag bits, payload)`.
#[derive(Debug, Clone)]
pub struct Attrs<'a> {
    data: &'a [u8],
}

impl<'a> Attrs<'a> {
    /// Attributes packed in `data`.
    pub fn new(data: &'a [u8]) -> Attrs<'a> {
        Attrs { data }
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<(u16, &'a [u8])> {
        if self.data.len() < 4 {
            return None;
        }
        let len = u16_at(self.data, 0) as usize;
        let ty = u16_at(self.data, 2) & libc::NLA_TYPE_MASK as u16;
        if len < 4 || len > self.data.len() {
            self.data = &[];
            return None;
        }
        let payload = &self.data[4..len];
        self.data = &self.data[align(len).min(self.data.len())..];
        Some((ty, payload))
    }
}

/// A table of attributes indexed by type (the last one of each type wins).
#[derive(Debug, Default, Clone)]
pub struct AttrTable<'a> {
    slots: Vec<Option<&'a [u8]>>,
}

impl<'a> AttrTable<'a> {
    /// Collects `attrs` into a table.
    pub fn new(attrs: Attrs<'a>) -> AttrTable<'a> {
        let mut slots = Vec::new();
        for (ty, data) in attrs {
            let i = ty as usize;
            if slots.len() <= i {
                slots.resize(i + 1, None);
            }
            slots[i] = Some(data);
        }
        AttrTable { slots }
    }

    /// The payload of attribute `ty`, if present.
    pub fn get(&self, ty: u16) -> Option<&'a [u8]> {
        self.slots.get(ty as usize).copied().flatten()
    }

    /// Attribute `ty` as a native-endian `u32`.
    pub fn u32(&self, ty: u16) -> Option<u32> {
        self.get(ty)
            .and_then(|d| d.get(..4))
            .map(|d| u32::from_ne_bytes(d.try_into().unwrap_or([0; 4])))
    }

    /// Attribute `ty` as a `u8`.
    pub fn u8(&self, ty: u16) -> Option<u8> {
        self.get(ty).and_then(|d| d.first().copied())
    }

    /// Attribute `ty` as a string without its NUL terminator.
    pub fn str(&self, ty: u16) -> Option<&'a [u8]> {
        self.get(ty)
            .map(|d| d.split(|&b| b == 0).next().unwrap_or(&[]))
    }

    /// Nested attribute `ty` as a table of its own.
    pub fn nested(&self, ty: u16) -> Option<AttrTable<'a>> {
        self.get(ty).map(|d| AttrTable::new(Attrs::new(d)))
    }
}

/// A native-endian `u16` at `at` (0 when out of range).
pub fn u16_at(d: &[u8], at: usize) -> u16 {
    d.get(at..at + 2)
        .map(|b| u16::from_ne_bytes([b[0], b[1]]))
        .unwrap_or(0)
}

/// A native-endian `u32` at `at` (0 when out of range).
pub fn u32_at(d: &[u8], at: usize) -> u32 {
    d.get(at..at + 4)
        .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        .unwrap_or(0)
}

/// A native-endian `u64` at `at` (0 when out of range).
pub fn u64_at(d: &[u8], at: usize) -> u64 {
    d.get(at..at + 8)
        .map(|b| {
            let mut a = [0u8; 8];
            a.copy_from_slice(b);
            u64::from_ne_bytes(a)
        })
        .unwrap_or(0)
}

/// A `NETLINK_ROUTE` socket with extended acks turned on.
pub struct Socket {
    fd: OwnedFd,
    seq: u32,
}

impl Socket {
    /// Opens and binds a route socket.
    pub fn route() -> io::Result<Socket> {
        // SAFETY: plain socket(2) call; the result is checked before use.
        let fd = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                libc::NETLINK_ROUTE,
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a fresh descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        let one: libc::c_int = 1;
        for opt in [libc::NETLINK_EXT_ACK, libc::NETLINK_CAP_ACK] {
            // SAFETY: `one` outlives the call and its size is passed. Failure only costs
            // the kernel's extra error text, so the result is ignored.
            unsafe {
                libc::setsockopt(
                    fd.as_raw_fd(),
                    libc::SOL_NETLINK,
                    opt,
                    (&one as *const libc::c_int).cast(),
                    std::mem::size_of::<libc::c_int>() as libc::socklen_t,
                );
            }
        }
        // SAFETY: an all-zero sockaddr_nl is valid; the family is set below.
        let mut addr: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
        addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        // SAFETY: `addr` is a valid sockaddr_nl and its size is passed.
        let r = unsafe {
            libc::bind(
                fd.as_raw_fd(),
                (&addr as *const libc::sockaddr_nl).cast(),
                std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Socket { fd, seq: 1 })
    }

    /// Asks the kernel to check dump requests strictly and to apply the filters they
    /// carry (`NETLINK_GET_STRICT_CHK`): a dump of a missing routing table then fails.
    pub fn set_strict(&mut self) -> io::Result<()> {
        let one: libc::c_int = 1;
        // SAFETY: `one` outlives the call and its size is passed.
        let r = unsafe {
            libc::setsockopt(
                self.fd.as_raw_fd(),
                libc::SOL_NETLINK,
                libc::NETLINK_GET_STRICT_CHK,
                (&one as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    fn send(&mut self, req: &mut Request) -> io::Result<u32> {
        self.seq = self.seq.wrapping_add(1);
        let seq = self.seq;
        let bytes = req.bytes(seq);
        // SAFETY: an all-zero sockaddr_nl addresses the kernel.
        let mut addr: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
        addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        loop {
            // SAFETY: `bytes` and `addr` are valid for the lengths passed.
            let n = unsafe {
                libc::sendto(
                    self.fd.as_raw_fd(),
                    bytes.as_ptr().cast(),
                    bytes.len(),
                    0,
                    (&addr as *const libc::sockaddr_nl).cast(),
                    std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
                )
            };
            if n >= 0 {
                return Ok(seq);
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }

    /// Receives one datagram, sized first with `MSG_PEEK | MSG_TRUNC`.
    fn recv(&mut self) -> io::Result<Vec<u8>> {
        let mut probe = [0u8; 16];
        loop {
            // SAFETY: `probe` is writable for its length; MSG_TRUNC reports the real size.
            let n = unsafe {
                libc::recv(
                    self.fd.as_raw_fd(),
                    probe.as_mut_ptr().cast(),
                    probe.len(),
                    libc::MSG_PEEK | libc::MSG_TRUNC,
                )
            };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            let mut buf = vec![0u8; (n as usize).max(16)];
            // SAFETY: `buf` is writable for its length.
            let n =
                unsafe { libc::recv(self.fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            buf.truncate(n as usize);
            return Ok(buf);
        }
    }

    /// Sends a dump request and collects every message of the reply up to `NLMSG_DONE`.
    pub fn dump(&mut self, mut req: Request) -> Result<Vec<Message>, NlError> {
        let seq = self.send(&mut req)?;
        let mut out = Vec::new();
        loop {
            let data = self.recv()?;
            for m in split_messages(&data) {
                if m.seq != seq {
                    continue;
                }
                match m.ty {
                    t if t == libc::NLMSG_DONE as u16 => {
                        decode_done(m.flags, &m.payload)?;
                        return Ok(out);
                    }
                    t if t == libc::NLMSG_ERROR as u16 => decode_error(m.flags, &m.payload)?,
                    t if t == libc::NLMSG_NOOP as u16 => {}
                    _ => out.push(m),
                }
            }
        }
    }

    /// Sends a change request with `NLM_F_ACK` and waits for its acknowledgement.
    pub fn ack(&mut self, mut req: Request) -> Result<(), NlError> {
        let flags = u16_at(&req.buf, 6) | libc::NLM_F_ACK as u16;
        req.buf[6..8].copy_from_slice(&flags.to_ne_bytes());
        let seq = self.send(&mut req)?;
        loop {
            let data = self.recv()?;
            for m in split_messages(&data) {
                if m.seq == seq && m.ty == libc::NLMSG_ERROR as u16 {
                    return decode_error(m.flags, &m.payload);
                }
            }
        }
    }

    /// Sends a request that is answered by one message (e.g. `RTM_GETROUTE` for one
    /// address) and returns that message.
    pub fn call(&mut self, mut req: Request) -> Result<Message, NlError> {
        let seq = self.send(&mut req)?;
        loop {
            let data = self.recv()?;
            for m in split_messages(&data) {
                if m.seq != seq {
                    continue;
                }
                if m.ty == libc::NLMSG_ERROR as u16 {
                    decode_error(m.flags, &m.payload)?;
                    continue;
                }
                return Ok(m);
            }
        }
    }
}

/// `ifinfomsg` is 16 bytes: family, pad, type, index, flags, change.
pub const IFINFO_LEN: usize = 16;

/// Dumps every link (`RTM_GETLINK`, `AF_UNSPEC`): one `RTM_NEWLINK` message each, its
/// attributes after [`IFINFO_LEN`] bytes (for the applets that only read links).
pub fn link_dump(sock: &mut Socket) -> Result<Vec<Message>, NlError> {
    let links = sock.dump(Request::new(
        libc::RTM_GETLINK,
        libc::NLM_F_DUMP as u16,
        &[0; IFINFO_LEN],
    ))?;
    Ok(links
        .into_iter()
        .filter(|m| m.ty == libc::RTM_NEWLINK)
        .collect())
}

/// The interface index of a link message (`ifi_index`).
pub fn link_index(m: &Message) -> i32 {
    u32_at(&m.payload, 4) as i32
}

/// The `IFF_*` flags of a link message (`ifi_flags`).
pub fn link_flags(m: &Message) -> u32 {
    u32_at(&m.payload, 8)
}

/// Index and name (`IFLA_IFNAME`) of every link, in dump order.
pub fn link_names(sock: &mut Socket) -> Result<Vec<(i32, Vec<u8>)>, NlError> {
    Ok(link_dump(sock)?
        .iter()
        .map(|m| {
            let name = AttrTable::new(m.attrs(IFINFO_LEN))
                .str(libc::IFLA_IFNAME)
                .unwrap_or_default()
                .to_vec();
            (link_index(m), name)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_has_header_fixed_part_and_padded_attributes() {
        let mut r = Request::new(libc::RTM_NEWADDR, libc::NLM_F_CREATE as u16, &[1, 2, 3]);
        r.attr(libc::IFA_LABEL, b"lo\0").attr_u32(7, 0x01020304);
        let b = r.bytes(9).to_vec();
        assert_eq!(b.len(), 16 + 4 + 8 + 8);
        assert_eq!(u32_at(&b, 0), b.len() as u32);
        assert_eq!(u16_at(&b, 4), libc::RTM_NEWADDR);
        assert_eq!(
            u16_at(&b, 6),
            (libc::NLM_F_CREATE | libc::NLM_F_REQUEST) as u16
        );
        assert_eq!(u32_at(&b, 8), 9);
        assert_eq!(&b[16..20], &[1, 2, 3, 0]);
        assert_eq!(u16_at(&b, 20), 7);
        assert_eq!(u16_at(&b, 22), libc::IFA_LABEL);
        assert_eq!(&b[24..28], b"lo\0\0");
        let attrs: Vec<_> = Attrs::new(&b[20..]).collect();
        assert_eq!(
            attrs,
            vec![
                (libc::IFA_LABEL, &b"lo\0"[..]),
                (7, &0x01020304u32.to_ne_bytes()[..])
            ]
        );
    }

    #[test]
    fn nested_attributes_carry_their_length_and_flag() {
        let mut r = Request::new(libc::RTM_NEWLINK, 0, &[0; 16]);
        let n = r.nest_begin(libc::IFLA_LINKINFO);
        r.attr_str(libc::IFLA_INFO_KIND, b"veth");
        r.nest_end(n);
        let b = r.bytes(1).to_vec();
        let (ty, data) = Attrs::new(&b[32..]).next().unwrap();
        assert_eq!(ty, libc::IFLA_LINKINFO);
        assert_eq!(
            u16_at(&b, 34) & libc::NLA_F_NESTED as u16,
            libc::NLA_F_NESTED as u16
        );
        let inner = AttrTable::new(Attrs::new(data));
        assert_eq!(inner.str(libc::IFLA_INFO_KIND), Some(&b"veth"[..]));
    }

    fn message(ty: u16, flags: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&((16 + payload.len()) as u32).to_ne_bytes());
        v.extend_from_slice(&ty.to_ne_bytes());
        v.extend_from_slice(&flags.to_ne_bytes());
        v.extend_from_slice(&seq.to_ne_bytes());
        v.extend_from_slice(&0u32.to_ne_bytes());
        v.extend_from_slice(payload);
        v.resize(align(v.len()), 0);
        v
    }

    #[test]
    fn multipart_datagrams_split_into_messages() {
        let mut d = message(libc::RTM_NEWLINK, libc::NLM_F_MULTI as u16, 5, &[1, 2, 3]);
        d.extend(message(libc::NLMSG_DONE as u16, 0, 5, &[0; 4]));
        let ms = split_messages(&d);
        assert_eq!(ms.len(), 2);
        assert_eq!(ms[0].payload, vec![1, 2, 3]);
        assert_eq!(ms[0].seq, 5);
        assert_eq!(ms[1].ty, libc::NLMSG_DONE as u16);
        // A truncated tail is ignored rather than read past.
        assert_eq!(split_messages(&d[..d.len() - 2]).len(), 1);
    }

    #[test]
    fn error_payload_gives_errno_and_extack_text() {
        assert_eq!(decode_error(0, &0i32.to_ne_bytes()), Ok(()));
        let mut p = (-libc::EEXIST).to_ne_bytes().to_vec();
        p.extend(message(libc::RTM_NEWADDR, 0, 3, &[])); // the capped original header
        let plain = decode_error(0, &p).unwrap_err();
        assert_eq!((plain.errno, plain.message.clone()), (libc::EEXIST, None));
        let mut r = Request::new(0, 0, &[]);
        r.attr(NLMSGERR_ATTR_MSG, b"ipv4: Address already assigned\0");
        p.extend_from_slice(&r.bytes(0)[16..]);
        let flags = (libc::NLM_F_ACK_TLVS | libc::NLM_F_CAPPED) as u16;
        let e = decode_error(flags, &p).unwrap_err();
        assert_eq!(e.errno, libc::EEXIST);
        assert_eq!(e.message.as_deref(), Some("ipv4: Address already assigned"));
    }

    #[test]
    fn a_failed_dump_ends_with_an_errno_in_done() {
        assert_eq!(decode_done(0, &0i32.to_ne_bytes()), Ok(()));
        let mut p = (-libc::ENOENT).to_ne_bytes().to_vec();
        let mut r = Request::new(0, 0, &[]);
        r.attr(NLMSGERR_ATTR_MSG, b"ipv4: FIB table does not exist\0");
        p.extend_from_slice(&r.bytes(0)[16..]);
        let e = decode_done(libc::NLM_F_ACK_TLVS as u16, &p).unwrap_err();
        assert_eq!(e.errno, libc::ENOENT);
        assert_eq!(e.message.as_deref(), Some("ipv4: FIB table does not exist"));
    }

    #[test]
    fn attribute_table_reads_numbers_and_strings() {
        let mut r = Request::new(0, 0, &[]);
        r.attr_u32(libc::IFLA_MTU, 1500)
            .attr_str(libc::IFLA_IFNAME, b"eth0")
            .attr(libc::IFLA_OPERSTATE, &[6]);
        let b = r.bytes(0).to_vec();
        let t = AttrTable::new(Attrs::new(&b[16..]));
        assert_eq!(t.u32(libc::IFLA_MTU), Some(1500));
        assert_eq!(t.str(libc::IFLA_IFNAME), Some(&b"eth0"[..]));
        assert_eq!(t.u8(libc::IFLA_OPERSTATE), Some(6));
        assert_eq!(t.get(libc::IFLA_QDISC), None);
        // A bogus length ends the walk instead of reading out of bounds.
        assert_eq!(Attrs::new(&[200, 0, 1, 0, 9]).count(), 0);
    }

    #[test]
    fn link_names_include_loopback() {
        let mut s = Socket::route().unwrap();
        let names = link_names(&mut s).unwrap();
        assert!(names.iter().any(|(i, n)| *i > 0 && n == b"lo"), "{names:?}");
    }

    #[test]
    fn the_kernel_answers_a_link_dump() {
        // Every Linux kernel has route sockets; a sandbox without them fails here.
        let mut s = Socket::route().unwrap();
        let links = s
            .dump(Request::new(
                libc::RTM_GETLINK,
                libc::NLM_F_DUMP as u16,
                &[0; 16],
            ))
            .unwrap();
        assert!(links.iter().all(|m| m.ty == libc::RTM_NEWLINK));
        assert!(!links.is_empty());
    }
}
