#!/bin/sh
# Compares rbox awk with /usr/bin/awk (mawk here) and busybox awk on a generated 100 MB
# file: "sum a column" and "count by key", plus a few other common shapes.
# Usage: benches/awk.sh [RBOX_BINARY]   (default: the release build)
# The file is generated once into /tmp; each command runs three times (each bounded by
# timeout 120 s), the best time counts. Prints seconds and the ratios rbox/awk and
# busybox/rbox.
set -u
RBOX=${1:-$(dirname "$0")/../target/x86_64-unknown-linux-gnu/release/rbox}
DATA=/tmp/rbox-bench-awk-100M.txt
export LC_ALL=C

if [ ! -s "$DATA" ]; then
    # Five columns: a key from 5000, two numbers, a word, an id.
    /usr/bin/awk 'BEGIN {
        srand(7);
        split("alpha beta gamma delta epsilon zeta theta kappa lambda sigma", w, " ");
        n = 0;
        while (n < 100000000) {
            l = sprintf("k%d %d %.2f %s id%d", int(rand()*5000), int(rand()*1000),
                rand()*100, w[int(rand()*10)+1], int(rand()*1000000));
            print l; n += length(l) + 1;
        }
    }' > "$DATA"
fi

best() { # best of three wall-clock runs of "$@", output to a scratch file
    b=
    for _ in 1 2 3; do
        s=$(date +%s.%N)
        timeout 120 "$@" > /tmp/rbox-bench-awk.out 2>&1
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
    done
    echo "$b"
}

row() { # label, then the awk program
    label=$1; shift
    r=$(best "$RBOX" awk "$@" "$DATA")
    m=$(best /usr/bin/awk "$@" "$DATA")
    bb=$(best busybox awk "$@" "$DATA")
    printf '%-16s rbox %6.3fs  awk %6.3fs  busybox %6.3fs  rbox/awk %5.2f  busybox/rbox %5.2f\n' \
        "$label" "$r" "$m" "$bb" "$(echo "$r / $m" | bc -l)" "$(echo "$bb / $r" | bc -l)"
}

echo "/usr/bin/awk is $(readlink -f /usr/bin/awk)"
row "sum a column" '{ s += $3 } END { print s }'
row "count by key" '{ c[$1]++ } END { for (k in c) n++; print n }'
row "print fields" '{ print $4, $1 }'
row "regex filter" '/alpha.*id9/ { n++ } END { print n }'
row "NF and length" '{ n += NF; l += length($0) } END { print n, l }'
