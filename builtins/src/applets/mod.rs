//! The applets, one file each, grouped by area.

pub mod fs;
pub mod sys;
pub mod text;
