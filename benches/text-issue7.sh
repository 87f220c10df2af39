#!/bin/sh
# Issue 7's benchmark in one run: grep (literal, regex, -i, -v -c, -c literal, -o, -F with
# three patterns), sed (s///g over the whole file, -n /re/p, -n '$='), awk (sum a column,
# count by key, regex filter, NF and length), sort (-n -k2, -k2, plain strings), uniq -c,
# cut and wc, each against GNU (awk: /usr/bin/awk, mawk here) and busybox on one
# generated 100 MB file. Prints seconds (best of RUNS, default 3) and the ratios rbox/GNU
# and rbox/busybox (below 1: rbox is faster).
#   benches/text-issue7.sh [RBOX_BINARY]     (default: the release build)
#   RUNS=1 ONLY='sort*' benches/text-issue7.sh   (fewer runs, some rows only)
# Output goes to a file: GNU grep stops at the first match when stdout is /dev/null.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
RBOX=${1:-$here/target/x86_64-unknown-linux-gnu/release/rbox}
RUNS=${RUNS:-3}
DATA=${TMPDIR:-/tmp}/rbox-bench-issue7-100M.txt
SORTED=${TMPDIR:-/tmp}/rbox-bench-issue7-100M.sorted
OUT=${TMPDIR:-/tmp}/rbox-bench-issue7.out
export LC_ALL=C

if [ ! -s "$DATA" ]; then
    # Five columns: a key from 5000, an integer, a decimal, a word, an id;
    # "ERROR" for the word on about 1 line in 50.
    /usr/bin/awk 'BEGIN {
        srand(7); n = 0
        split("alpha beta gamma delta epsilon zeta theta kappa lambda sigma", w, " ")
        while (n < 100000000) {
            l = sprintf("k%d %d %.2f %s id%d", int(rand() * 5000), int(rand() * 1000),
                rand() * 100, (rand() < 0.02 ? "ERROR" : w[int(rand() * 10) + 1]),
                int(rand() * 1000000))
            print l; n += length(l) + 1
        }
    }' > "$DATA"
fi
[ -s "$SORTED" ] || sort "$DATA" > "$SORTED"

# best CMD ARGS...: the best wall time of RUNS runs, in seconds; n/a when the command
# does not exist (status 127).
best() {
    b=
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        i=$((i + 1))
        s=$(date +%s.%N)
        rc=0
        "$@" > "$OUT" 2>&1 || rc=$?
        e=$(date +%s.%N)
        if [ "$rc" = 127 ]; then echo n/a; return; fi
        t=$(echo "$s $e" | awk '{ printf "%.3f", $2 - $1 }')
        if [ -z "$b" ] || [ "$(echo "$t $b" | awk '{ print ($1 < $2) }')" = 1 ]; then b=$t; fi
    done
    echo "$b"
}

printf '%-22s %8s %8s %8s %9s %8s\n' "command (100 MB)" rbox gnu busybox rbox/gnu rbox/bb
# row NAME APPLET ARGS...: the applet with ARGS and the input last, under rbox, GNU (or
# /usr/bin/awk) and busybox. IN=file changes the input (default: the data file).
row() {
    name=$1; shift
    case $name in ${ONLY:-*}) ;; *) return ;; esac
    in=${IN:-$DATA}
    applet=$1; shift
    gnu=$applet
    [ "$applet" = awk ] && gnu=/usr/bin/awk
    r=$(best "$RBOX" "$applet" "$@" "$in")
    g=$(best "$gnu" "$@" "$in")
    b=$(best busybox "$applet" "$@" "$in")
    echo "$name $r $g $b" | awk '
        function ratio(a, b) { return (b == "n/a" || b <= 0) ? "n/a" : sprintf("%.2f", a / b) }
        { printf "%-22s %8s %8s %8s %9s %8s\n", $1, $2, $3, $4, ratio($2, $3), ratio($2, $4) }'
}

row grep_literal grep ERROR
row grep_-c_literal grep -c ERROR
row grep_regex grep 'k1[0-9]* .*id9'
row grep_-i grep -i error
row grep_-v_-c grep -v -c alpha
row grep_-o grep -o 'id[0-9]*'
row grep_-F_3_patterns grep -F -c -e ERROR -e kappa -e zeta
row sed_s///g sed 's/a/A/g'
row sed_-n_/re/p sed -n '/ERROR/p'
row "sed_-n_\$=" sed -n '$='
row awk_sum_column awk '{ s += $3 } END { print s }'
row awk_count_by_key awk '{ c[$1]++ } END { for (k in c) n++; print n }'
row awk_regex_filter awk '/alpha.*id9/ { n++ } END { print n }'
row awk_NF_and_length awk '{ n += NF; l += length($0) } END { print n, l }'
row sort_-n_-k2 sort -n -k2
row sort_-k2 sort -k2
row sort_strings sort
IN=$SORTED row uniq_-c uniq -c
row cut_-d_-f2 cut -d ' ' -f 2
row wc wc
