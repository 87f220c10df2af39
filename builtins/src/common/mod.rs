//! Helpers shared by many applets (busybox's libbb): raw fd I/O and, as applets arrive,
//! option helpers, modes, the passwd/group readers, the tree walker, the resolver.

pub mod accountdb;
pub mod base64;
pub mod chunkbuf;
pub mod crypt;
pub mod dns;
pub mod escape;
pub mod fdio;
pub mod lines;
pub mod mode;
pub mod netlink;
pub mod num;
pub mod passwd;
pub mod path;
pub mod resolve;
pub mod shquote;
pub mod signal;
pub mod time;
pub mod walk;
