//! Processes, identity and the system.

pub mod r#false;
pub mod r#true;
