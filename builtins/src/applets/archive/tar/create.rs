//! Creating archives (`-c`): the operands walked with the shared walker, a header per
//! entry (hard links recorded once), file data streamed, the archive padded to GNU's
//! 10240-byte records.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;

use nix::fcntl::{OFlag, openat, readlinkat};
use nix::sys::stat::{FileStat, Mode, fstat};

use super::header::{self, BLOCK, Kind, Member};
use super::{Msgs, TarOpts, quote};
use crate::common::passwd::Accounts;
use crate::common::walk::{self, Action, Entry, Follow, Options};
use crate::prelude::*;

/// GNU's default record: 20 blocks.
const RECORD: u64 = 20 * BLOCK as u64;

struct Creator<'o, 'w> {
    o: &'o TarOpts,
    out: &'w mut dyn Write,
    written: u64,
    links: HashMap<(u64, u64), Vec<u8>>,
    accounts: Accounts,
    archive: Option<(u64, u64)>,
    warned: Vec<Vec<u8>>,
    width: usize,
    write_err: Option<io::Error>,
}

/// Runs `tar -c`; returns the status.
pub fn run(ctx: &mut Ctx<'_>, o: &TarOpts) -> Result<u8, Error> {
    if o.names.is_empty() && !o.from_list {
        let _ = ctx
            .stderr
            .write_all(b"tar: Cowardly refusing to create an empty archive\n");
        return Err(Error::silent(2));
    }
    let Ctx { stdout, stderr, .. } = ctx;
    let mut file = None;
    let mut archive_id = None;
    if o.file != b"-" {
        let f = std::fs::File::create(super::path(&o.file));
        match f {
            Ok(f) => {
                if let Ok(st) = fstat(f.as_fd()) {
                    archive_id = Some((st.st_dev, st.st_ino));
                }
                file = Some(io::BufWriter::with_capacity(64 * 1024, f));
            }
            Err(e) => {
                let mut m = b"tar: ".to_vec();
                m.extend_from_slice(&quote(&o.file));
                m.extend_from_slice(b": Cannot open: ");
                m.extend_from_slice(crate::error::strerror(&e).as_bytes());
                m.extend_from_slice(b"\ntar: Error is not recoverable: exiting now\n");
                let _ = stderr.write_all(&m);
                return Ok(2);
            }
        }
    }
    let (sink, msg_out): (&mut dyn Write, _) = match file.as_mut() {
        Some(f) => (f, Some(stdout)),
        None => (stdout, None),
    };
    let mut io = Msgs {
        out: msg_out,
        err: stderr,
        listing_to_err: false,
        status: 0,
        fatal: false,
    };
    let mut plain: Option<&mut dyn Write> = None;
    let mut gzw = None;
    if o.gzip {
        gzw = Some(super::gz::Encoder::new(sink, 6, None, 0).map_err(|e| Error::io(b"write", &e))?);
    } else {
        plain = Some(sink);
    }
    let out: &mut dyn Write = if let Some(g) = gzw.as_mut() {
        g
    } else if let Some(p) = plain.as_mut() {
        p
    } else {
        return Ok(2);
    };
    let mut c = Creator {
        o,
        out,
        written: 0,
        links: HashMap::new(),
        accounts: Accounts::load(),
        archive: archive_id,
        warned: Vec::new(),
        width: 19,
        write_err: None,
    };
    for (base, name) in &o.names {
        c.operand(base.as_deref(), name, &mut io);
        if c.write_err.is_some() {
            break;
        }
    }
    if c.write_err.is_none() {
        // Two zero blocks end the archive; then pad to a whole record.
        let end = c.written + 2 * BLOCK as u64;
        let total = end.div_ceil(RECORD) * RECORD;
        let zeros = vec![0u8; usize::try_from(total - c.written).unwrap_or(0)];
        c.put(&zeros);
    }
    let err = c.write_err.take();
    drop(c);
    let err = match (err, o.gzip) {
        (Some(e), _) => Some(e),
        (None, true) => gzw.and_then(|g| g.finish().err()),
        (None, false) => None,
    };
    let err = err.or_else(|| file.as_mut().and_then(|f| f.flush().err()));
    if let Some(e) = err {
        let mut m = b"Cannot write: ".to_vec();
        m.extend_from_slice(crate::error::strerror(&e).as_bytes());
        io.note(&m);
        io.note(b"Error is not recoverable: exiting now");
        return Ok(2);
    }
    if io.status != 0 {
        io.note(b"Exiting with failure status due to previous errors");
    }
    Ok(io.status)
}

/// The data chunks of a file with holes, from `SEEK_DATA`/`SEEK_HOLE`, ending with the
/// empty chunk at `size` GNU writes; `None` when the file system cannot tell (then it
/// is stored whole).
fn sparse_map(e: &Entry<'_>, size: u64) -> Option<Vec<(u64, u64)>> {
    use std::os::fd::AsRawFd as _;
    let flags = OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NOCTTY;
    let fd = openat(e.parent, e.name, flags, Mode::empty()).ok()?;
    let end = i64::try_from(size).ok()?;
    let mut map = Vec::new();
    let mut at: i64 = 0;
    while at < end {
        // SAFETY: lseek on an fd owned here, with no memory involved.
        let data = unsafe { libc::lseek(fd.as_raw_fd(), at, libc::SEEK_DATA) };
        if data < 0 {
            if std::io::Error::last_os_error().raw_os_error() == Some(libc::ENXIO) {
                break;
            }
            return None;
        }
        // SAFETY: as above.
        let hole = unsafe { libc::lseek(fd.as_raw_fd(), data, libc::SEEK_HOLE) };
        if hole < 0 {
            return None;
        }
        let hole = hole.min(end);
        map.push((u64::try_from(data).ok()?, u64::try_from(hole - data).ok()?));
        at = hole;
    }
    map.push((size, 0));
    Some(map)
}

/// The archive name for a path: leading `/` and `../` removed (with GNU's message once).
fn member_name(c: &mut Creator<'_, '_>, path: &[u8], io: &mut Msgs<'_, '_>) -> Vec<u8> {
    if c.o.absolute {
        return path.to_vec();
    }
    let mut start = 0;
    loop {
        let rest = path.get(start..).unwrap_or_default();
        if rest.starts_with(b"/") {
            start += 1;
        } else if rest.starts_with(b"../") {
            start += 3;
        } else if rest == b".." {
            start += 2;
        } else {
            break;
        }
    }
    if start > 0 {
        let removed = path.get(..start).unwrap_or_default().to_vec();
        if !c.warned.contains(&removed) {
            let mut m = b"Removing leading `".to_vec();
            m.extend_from_slice(&quote(&removed));
            m.extend_from_slice(b"' from member names");
            io.note(&m);
            c.warned.push(removed);
        }
    }
    let rest = path.get(start..).unwrap_or_default();
    if rest.is_empty() {
        b"./".to_vec()
    } else {
        rest.to_vec()
    }
}

impl Creator<'_, '_> {
    fn put(&mut self, data: &[u8]) {
        if self.write_err.is_some() {
            return;
        }
        match self.out.write_all(data) {
            Ok(()) => self.written += data.len() as u64,
            Err(e) => self.write_err = Some(e),
        }
    }

    fn operand(&mut self, base: Option<&[u8]>, name: &[u8], io: &mut Msgs<'_, '_>) {
        let (root, skip) = match base {
            Some(b) => {
                let mut r = b.to_vec();
                if !r.ends_with(b"/") {
                    r.push(b'/');
                }
                let skip = r.len();
                r.extend_from_slice(name);
                (r, skip)
            }
            None => (name.to_vec(), 0),
        };
        let opts = Options {
            follow: if self.o.deref {
                Follow::Always
            } else {
                Follow::Never
            },
            sort: true,
            max_depth: self.o.no_recursion.then_some(0),
            ..Options::default()
        };
        walk::walk(&root, &opts, &mut |e| self.entry(e, skip, io));
    }

    fn entry(&mut self, e: &Entry<'_>, skip: usize, io: &mut Msgs<'_, '_>) -> Action {
        use crate::common::walk::Kind as W;
        if self.write_err.is_some() || io.fatal {
            return Action::Stop;
        }
        let shown = e.path.get(skip..).unwrap_or_default();
        // GNU reports the stripped prefix as it meets the name, before looking at it.
        let mut name = if e.kind == W::DirPost {
            Vec::new()
        } else {
            member_name(self, shown, io)
        };
        match e.kind {
            W::DirPost => return Action::Continue,
            W::NoStat => {
                let mut m = quote(shown);
                m.extend_from_slice(b": Cannot stat: ");
                if let Some(err) = e.err {
                    m.extend_from_slice(crate::error::strerror(err).as_bytes());
                }
                io.error(&m);
                return Action::Continue;
            }
            W::Unreadable => {
                let mut m = quote(shown);
                m.extend_from_slice(b": Cannot open: ");
                if let Some(err) = e.err {
                    m.extend_from_slice(crate::error::strerror(err).as_bytes());
                }
                io.error(&m);
                return Action::Continue;
            }
            W::Cycle => {
                let mut m = quote(shown);
                m.extend_from_slice(b": File system loop detected");
                io.error(&m);
                return Action::Continue;
            }
            W::Dir | W::File => {}
        }
        let Some(st) = e.stat else {
            return Action::Continue;
        };
        if super::read::excluded(&self.o.excludes, shown) {
            return Action::Skip;
        }
        if self.archive == Some((st.st_dev, st.st_ino)) {
            let mut m = quote(shown);
            m.extend_from_slice(b": file is the archive; not dumped");
            io.note(&m);
            return Action::Continue;
        }
        if !self.o.absolute && shown.starts_with(b"/") && !self.warned.contains(&b"#hard".to_vec())
        {
            io.note(b"Removing leading `/' from hard link targets");
            self.warned.push(b"#hard".to_vec());
        }
        let Some(mut m) = self.member(e, st, &mut name, shown, io) else {
            return Action::Continue;
        };
        m.name = name;
        for note in self.o.transforms.member(&mut m, false) {
            io.note(note);
        }
        // -v shows the name as given, before any leading `/` was removed (or, with
        // --show-transformed-names, the name stored).
        let mut as_given = shown.to_vec();
        if m.kind == Kind::Dir && !as_given.ends_with(b"/") {
            as_given.push(b'/');
        }
        if self.o.show_transformed {
            as_given.clone_from(&m.name);
        }
        if self.o.verbose > 1 {
            let mut v = m.clone();
            v.name = as_given;
            let line = super::read::long_line(&v, self.o, &mut self.width);
            io.listing(&line);
        } else if self.o.verbose == 1 {
            io.listing(&quote(&as_given));
        }
        if m.kind == Kind::File
            && self.o.sparse
            && self.o.gnu
            && st.st_blocks.saturating_mul(512) < st.st_size
            && let Some(map) = sparse_map(e, m.size)
        {
            let stored: u64 = map.iter().map(|&(_, len)| len).sum();
            let h = header::build_sparse(&m, &map, stored);
            self.put(&h);
            self.sparse_data(e, &map, stored, shown, io);
            return Action::Continue;
        }
        let h = header::build(&m, self.o.gnu);
        self.put(&h);
        if m.kind == Kind::File {
            self.data(e, &m, shown, io);
        }
        Action::Continue
    }

    /// The member for an entry, or `None` when it is not archived (after saying why).
    fn member(
        &mut self,
        e: &Entry<'_>,
        st: &FileStat,
        name: &mut Vec<u8>,
        shown: &[u8],
        io: &mut Msgs<'_, '_>,
    ) -> Option<Member> {
        let fmt = st.st_mode & libc::S_IFMT;
        let kind = match fmt {
            libc::S_IFREG => Kind::File,
            libc::S_IFDIR => Kind::Dir,
            libc::S_IFLNK => Kind::Symlink,
            libc::S_IFCHR => Kind::Char,
            libc::S_IFBLK => Kind::Block,
            libc::S_IFIFO => Kind::Fifo,
            _ => {
                let mut m = quote(shown);
                m.extend_from_slice(b": socket ignored");
                io.note(&m);
                return None;
            }
        };
        let mut m = Member::new(Vec::new(), kind);
        m.mode = st.st_mode & 0o7777;
        m.uid = u64::from(st.st_uid);
        m.gid = u64::from(st.st_gid);
        if !self.o.numeric {
            m.uname = self
                .accounts
                .user_by_uid(st.st_uid)
                .map(|u| u.name.clone())
                .unwrap_or_default();
            m.gname = self
                .accounts
                .group_by_gid(st.st_gid)
                .map(|g| g.name.clone())
                .unwrap_or_default();
        }
        m.mtime = st.st_mtime;
        if let Some((uid, name)) = &self.o.owner {
            m.uid = *uid;
            m.uname.clone_from(name);
        }
        if let Some((gid, name)) = &self.o.group {
            m.gid = *gid;
            m.gname.clone_from(name);
        }
        if self.o.numeric {
            m.uname.clear();
            m.gname.clear();
        }
        if let Some(t) = self.o.mtime {
            m.mtime = t;
        }
        if let Some(change) = &self.o.mode {
            let umask = crate::common::mode::current_umask();
            m.mode = change.apply(m.mode, kind == Kind::Dir, umask) & 0o7777;
        }
        match kind {
            Kind::Dir if !name.ends_with(b"/") => name.push(b'/'),
            Kind::File => {
                m.size = u64::try_from(st.st_size).unwrap_or(0);
                if st.st_nlink > 1 {
                    let key = (st.st_dev, st.st_ino);
                    if let Some(first) = self.links.get(&key) {
                        m.kind = Kind::Hard;
                        m.link.clone_from(first);
                        m.size = 0;
                    } else {
                        self.links.insert(key, name.clone());
                    }
                }
            }
            Kind::Symlink => match readlinkat(e.parent, e.name) {
                Ok(t) => {
                    use std::os::unix::ffi::OsStringExt;
                    m.link = t.into_vec();
                }
                Err(err) => {
                    let mut msg = quote(shown);
                    msg.extend_from_slice(b": Cannot readlink: ");
                    let err = io::Error::from_raw_os_error(err as i32);
                    msg.extend_from_slice(crate::error::strerror(&err).as_bytes());
                    io.error(&msg);
                    return None;
                }
            },
            Kind::Char | Kind::Block => {
                m.major = nix::sys::stat::major(st.st_rdev) as u32;
                m.minor = nix::sys::stat::minor(st.st_rdev) as u32;
            }
            _ => {}
        }
        Some(m)
    }

    /// Streams the chunks of a sparse file, `stored` bytes in all (zero-padded if the
    /// file shrank), then the padding to a whole block.
    fn sparse_data(
        &mut self,
        e: &Entry<'_>,
        map: &[(u64, u64)],
        stored: u64,
        shown: &[u8],
        io: &mut Msgs<'_, '_>,
    ) {
        use std::os::unix::fs::FileExt as _;
        let flags = OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NOCTTY;
        let file = openat(e.parent, e.name, flags, Mode::empty()).map(std::fs::File::from);
        let mut buf = vec![0u8; 64 * 1024];
        let mut written = 0u64;
        if let Ok(f) = &file {
            'chunks: for &(off, len) in map {
                let mut done = 0u64;
                while done < len {
                    let want =
                        usize::try_from((len - done).min(buf.len() as u64)).unwrap_or(buf.len());
                    let n = match f.read_at(buf.get_mut(..want).unwrap_or_default(), off + done) {
                        Ok(0) => break 'chunks,
                        Ok(n) => n,
                        Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                        Err(err) => {
                            let mut msg = quote(shown);
                            msg.extend_from_slice(b": Read error: ");
                            msg.extend_from_slice(crate::error::strerror(&err).as_bytes());
                            io.error(&msg);
                            break 'chunks;
                        }
                    };
                    let chunk = buf.get(..n).unwrap_or_default();
                    if self.write_err.is_none() {
                        match self.out.write_all(chunk) {
                            Ok(()) => self.written += n as u64,
                            Err(err) => self.write_err = Some(err),
                        }
                    }
                    done += n as u64;
                    written += n as u64;
                }
            }
        }
        if written < stored {
            let zeros = vec![0u8; usize::try_from(stored - written).unwrap_or(0)];
            self.put(&zeros);
        }
        let rem = (stored % BLOCK as u64) as usize;
        if rem != 0 {
            self.put(&vec![0u8; BLOCK - rem]);
        }
    }

    /// Streams a regular file's data, exactly `m.size` bytes (zero-padded if it shrank).
    fn data(&mut self, e: &Entry<'_>, m: &Member, shown: &[u8], io: &mut Msgs<'_, '_>) {
        let mut flags = OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NOCTTY;
        if !e.followed {
            flags |= OFlag::O_NOFOLLOW;
        }
        let mut left = m.size;
        let opened = openat(e.parent, e.name, flags, Mode::empty());
        let mut buf = vec![0u8; 64 * 1024];
        match opened {
            Ok(fd) => {
                let mut f = std::fs::File::from(fd);
                while left > 0 {
                    let want = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
                    let n = match f.read(buf.get_mut(..want).unwrap_or_default()) {
                        Ok(0) => break,
                        Ok(n) => n,
                        Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                        Err(err) => {
                            let mut msg = quote(shown);
                            msg.extend_from_slice(b": Read error: ");
                            msg.extend_from_slice(crate::error::strerror(&err).as_bytes());
                            io.error(&msg);
                            break;
                        }
                    };
                    self.put(buf.get(..n).unwrap_or_default());
                    left -= n as u64;
                }
            }
            Err(err) => {
                let err = io::Error::from_raw_os_error(err as i32);
                let mut msg = quote(shown);
                msg.extend_from_slice(b": Cannot open: ");
                msg.extend_from_slice(crate::error::strerror(&err).as_bytes());
                io.error(&msg);
            }
        }
        if left > 0 {
            if left < m.size {
                let mut msg = quote(shown);
                let s = if left == 1 { "" } else { "s" };
                msg.extend_from_slice(
                    format!(": File shrank by {left} byte{s}; padding with zeros").as_bytes(),
                );
                io.error(&msg);
            }
            let zeros = vec![0u8; 64 * 1024];
            while left > 0 {
                let n = usize::try_from(left.min(zeros.len() as u64)).unwrap_or(0);
                self.put(zeros.get(..n).unwrap_or_default());
                left -= n as u64;
            }
        }
        let rem = (m.size % BLOCK as u64) as usize;
        if rem != 0 {
            self.put(&vec![0u8; BLOCK - rem]);
        }
    }
}
