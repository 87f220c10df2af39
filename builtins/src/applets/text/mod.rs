//! Text output and text processing.

pub mod cat;
pub mod echo;
