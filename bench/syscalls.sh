#!/usr/bin/env bash
# bench/syscalls.sh: system calls per request under scenario 1's load, tpp against nginx-proxy. Same origin, config,
# pinning and wrk -c50 as bench/run.sh; after a warm-up of each server, SYSCALL_ROUNDS alternating 10 s runs, each
# counted with perf's syscall tracepoints on the server's process (threads and children), divided by the requests
# wrk completed. Writes bench/out/syscalls/summary.txt. Knobs: SYSCALL_ROUNDS=2 SYSCALL_WARMUP=40 BENCH_PORT_OFFSET
# TPP_JAR TPP_JAVA_OPTS LOAD_CPU SERVER_CPU. Needs perf with tracepoints (root).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out/syscalls"
ROUNDS="${SYSCALL_ROUNDS:-2}"
WARM="${SYSCALL_WARMUP:-40}"

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$BENCH/lib.sh"

CALLS=(epoll_wait epoll_pwait epoll_pwait2 epoll_ctl recvfrom read readv write writev sendto sendmsg recvmsg
  timerfd_settime futex setsockopt getsockopt accept4 close)
events() { local c e=""; for c in "${CALLS[@]}"; do e="$e${e:+,}syscalls:sys_enter_$c"; done; echo "$e"; }

rm -rf "$OUT"
mkdir -p "$OUT"
trap cleanup EXIT
trap 'exit 130' INT TERM
bench_ports
start_nginx origin "$LOAD_CPU"
wait_http "http://$ORIGIN/" 200 || die "origin did not come up"
start_nginx nginx-proxy "$SERVER_CPU"
start_tpp plain "$CONF/tpp-plain.yaml" || die "tpp did not start"
declare -A URL=([nginx-proxy]="http://$(listen_of nginx-proxy)/" [tpp-plain]="http://$TPP/")
for s in nginx-proxy tpp-plain; do wrk_run "$s-warmup" 50 "$WARM" "${URL[$s]}"; done
for ((r = 1; r <= ROUNDS; r++)); do
  for s in nginx-proxy tpp-plain; do
    pid="${PIDS[$s]}"
    targets="$(pgrep -d, -P "$pid" || true)"
    targets="$pid${targets:+,$targets}"
    perf stat -x, -e "$(events)" -p "$targets" -o "$OUT/$s-$r.perf" -- sleep 10 &
    perf=$!
    wrk_run "$s-$r" 50 10 "${URL[$s]}"
    wait "$perf" || true
    requests="$(awk '/requests in/ {print $1}' "$OUT/$s-$r.wrk")"
    echo "== $s round $r: $requests requests"
    grep -v '^#' "$OUT/$s-$r.perf" | awk -F, -v r="$requests" \
      'NF > 2 && $1 + 0 > 0 {sub("syscalls:sys_enter_", "", $3); printf "%-16s %10d  %.3f per request\n", $3, $1, $1 / r}'
  done
done | tee "$OUT/summary.txt"
