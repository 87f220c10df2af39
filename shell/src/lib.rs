//! rbox-shell: the interpreter, the interactive front end and multi-call dispatch.
//!
//! [`sh`] is the POSIX shell (the `sh` applet); [`applets`] merges it with the builtins
//! crate's registry. It also holds the dispatcher ([`multicall`]), the code that runs an applet as the
//! whole process ([`standalone`]), the command runner handed to spawner applets
//! ([`spawn`]) and `rbox --install` ([`install`]).

pub mod applets;
pub mod install;
pub mod interactive;
pub mod multicall;
pub mod sh;
pub mod spawn;
pub mod standalone;
