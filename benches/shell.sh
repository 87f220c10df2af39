#!/bin/sh
# Shell benchmark: rbox sh against dash and busybox sh on the same scripts.
# Usage: benches/shell.sh [RBOX]   (default: target/.../release/rbox)
# Prints seconds per shell and the ratio rbox/dash for each benchmark.
# "applets" benchmarks call basename/dirname/expr-like tools in a loop: rbox runs its
# in-process applets, dash runs the GNU tools from PATH.
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
cat > "$tmp/fork.sh" <<'S'
i=0; while [ $i -lt 1000 ]; do true | true; (:); i=$((i+1)); done
S

t() { # shell script -> seconds
  s=$(date +%s.%N); PATH=$3 "$1" "$2" >/dev/null 2>&1; e=$(date +%s.%N)
  echo "$s $e" | awk '{printf "%.3f", $2-$1}'
}
printf '%-10s %8s %8s %8s %8s\n' bench rbox dash busybox rbox/dash
for b in loop arith func string split cmdsub applets fork; do
  r=$(t "$tmp/rbin/sh" "$tmp/$b.sh" "$tmp/rbin:/usr/bin:/bin")
  d=$(t dash "$tmp/$b.sh" /usr/bin:/bin)
  if command -v busybox >/dev/null; then
    mkdir -p "$tmp/bb"; [ -e "$tmp/bb/sh" ] || busybox --install -s "$tmp/bb"
    bb=$(t "$tmp/bb/sh" "$tmp/$b.sh" "$tmp/bb")
  else bb=-; fi
  ratio=$(echo "$r $d" | awk '{ if ($2 > 0) printf "%.2f", $1/$2; else print "-" }')
  printf '%-10s %8s %8s %8s %8s\n' "$b" "$r" "$d" "$bb" "$ratio"
done
