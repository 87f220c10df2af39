//! Running applets in-process with memory I/O, for unit tests: no fork, no binary.

use std::io;

use crate::ctx::{Ctx, EnvList, Input, Output, Spawn};
use crate::registry;

/// What a test run of an applet produced.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The exit status.
    pub status: u8,
    /// Everything written to standard output.
    pub stdout: Vec<u8>,
    /// Everything written to standard error.
    pub stderr: Vec<u8>,
}

impl Outcome {
    /// Standard output as text (lossy), for readable assertions.
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Standard error as text (lossy), for readable assertions.
    pub fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// A spawner for tests of applets that do not run other commands.
struct NoSpawn;

impl Spawn for NoSpawn {
    fn run(&self, _argv: &[Vec<u8>], _env: &[(Vec<u8>, Vec<u8>)]) -> io::Result<u8> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "no command runner in this test",
        ))
    }
}

/// Runs the applet `name` with `args` and `stdin` in memory.
pub fn run(name: &str, args: &[&str], stdin: &[u8]) -> Outcome {
    let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
    run_bytes(name, &args, stdin)
}

/// Runs the applet `name` with byte-string `args` and `stdin` in memory.
pub fn run_bytes(name: &str, args: &[Vec<u8>], stdin: &[u8]) -> Outcome {
    run_with_env(name, args, stdin, &[])
}

/// Like [`run_bytes`] with the environment `env` (`("TZ", "UTC")`, ...).
pub fn run_with_env(name: &str, args: &[Vec<u8>], stdin: &[u8], env: &[(&str, &str)]) -> Outcome {
    let applet = registry::find(name.as_bytes()).unwrap_or_else(|| panic!("no applet {name}"));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let env = EnvList(
        env.iter()
            .map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec()))
            .collect(),
    );
    let status = {
        let mut ctx = Ctx {
            applet,
            args,
            stdin: Input::mem(stdin),
            stdout: Output::mem(&mut out),
            stderr: Output::mem(&mut err),
            env: &env,
            spawn: &NoSpawn,
            intr: &|| false,
            status: 0,
        };
        crate::run::run(&mut ctx)
    };
    Outcome {
        status,
        stdout: out,
        stderr: err,
    }
}

/// A fresh empty directory under the system temp dir for a test, removed by the caller.
pub fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rbox-test-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("mkdir {}: {e}", dir.display()));
    dir
}
