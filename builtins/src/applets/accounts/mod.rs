//! Accounts: passwd, shadow and group files written atomically; crypt; su and login.

use crate::applet::Applet;

pub mod adduser;
pub mod chpasswd;
pub mod groupadd;
pub mod login;
pub mod mkpasswd;
pub mod passwd;
pub mod session;
pub mod su;
pub mod useradd;
pub mod userdel;
pub mod util;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[
    &adduser::ADDGROUP,
    &adduser::ADDUSER,
    &chpasswd::APPLET,
    &groupadd::APPLET,
    &login::APPLET,
    &mkpasswd::CRYPTPW,
    &mkpasswd::MKPASSWD,
    &passwd::APPLET,
    &su::APPLET,
    &useradd::APPLET,
    &userdel::DELGROUP,
    &userdel::DELUSER,
    &userdel::USERDEL,
];
