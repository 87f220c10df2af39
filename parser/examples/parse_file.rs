//! Parse a shell script and report the time taken or the first error.
//!
//! `cargo run -p rbox-parser --release --example parse_file -- FILE [REPEAT]`

use std::time::Instant;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: parse_file FILE [REPEAT]");
        std::process::exit(2);
    };
    let repeat: u32 = args
        .next()
        .and_then(|s| s.to_str()?.parse().ok())
        .unwrap_or(1);
    let src = match std::fs::read(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("parse_file: {}: {e}", path.to_string_lossy());
            std::process::exit(2);
        }
    };
    let mut best = f64::MAX;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        match rbox_parser::syntax::parse_program(&src) {
            Ok(p) => {
                let secs = t.elapsed().as_secs_f64();
                best = best.min(secs);
                if repeat <= 1 {
                    println!(
                        "{} bytes, {} complete commands",
                        src.len(),
                        p.commands.len()
                    );
                }
            }
            Err(e) => {
                eprintln!("sh: {e} (column {})", e.column);
                std::process::exit(1);
            }
        }
    }
    println!(
        "parsed in {:.3} ms (best of {repeat}), {:.1} MB/s",
        best * 1e3,
        src.len() as f64 / best / 1e6
    );
}
