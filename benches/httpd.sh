#!/bin/sh
# Loads rbox httpd, busybox httpd and nginx (1 worker, and auto) with wrk on 127.0.0.1,
# one after the other in one run, for a 1 KiB, a 100 KiB and a 10 MiB file; prints
# req/s, throughput, p99 latency, and the server's idle and peak RSS.
# Needs: apt-get install wrk nginx busybox. Build first: cargo build --release -p rbox
#   benches/httpd.sh                 DURATION=10s CONNS=50 THREADS=2 to change the load
#   RBOX=path/to/rbox                ONLY='rbox*' to run only matching servers
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
rbox=${RBOX:-$here/target/x86_64-unknown-linux-gnu/release/rbox}
dur=${DURATION:-10s}
conns=${CONNS:-50}
threads=${THREADS:-2}
work=${TMPDIR:-/tmp}/rbox-bench-httpd
rm -rf "$work"
mkdir -p "$work/www"
head -c 1024 /dev/urandom > "$work/www/1k.bin"
head -c 102400 /dev/urandom > "$work/www/100k.bin"
head -c 10485760 /dev/urandom > "$work/www/10m.bin"
port=18480

# kib PID FIELD: a /proc/PID/status field (VmRSS, VmHWM) in KiB, summed over PID and
# its children (nginx workers, busybox per-connection children that are still alive).
kib() {
    total=0
    for p in $1 $(cat /proc/$1/task/*/children 2>/dev/null); do
        v=$(awk -v f="$2:" '$1 == f { print $2 }' /proc/$p/status 2>/dev/null || true)
        total=$((total + ${v:-0}))
    done
    echo $total
}

wait_port() {
    i=0
    until curl -s -o /dev/null "http://127.0.0.1:$port/1k.bin"; do
        i=$((i + 1))
        [ $i -lt 100 ] || { echo "server on $port did not start" >&2; exit 1; }
        sleep 0.1
    done
}

nginx_conf() {
    cat > "$work/nginx-$1.conf" <<EOF
worker_processes $1;
daemon off;
pid $work/nginx-$1.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    server {
        listen 127.0.0.1:$port;
        root $work/www;
    }
}
EOF
}

printf '%-18s %-8s %10s %12s %10s %9s %9s\n' server file req/s MB/s p99 idle_KiB peak_KiB
# bench NAME CMD...: start the server in the foreground, load it, stop it.
bench() {
    name=$1
    shift
    case $name in ${ONLY:-*}) ;; *) return ;; esac
    "$@" > /dev/null 2>&1 &
    pid=$!
    wait_port
    sleep 0.5
    idle=$(kib $pid VmRSS)
    for f in 1k.bin 100k.bin 10m.bin; do
        out=$(wrk -t"$threads" -c"$conns" -d"$dur" --latency "http://127.0.0.1:$port/$f" 2>&1)
        rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
        tput=$(echo "$out" | awk '/^Transfer\/sec/ { v = $2; u = substr(v, length(v) - 1); n = v + 0
            if (u == "GB") n *= 1024; else if (u == "KB") n /= 1024; else if (u != "MB") n /= 1048576
            printf "%.1f", n }')
        p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
        peak=$(kib $pid VmHWM)
        printf '%-18s %-8s %10s %12s %10s %9s %9s\n' "$name" "$f" "${rps:-?}" "${tput:-?}" "${p99:-?}" "$idle" "$peak"
    done
    kill $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
    port=$((port + 1))
}

bench rbox "$rbox" httpd -f -p "127.0.0.1:$port" -h "$work/www"
bench busybox busybox httpd -f -p "127.0.0.1:$port" -h "$work/www"
nginx_conf 1
bench nginx-1-worker nginx -c "$work/nginx-1.conf"
nginx_conf auto
bench nginx-auto nginx -c "$work/nginx-auto.conf"
echo "(wrk -t$threads -c$conns -d$dur; $(nproc) cores)"
