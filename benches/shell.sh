#!/bin/sh
# Shell benchmark: rbox sh against dash and busybox sh on the same scripts.
# Usage: benches/shell.sh [RBOX]   (default: target/.../release/rbox)
# Prints CPU seconds (user + system) per shell and the ratio rbox/dash for each benchmark.
# "applets" and "tools" call small tools in a loop (basename, dirname, expr, test, printf,
# cat of a small file): rbox runs its applets in-process (cat in a fork without exec),
# dash runs the GNU tools from PATH (test and printf are dash builtins).
set -u
RBOX=${1:-target/x86_64-unknown-linux-gnu/release/rbox}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/rbin"
ln -s "$(cd "$(dirname "$RBOX")" && pwd)/$(basename "$RBOX")" "$tmp/rbin/sh"
for a in basename dirname true; do ln -s "$(cd "$(dirname "$RBOX")" && pwd)/$(basename "$RBOX")" "$tmp/rbin/$a"; done

cat > "$tmp/loop.sh" <<'S'
i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done
S
cat > "$tmp/arith.sh" <<'S'
i=0 s=0; while [ $i -lt 100000 ]; do s=$(( (s + i * 7) % 1000003 )); i=$((i+1)); done; echo $s >/dev/null
S
cat > "$tmp/func.sh" <<'S'
f() { r=$(( $1 + 1 )); }
i=0; while [ $i -lt 50000 ]; do f $i; i=$r; done
S
cat > "$tmp/string.sh" <<'S'
i=0; x=/usr/local/lib/libfoo.so.1.2
while [ $i -lt 50000 ]; do y=${x##*/}; z=${x%/*}; w=${y%%.*}; case $w in lib*) : ;; esac; i=$((i+1)); done
S
cat > "$tmp/split.sh" <<'S'
line="a b c d e f g h i j k l m n o p"
i=0; while [ $i -lt 20000 ]; do set -- $line; n=$#; for w in "$@"; do :; done; i=$((i+1)); done
S
cat > "$tmp/cmdsub.sh" <<'S'
i=0; while [ $i -lt 2000 ]; do x=$(echo hi); i=$((i+1)); done
S
cat > "$tmp/applets.sh" <<'S'
i=0; while [ $i -lt 2000 ]; do b=$(basename /usr/lib/x.so .so); d=$(dirname /usr/lib/x.so); i=$((i+1)); done
S
cat > "$tmp/read.sh" <<'S'
n=0; while read a b c; do n=$((n+1)); done < "${0%/*}/lines.txt"
S
awk 'BEGIN { for (i = 0; i < 100000; i++) print i, "two", "three four" }' > "$tmp/lines.txt"
cat > "$tmp/tools.sh" <<'S'
f=${0%/*}/small.txt
i=0; while [ $i -lt 1000 ]; do
  b=$(basename /usr/lib/x.so .so); i=$(expr $i + 1); test -f "$f"
  printf '%s %d\n' "$b" "$i" >/dev/null; c=$(cat "$f")
done
S
printf 'one\ntwo\n' > "$tmp/small.txt"
cat > "$tmp/fork.sh" <<'S'
i=0; while [ $i -lt 1000 ]; do true | true; (:); i=$((i+1)); done
S

t() { # shell script PATH -> CPU seconds (user + system) of the run, children included:
  # steadier than wall time on a loaded machine.
  ( PATH=$3 "$1" "$2" >/dev/null 2>&1; times ) | awk 'NR == 2 {
    n = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); n += p[1] * 60 + p[2] }
    printf "%.3f", n }'
}
printf '%-10s %8s %8s %8s %8s\n' bench rbox dash busybox rbox/dash
for b in loop arith func string split read cmdsub applets tools fork; do
  r=$(t "$tmp/rbin/sh" "$tmp/$b.sh" "$tmp/rbin:/usr/bin:/bin")
  d=$(t dash "$tmp/$b.sh" /usr/bin:/bin)
  if command -v busybox >/dev/null; then
    mkdir -p "$tmp/bb"; [ -e "$tmp/bb/sh" ] || busybox --install -s "$tmp/bb"
    bb=$(t "$tmp/bb/sh" "$tmp/$b.sh" "$tmp/bb")
  else bb=-; fi
  ratio=$(echo "$r $d" | awk '{ if ($2 > 0) printf "%.2f", $1/$2; else print "-" }')
  printf '%-10s %8s %8s %8s %8s\n' "$b" "$r" "$d" "$bb" "$ratio"
done
