//! Write a realistic shell script of about N bytes (default 1 MB) to stdout, for timing
//! the parser against `dash -n`: functions, case, if, loops, pipelines, here-documents,
//! quoting and expansions.
//!
//! `cargo run -p rbox-parser --example gen_script -- 1000000 > /tmp/big.sh`

use std::io::Write;

const BLOCK: &str = r#"# section @N@: helpers for @N@
log_@N@() {
    printf '%s: %s\n' "${0##*/}" "$*" >&2
}

check_@N@() {
    local_var=${1:-default}
    case "$local_var" in
        start|begin) echo "starting @N@" ;;
        stop) echo 'stopping'; return 1 ;;
        [0-9]*) n=$((local_var + @N@ * 2)); echo "$n" ;;
        *) log_@N@ "unknown: $local_var" ;;
    esac
    if [ -f "/etc/conf.@N@" ] && grep -q '^key=' /etc/conf.@N@ 2>/dev/null; then
        val=$(sed -n 's/^key=//p' /etc/conf.@N@ | head -n 1)
    elif test -d "$HOME/.cfg"; then
        val=`cat "$HOME/.cfg/@N@" 2>&1`
    else
        val=${val:+"$val"}${DEFAULT_@N@-none}
    fi
    for f in a b "c d" $val; do
        while read -r line; do
            [ -z "$line" ] && continue
            echo "${line%%#*}" | tr 'a-z' 'A-Z' >>"/tmp/out.$$"
        done <"$f" || true
    done
    cat <<END_@N@ | wc -l
value of val: $val
home is ${HOME} and pid $$
escaped \$dollar and \`tick\`
END_@N@
    cat <<-'RAW'
	literal $text here @N@
	RAW
    count=0
    until [ "$count" -ge 3 ]; do count=$((count + 1)); done
    ( cd /tmp && ls -l | awk '{ print $1 }' ) &
    wait
    return 0
}
"#;

fn main() {
    let size: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let mut out = Vec::with_capacity(size + BLOCK.len());
    let mut n = 0u32;
    while out.len() < size {
        out.extend_from_slice(BLOCK.replace("@N@", &n.to_string()).as_bytes());
        n += 1;
    }
    out.extend_from_slice(b"check_1 start\n");
    if std::io::stdout().write_all(&out).is_err() {
        std::process::exit(1);
    }
}
