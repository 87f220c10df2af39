//! More file applets end to end: `ln -r`, and md5sum against known digests of files
//! the test writes. Expected texts were checked against GNU coreutils 9.1.

mod support;

use support::{rbox, run_in, scratch, text};

fn link_text(p: &std::path::Path) -> String {
    std::fs::read_link(p).unwrap().to_str().unwrap().to_owned()
}

#[test]
fn ln_sr_makes_the_link_text_relative_to_the_links_directory() {
    let d = scratch("ln-r");
    for dir in ["a", "c", "dir", "sub/deep", "real"] {
        std::fs::create_dir_all(d.join(dir)).unwrap();
    }
    std::fs::write(d.join("a/b"), "").unwrap();
    std::fs::write(d.join("f"), "").unwrap();
    std::os::unix::fs::symlink("a/b", d.join("sym")).unwrap();
    std::os::unix::fs::symlink("real", d.join("lnk")).unwrap();
    let abs_f = d.join("f");
    let abs_f = abs_f.to_str().unwrap();
    let runs: [(&[&str], &str); 9] = [
        (&["-svr", "a/b", "c/d"], "'c/d' -> '../a/b'\n"),
        (&["-svr", "f", "dir"], "'dir/f' -> '../f'\n"),
        (
            &["-svr", abs_f, "sub/deep/l"],
            "'sub/deep/l' -> '../../f'\n",
        ),
        (&["-svr", "nonexist/x", "y"], "'y' -> 'nonexist/x'\n"),
        // The target's symlinks are resolved: the link names what `sym` names.
        (&["-svr", "sym", "c/s2"], "'c/s2' -> '../a/b'\n"),
        (&["-svr", "f", "f2"], "'f2' -> 'f'\n"),
        (&["-svr", ".", "sub/dot"], "'sub/dot' -> '..'\n"),
        (
            &["-svr", "sub/deep", "sub/deep/up"],
            "'sub/deep/up' -> '.'\n",
        ),
        // So are the link directory's: lnk/x lives in real/.
        (
            &["--symbolic", "--relative", "-v", "f", "lnk/x"],
            "'lnk/x' -> '../f'\n",
        ),
    ];
    for (args, want) in runs {
        let mut argv = vec!["ln"];
        argv.extend_from_slice(args);
        let out = run_in(rbox(), &argv, b"", &d);
        assert_eq!(
            (out.status.code(), text(&out.stdout), text(&out.stderr)),
            (Some(0), want.to_owned(), String::new()),
            "ln {args:?}"
        );
    }
    assert_eq!(link_text(&d.join("c/d")), "../a/b");
    assert_eq!(std::fs::read(d.join("c/d")).unwrap(), b"");
    assert_eq!(link_text(&d.join("real/x")), "../f");
    assert!(d.join("sub/deep/l").exists() && d.join("sub/dot").is_symlink());
    // -t and -f with -r; the root as a target.
    let out = run_in(rbox(), &["ln", "-sr", "-t", "sub", "f"], b"", &d);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(link_text(&d.join("sub/f")), "../f");
    let out = run_in(rbox(), &["ln", "-sfr", "a/b", "sub/f"], b"", &d);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(link_text(&d.join("sub/f")), "../a/b");
    let out = run_in(rbox(), &["ln", "-sr", "/", "sub/root"], b"", &d);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let depth = d.join("sub").components().count() - 1;
    assert_eq!(link_text(&d.join("sub/root")), vec![".."; depth].join("/"));
}

#[test]
fn ln_r_needs_s_and_operands() {
    let d = scratch("ln-r-err");
    std::fs::write(d.join("f"), "").unwrap();
    let out = run_in(rbox(), &["ln", "-r", "f", "hard"], b"", &d);
    assert_eq!(
        (out.status.code(), text(&out.stderr)),
        (
            Some(1),
            "ln: cannot do --relative without --symbolic\n".to_owned()
        )
    );
    assert!(!d.join("hard").exists());
    let out = run_in(rbox(), &["ln", "-r"], b"", &d);
    assert_eq!(
        (out.status.code(), text(&out.stderr)),
        (
            Some(1),
            "ln: missing file operand\nUsage: ln [-sfnvrTLP] [-t DIR] TARGET... [LINK|DIR]\n"
                .to_owned()
        )
    );
    let out = run_in(rbox(), &["ln", "-svr", "f", "."], b"", &d);
    assert_eq!(
        (out.status.code(), text(&out.stderr)),
        (
            Some(1),
            "ln: failed to create symbolic link './f': File exists\n".to_owned()
        )
    );
}

#[test]
fn md5sum_of_files_across_block_boundaries() {
    // Digests of 'a' repeated N times, from GNU md5sum: N around the 55/56/64-byte
    // padding edges and past the 128 KiB read size.
    let d = scratch("md5-sizes");
    let cases = [
        (0usize, "d41d8cd98f00b204e9800998ecf8427e"),
        (55, "ef1772b6dff9a122358552954ad0df65"),
        (56, "3b0c8ac703f828b04c6c197006d17218"),
        (63, "b06521f39153d618550606be297466d5"),
        (64, "014842d480b571495a4a0363793f7367"),
        (65, "c743a45e0d2e6a95cb859adae0248435"),
        (131_073, "3124e19245cfd2c84a969ccb84b4b2bd"),
    ];
    let mut args = vec!["md5sum".to_owned()];
    let mut want = String::new();
    for (n, sum) in cases {
        let name = format!("a{n}");
        std::fs::write(d.join(&name), vec![b'a'; n]).unwrap();
        want.push_str(&format!("{sum}  {name}\n"));
        args.push(name);
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run_in(rbox(), &argv, b"", &d);
    assert_eq!(text(&out.stderr), "");
    assert_eq!(text(&out.stdout), want);
}
