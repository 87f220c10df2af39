//! The shell's companions: text output and tests (`printf`, `test`, `[`, `expr`, `seq`,
//! `yes`, `sleep`). `printf`, `test` and `[` are also what the shell runs as builtins.

use crate::applet::Applet;

pub mod expr;
pub mod printf;
pub mod seq;
pub mod sleep;
pub mod test;
pub mod yes;

/// This group's applets, in any order (the registry sorts them).
pub const APPLETS: &[&Applet] = &[
    &expr::APPLET,
    &printf::APPLET,
    &seq::APPLET,
    &sleep::APPLET,
    &test::APPLET,
    &test::BRACKET,
    &yes::APPLET,
];
