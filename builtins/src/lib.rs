//! rbox-builtins: every applet (utilities and daemons) and the helpers they share.
//!
//! The contract (DESIGN.md section 4): each applet file exports `pub const APPLET:
//! [`Applet`]` and a private `main(&mut Ctx) -> Result<(), Error>`; [`registry::APPLETS`]
//! lists them sorted; [`run::run`] is the one place a run is finished. Applets do all
//! their I/O through [`Ctx`]; clippy.toml forbids process stdout/stderr/env/exit/cwd here.

pub mod applet;
mod applets;
pub mod common;
pub mod ctx;
pub mod error;
pub mod opts;
pub mod prelude;
pub mod registry;
pub mod run;
#[cfg(test)]
pub mod testing;

pub use applet::{Applet, InstallDir, Run};
pub use ctx::{Ctx, Env, EnvList, Input, Output, Spawn};
pub use error::Error;
