//! What nearly every applet file imports.

pub use std::io::{BufRead, Read, Write};

pub use crate::applet::{Applet, InstallDir, Run};
pub use crate::ctx::Ctx;
pub use crate::error::Error;
pub use crate::opts::Arg;
