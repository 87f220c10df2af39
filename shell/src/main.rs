//! The `rbox` binary: everything happens in `rbox_shell::multicall`.

fn main() {
    rbox_shell::multicall::main()
}
