#!/bin/sh
# Times rbox's file applets against GNU (coreutils, findutils, tar, gzip) and busybox on a
# generated tree of FILES small files (default 100000, in 10 x 100 directories), in one
# run, and prints the best of REPS wall-clock seconds with the ratios rbox/GNU and
# rbox/busybox. The tree lives in a fresh temp dir under TMPDIR (default /tmp; a tmpfs
# such as /dev/shm keeps disk latency out of cp -r and tar x), removed at the end; it
# needs about 1.5 GB there.
# Build first: cargo build --release -p rbox
#   benches/fs.sh [FILES]      RBOX=path/to/rbox  REPS=3  ONLY='cp* tar*' (shell patterns)
set -eu
files=${1:-100000}
reps=${REPS:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
rbox=${RBOX:-$here/target/x86_64-unknown-linux-gnu/release/rbox}
# The runs happen inside the temp dir: a relative RBOX would no longer name the binary.
case $rbox in /*) ;; *) rbox=$(pwd)/$rbox ;; esac
[ -x "$rbox" ] || { echo "fs.sh: no rbox binary at $rbox (build it or set RBOX)" >&2; exit 1; }
# The binary must be named rbox (or be a link to it): "$rbox ls" dispatches on argv[0].
"$rbox" true || { echo "fs.sh: $rbox does not run applets (is it named rbox?)" >&2; exit 1; }
[ "$files" -ge 1000 ] && [ "$files" -le 1000000 ] || { echo "fs.sh: FILES must be 1000..1000000" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/rbox-bench-fs.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
export LC_ALL=C TZ=UTC
cd "$work"

# The tree: top/DD/SS/fNNNNNN, 10 x 100 directories, file sizes spread over 0..4095
# bytes of text (about 200 MB in all); big.tar is the tree as one file for gzip.
per=$(( (files + 999) / 1000 ))
awk 'BEGIN {
    for (d = 0; d < 10; d++) for (s = 0; s < 100; s++) printf "top/%d/%02d\n", d, s
}' | xargs mkdir -p
awk -v files="$files" -v per="$per" 'BEGIN {
    line = "the quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ\n"
    while (length(line) < 8192) line = line line
    for (i = 0; i < files; i++) {
        dir = int(i / per)
        f = sprintf("top/%d/%02d/f%06d", int(dir / 100), dir % 100, i)
        printf "%s", substr(line, 1 + i % 61, (i * 7919) % 4096) > f
        close(f)
    }
}'
tar cf big.tar top
find top -type f > list
echo "tree: $(wc -l < list) files, $(du -sk top | cut -f1) KiB; big.tar $(du -k big.tar | cut -f1) KiB; best of $reps"

# secs PREFIX SNIPPET: wall seconds of the best of $reps runs of SNIPPET, where $P in
# it is the tool prefix ("" for GNU, "busybox", or the rbox binary). $PREP runs
# before each (untimed). n/a when the implementation lacks the applet.
secs() {
    best=
    i=0
    while [ $i -lt "$reps" ]; do
        i=$((i + 1))
        sh -c "${PREP:-:}"
        s=$(date +%s.%N)
        rc=0
        P=$1 sh -c "$2" > /dev/null 2>&1 || rc=$?
        e=$(date +%s.%N)
        if [ "$rc" = 127 ]; then echo n/a; return; fi
        best=$(echo "$s $e ${best:-}" | awk '{ t = $2 - $1; if ($3 != "" && $3 < t) t = $3; printf "%.3f", t }')
    done
    echo "$best"
}

printf '%-22s %8s %8s %8s %9s %9s\n' bench rbox gnu busybox rbox/gnu rbox/bb
run() {
    name=$1 snippet=$2
    if [ -n "${ONLY:-}" ]; then
        hit=no
        set -f
        for pat in $ONLY; do case $name in $pat) hit=yes ;; esac; done
        set +f
        [ $hit = yes ] || return 0
    fi
    r=$(secs "$rbox" "$snippet")
    g=$(secs "" "$snippet")
    b=$(secs busybox "$snippet")
    echo "$name $r $g $b" | awk 'function ratio(a, b) { return (a == "n/a" || b == "n/a" || b <= 0) ? "n/a" : sprintf("%.2f", a / b) }
        { printf "%-22s %8s %8s %8s %9s %9s\n", $1, $2, $3, $4, ratio($2, $3), ratio($2, $4) }'
}

run "ls_-lR" '$P ls -lR top'
run "find" '$P find top'
run "find_-name" '$P find top -name "*7*" -type f'
PREP='rm -rf copy' run "cp_-r" '$P cp -r top copy'
run "du_-s" '$P du -s top'
PREP='rm -rf out; mkdir out' run "tar_c|tar_x" '$P tar cf - top | $P tar xf - -C out'
run "gzip_-6" '$P gzip -6 -c big.tar'
run "sha256sum_tree" 'xargs $P sha256sum < list'
run "md5sum_tree" 'xargs $P md5sum < list'
run "sha256sum_big" '$P sha256sum big.tar'
run "md5sum_big" '$P md5sum big.tar'
run "cat_big" '$P cat big.tar'
run "cat_<big" '$P cat < big.tar'
