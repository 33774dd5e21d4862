#!/usr/bin/env bash
# bench/loopturns.sh: how each server's event loop turns under scenario 1's load, tpp against nginx-proxy. Same
# origin, config, pinning and wrk -c50 as bench/run.sh. After TURNS_WARMUP s of alternating warm-up, for each server
# and round: a 15 s wrk run, and 3 s into it, 3 s of perf's epoll tracepoints on the server's process (each wait's
# return value is the events it handed over; the time from one wait's return to the next wait is the loop's busy
# turn), then 3 s of `perf sched record` on the server's CPU (every task that ran there, and for how long).
# bench/loopturns.py prints, per run: waits, events per wait, busy time per turn and per event (p50/p90/p99/max),
# and the tasks that shared the server's CPU. Writes bench/out/loopturns/summary.txt.
# Knobs: TURNS_ROUNDS=2 TURNS_WARMUP=100 BENCH_PORT_OFFSET TPP_JAR TPP_JAVA_OPTS LOAD_CPU SERVER_CPU.
# Needs perf with tracepoints and sched events (root). The tracing slows both servers alike: compare the two, do not
# read the req/s or p99 of these runs as results.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out/loopturns"
ROUNDS="${TURNS_ROUNDS:-2}"
WARM="${TURNS_WARMUP:-100}"

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$BENCH/lib.sh"

EPOLL=syscalls:sys_enter_epoll_wait,syscalls:sys_exit_epoll_wait,syscalls:sys_enter_epoll_pwait
EPOLL="$EPOLL,syscalls:sys_exit_epoll_pwait,syscalls:sys_enter_epoll_pwait2,syscalls:sys_exit_epoll_pwait2"

[ -f "$JAR" ] || die "no $JAR (build it with: make build)"
"$ROOT/scripts/install-deps.sh" nginx wrk
command -v perf > /dev/null || die "perf is not installed (apt-get install linux-perf)"
rm -rf "$OUT"
mkdir -p "$OUT"
bench_ports
NGINX="$(listen_of nginx-proxy)"
trap cleanup EXIT
trap 'exit 130' INT TERM
log "loop turns, $ROUNDS rounds after ${WARM}s of warm-up per server (load $(cut -d' ' -f1-3 /proc/loadavg))"
start_nginx origin "$LOAD_CPU"
wait_http "http://$ORIGIN/" 200 || die "origin did not come up"
start_nginx nginx-proxy "$SERVER_CPU"
start_tpp plain "$CONF/tpp-plain.yaml" || die "tpp did not start"
for ((i = 1; i <= WARM / 20; i++)); do
  wrk_run "nginx-warmup-$i" 50 10 "http://$NGINX/"
  wrk_run "tpp-warmup-$i" 50 10 "http://$TPP/"
done
for ((r = 1; r <= ROUNDS; r++)); do
  for s in nginx tpp; do
    if [ "$s" = nginx ]; then
      url="http://$NGINX/" pid="$(pgrep -P "${PIDS[nginx-proxy]}" | head -1)"
    else
      url="http://$TPP/" pid="${PIDS[tpp-plain]}"
    fi
    wrk_run "$s-$r" 50 15 "$url" & # long enough to cover both recordings and perf's own start and stop
    w=$!
    sleep 3
    perf record -q -e "$EPOLL" -p "$pid" -o "$OUT/$s-$r.epoll.data" -- sleep 3 > /dev/null 2>&1 || true
    perf sched record -C "$SERVER_CPU" -o "$OUT/$s-$r.sched.data" -- sleep 3 > /dev/null 2>&1 || true
    wait "$w"
    perf script -i "$OUT/$s-$r.epoll.data" > "$OUT/$s-$r.epoll.txt" 2>/dev/null || true
    perf sched timehist -i "$OUT/$s-$r.sched.data" > "$OUT/$s-$r.sched.txt" 2>/dev/null || true
    rm -f "$OUT/$s-$r.epoll.data" "$OUT/$s-$r.sched.data"
  done
done
{
  echo "# loop turns under scenario 1's load, $(date -u +%Y-%m-%dT%H:%MZ), jar $JAR, load at end $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 "$BENCH/loopturns.py" "$OUT" "$ROUNDS"
} | tee "$OUT/summary.txt"
