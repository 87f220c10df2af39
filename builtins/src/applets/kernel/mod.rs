//! Mounts and the kernel: mount, umount, sysctl, dmesg, chroot, root switching, loop devices, extended attributes.

use crate::applet::Applet;

pub mod chroot;
pub mod dmesg;
pub mod getfattr;
pub mod losetup;
pub mod mount;
pub mod mountpoint;
pub mod mounts;
pub mod pivot_root;
pub mod setfattr;
pub mod switch_root;
pub mod sysctl;
pub mod umount;
mod xattr;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[
    &chroot::APPLET,
    &dmesg::APPLET,
    &getfattr::APPLET,
    &losetup::APPLET,
    &mount::APPLET,
    &mountpoint::APPLET,
    &pivot_root::APPLET,
    &setfattr::APPLET,
    &switch_root::APPLET,
    &sysctl::APPLET,
    &umount::APPLET,
];
