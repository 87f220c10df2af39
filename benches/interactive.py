#!/usr/bin/env python3
"""Interactive shell benchmark (issue 5).

Usage: python3 benches/interactive.py [RBOX]   (default: target/.../release/rbox)

1. Idle memory: each shell (rbox sh, dash, bash, busybox sh) is started interactively on
   a pty, waited for until its prompt shows, left idle for half a second, then VmHWM (peak
   RSS) and VmRSS are read from /proc/PID/status, with the anonymous part from
   /proc/PID/smaps_rollup. Best of three starts.
2. Tab completion in a directory of 100 000 files: the wall time from Tab to the completed
   word on the screen (one match, a hundred matches listed with Tab Tab, a word that
   matches nothing), beside the time `ls -f` takes to read the same directory.
"""

import os
import pty
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

RBOX = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/x86_64-unknown-linux-gnu/release/rbox")
TMP = tempfile.mkdtemp(prefix="rbox-ibench-")
HOME = os.path.join(TMP, "home")
os.makedirs(HOME)
ENV = {"HOME": HOME, "TERM": "xterm", "PATH": "/usr/bin:/bin", "PS1": "P> ", "LC_ALL": "C"}
BIN = os.path.join(TMP, "bin")
os.makedirs(BIN)
os.symlink(RBOX, os.path.join(BIN, "rbox"))


def start(argv, cwd=HOME):
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        os.execve(argv[0], argv, ENV)
    return pid, fd


def wait_for(fd, pattern, seconds=30):
    buf = b""
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                break
            if re.search(pattern, buf):
                return buf
    raise SystemExit(f"timed out waiting for {pattern!r}; got {buf[-200:]!r}")


def stop(pid, fd):
    try:
        os.write(fd, b"exit\r")
        time.sleep(0.2)
        os.kill(pid, 9)
    except (OSError, ProcessLookupError):
        pass
    os.waitpid(pid, 0)
    os.close(fd)


def field(text, name):
    m = re.search(name + r":\s+(\d+)", text)
    return int(m.group(1)) if m else -1


def idle_memory(argv):
    best = None
    for _ in range(3):
        pid, fd = start(argv)
        wait_for(fd, rb"P> ")
        time.sleep(0.5)
        status = open(f"/proc/{pid}/status").read()
        rollup = open(f"/proc/{pid}/smaps_rollup").read()
        got = (field(status, "VmHWM"), field(status, "VmRSS"), field(rollup, "Anonymous"))
        stop(pid, fd)
        best = got if best is None or got[0] < best[0] else best
    return best


print("Idle interactive shell (kB; best of 3 starts)")
print(f"{'shell':12} {'VmHWM':>7} {'VmRSS':>7} {'anon':>7}")
shells = [("rbox sh", [os.path.join(BIN, "rbox"), "sh"])]
for name, argv in [("dash", ["dash", "-i"]), ("bash", ["bash", "--norc", "-i"]), ("busybox sh", ["busybox", "sh", "-i"])]:
    path = shutil.which(argv[0])
    if path:
        shells.append((name, [path] + argv[1:]))
for name, argv in shells:
    hwm, rss, anon = idle_memory(argv)
    print(f"{name:12} {hwm:7} {rss:7} {anon:7}")

big = os.path.join(TMP, "big")
os.makedirs(big)
for i in range(100000):
    open(os.path.join(big, f"file_{i:06d}"), "w").close()
open(os.path.join(big, "zz_only_one"), "w").close()
t0 = time.time()
subprocess.run(["ls", "-f", big], stdout=subprocess.DEVNULL, check=True)
ls_ms = (time.time() - t0) * 1000

print()
print("Tab completion in a directory of 100 001 files (ms, wall; median of 5)")
pid, fd = start([os.path.join(BIN, "rbox"), "sh"], cwd=big)
wait_for(fd, rb"P> ")
cases = [
    ("cat file_099998<Tab> (1 match)", b"cat file_099998", b"\t", rb"file_099998 "),
    ("cat file_0555<Tab><Tab> (100 listed)", b"cat file_0555", b"\t\t", rb"Display all|file_055599"),
    ("cat zz<Tab> (1 match, 100 000 skipped)", b"cat zz", b"\t", rb"zz_only_one "),
]
for label, typed, keys, want in cases:
    times = []
    for _ in range(5):
        os.write(fd, typed)
        wait_for(fd, re.escape(typed))
        t0 = time.time()
        os.write(fd, keys)
        wait_for(fd, want)
        times.append((time.time() - t0) * 1000)
        os.write(fd, b"n\x03")
        wait_for(fd, rb"P> ")
    times.sort()
    print(f"{label:42} {times[2]:7.1f}")
print(f"{'ls -f of the same directory':42} {ls_ms:7.1f}")
stop(pid, fd)
shutil.rmtree(TMP)
