//! rbox-shell: the interpreter, the interactive front end and multi-call dispatch.
//!
//! For now it holds the dispatcher ([`multicall`]), the code that runs an applet as the
//! whole process ([`standalone`]), the command runner handed to spawner applets
//! ([`spawn`]) and `rbox --install` ([`install`]).

pub mod install;
pub mod multicall;
pub mod spawn;
pub mod standalone;
