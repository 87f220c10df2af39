#!/bin/sh
# Times rbox's text applets against GNU coreutils and busybox on a generated file and
# prints the ratios (rbox time / GNU time). Build first: cargo build --release -p rbox
#   benches/text.sh [SIZE_MB]        RBOX=path/to/rbox to time another binary
set -eu
size=${1:-100}
here=$(cd "$(dirname "$0")/.." && pwd)
rbox=${RBOX:-$here/target/x86_64-unknown-linux-gnu/release/rbox}
work=${TMPDIR:-/tmp}/rbox-bench-text
mkdir -p "$work"
data=$work/data-$size.txt
if [ ! -s "$data" ]; then
    # Lines of three fields: a word, a number, a word (about 30 bytes each).
    awk -v target=$((size * 1024 * 1024)) 'BEGIN {
        srand(42); n = 0
        split("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu", w, " ")
        while (n < target) {
            line = w[int(rand() * 12) + 1] int(rand() * 1000000) " " int(rand() * 100000) " " w[int(rand() * 12) + 1] "x" int(rand() * 1000)
            print line; n += length(line) + 1
        }
    }' > "$data"
fi
sorted=$work/sorted-$size.txt
[ -s "$sorted" ] || LC_ALL=C sort "$data" > "$sorted"
export LC_ALL=C

# Seconds (user+sys... wall clock, as /usr/bin/time gives it) of one run of "$@".
# Prints n/a when the command does not exist (busybox without that applet).
secs() {
    s=$(date +%s.%N)
    rc=0
    "$@" > /dev/null 2>&1 || rc=$?
    e=$(date +%s.%N)
    if [ "$rc" = 127 ]; then echo n/a; return; fi
    echo "$s $e" | awk '{ printf "%.2f", $2 - $1 }'
}

printf '%-26s %8s %8s %8s %8s %8s\n' "command ($size MB)" rbox gnu busybox rbox/gnu rbox/bb
# run NAME CMD ARGS...: time CMD under rbox, GNU and busybox. STDIN=file feeds stdin.
# ONLY=PATTERN (a shell pattern, e.g. 'sort*') runs only the matching benchmarks.
run() {
    name=$1; shift
    case $name in ${ONLY:-*}) ;; *) return ;; esac
    in=${STDIN:-/dev/null}
    r=$(secs "$rbox" "$@" < "$in")
    g=$(secs "$@" < "$in")
    b=$(secs busybox "$@" < "$in")
    echo "$name $r $g $b" | awk 'function ratio(a, b) { return (b == "n/a" || b <= 0) ? "n/a" : sprintf("%.2f", a / b) }
        { printf "%-26s %8s %8s %8s %8s %8s\n", $1, $2, $3, $4, ratio($2, $3), ratio($2, $4) }'
}
run "sort" sort "$data"
run "sort_-n_-k2" sort -n -k2 "$data"
run "sort_-t_-k3,3n" sort -t " " -k3,3n "$data"
run "sort_-u" sort -u "$data"
run "sort_-m" sort -m "$sorted" "$sorted"
run "wc" wc "$data"
run "wc_-l" wc -l "$data"
run "uniq_-c" uniq -c "$sorted"
run "cut_-d_-f2" cut -d " " -f 2 "$data"
run "cut_-c1-5" cut -c 1-5 "$data"
STDIN=$data run "tr_a-z_A-Z" tr a-z A-Z
run "head_-n1000000" head -n 1000000 "$data"
run "tail_-n1000000" tail -n 1000000 "$data"
run "tac" tac "$data"
run "rev" rev "$data"
run "paste" paste "$data" "$data"
run "fold_-w20" fold -w 20 "$data"
run "expand" expand "$data"
run "nl" nl "$data"
run "comm" comm "$sorted" "$sorted"
