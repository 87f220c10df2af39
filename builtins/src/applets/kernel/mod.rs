//! Mounts and the kernel: mount, umount, sysctl, dmesg, chroot, root switching, loop devices, extended attributes.

use crate::applet::Applet;

pub mod getfattr;
pub mod setfattr;
pub mod sysctl;
mod xattr;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[&getfattr::APPLET, &setfattr::APPLET, &sysctl::APPLET];
