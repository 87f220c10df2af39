//! Files, directories and path names.

pub mod basename;
pub mod dirname;
