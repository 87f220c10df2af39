//! Parse and run arbitrary bytes in the shell's sandbox mode (no applets, no PATH, no
//! fork, redirections to /dev/null, a step budget): it must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::Once;

static INIT: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    INIT.call_once(|| {
        // `read` must not wait for a terminal: stdin is /dev/null.
        if let Ok(f) = std::fs::File::open("/dev/null") {
            use std::os::fd::AsRawFd;
            // SAFETY: dup2 between valid fds.
            unsafe { libc_dup2(f.as_raw_fd(), 0) };
        }
    });
    let cwd = std::env::current_dir().ok();
    rbox_shell::sh::run_sandboxed(data, 5000);
    if let Some(d) = cwd {
        let _ = std::env::set_current_dir(d);
    }
});

unsafe extern "C" {
    #[link_name = "dup2"]
    fn libc_dup2(old: i32, new: i32) -> i32;
}
