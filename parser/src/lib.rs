//! rbox-parser: the shell language as a pure library — bytes in, AST or error out.
//!
//! Nothing here touches file descriptors, the environment or the OS; the interpreter in
//! `rbox-shell` and the applets in `rbox-builtins` build on it.
//!
//! - [`syntax`]: the POSIX shell command language (lexer, grammar, AST, pretty-printer).
//! - [`arith`]: `$((...))` arithmetic: its own parser, AST and evaluator.
//! - [`pattern`]: POSIX pattern matching (`case`, `${x#p}`, globbing, `find -name`).
//! - [`regex`]: POSIX BRE/ERE for grep, sed, awk, expr and `[[ =~ ]]`.

pub mod arith;
pub mod pattern;
pub mod regex;
pub mod syntax;
