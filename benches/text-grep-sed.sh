#!/bin/sh
# (Output goes to a file: GNU grep stops at the first match when stdout is /dev/null.)
# Compares rbox grep and sed with GNU and busybox on a generated 100 MB text file.
# Usage: benches/text-grep-sed.sh [RBOX_BINARY]   (default: the release build)
# The file is generated once into /tmp; each command runs three times, the best time
# counts. Prints seconds per tool and the ratios rbox/GNU and busybox/rbox.
set -u
RBOX=${1:-$(dirname "$0")/../target/x86_64-unknown-linux-gnu/release/rbox}
DATA=/tmp/rbox-bench-text-100M.txt
export LC_ALL=C

if [ ! -s "$DATA" ]; then
    # Log-like lines of words and numbers; "ERROR" on about 1 line in 50.
    awk 'BEGIN {
        srand(42);
        split("alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega", w, " ");
        n = 0;
        while (n < 100000000) {
            l = sprintf("2024-01-%02d host%03d %s[%d]: %s %s %s id=%d", int(rand()*28)+1,
                int(rand()*200), w[int(rand()*11)+1], int(rand()*99999),
                (rand() < 0.02 ? "ERROR" : "info"), w[int(rand()*11)+1],
                w[int(rand()*11)+1], int(rand()*1000000));
            print l; n += length(l) + 1;
        }
    }' > "$DATA"
fi

best() { # best of three wall-clock runs of "$@", output to a scratch file
    b=
    for _ in 1 2 3; do
        s=$(date +%s.%N)
        "$@" > /tmp/rbox-bench.out 2>&1
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
    done
    echo "$b"
}

row() { # label, then the applet arguments
    label=$1; shift
    r=$(best "$RBOX" "$@" "$DATA")
    g=$(best "$@" "$DATA")
    bb=$(best busybox "$@" "$DATA")
    printf '%-28s rbox %6.3fs  gnu %6.3fs  busybox %6.3fs  rbox/gnu %5.2f  busybox/rbox %5.2f\n' \
        "$label" "$r" "$g" "$bb" "$(echo "$r / $g" | bc -l)" "$(echo "$bb / $r" | bc -l)"
}

row "grep literal" grep ERROR
row "grep -c literal" grep -c ERROR
row "grep regex" grep 'host1[0-9]*.*ERROR'
row "grep -E alternation" grep -E 'kappa\[1|omega\[2'
row "grep -i" grep -i error
row "grep -v -c" grep -v -c info
row "grep -w" grep -w -c beta
row "grep -o" grep -o 'id=[0-9]*'
row "grep -F several" grep -F -c -e ERROR -e kappa -e zeta
row "sed s///g" sed 's/a/A/g'
row "sed regex s" sed 's/host\([0-9]*\)/h\1/'
row "sed -n /re/p" sed -n '/ERROR/p'
row "sed d + \$=" sed -n '$='
