#!/usr/bin/env bash
# bench/turnstacks.sh: what the event loop does in its longest turns, tpp against nginx-proxy, under scenario 1's load.
# Same origin, config, pinning and wrk -c50 as bench/run.sh, and its alternating warm-up (STACKS_WARMUP s of 10 s
# runs). Then per server and round, a 12 s wrk run and, 3 s into it, 4 s of `perf record` on the serving thread
# alone (tpp's event loop, nginx's worker): the epoll wait tracepoints (a turn is a wait's return to the next wait),
# its switches off the CPU, and a CPU sample with its call stack every STACKS_PERIOD ns of its CPU time. tpp runs
# with -XX:+PreserveFramePointer and writes /tmp/perf-PID.map at exit, so its JIT-compiled frames have names.
# bench/turnstacks.py then splits each run's turns into the longest STACKS_TOP (2 %) and the rest and ranks the
# frames by how many more samples per event they took in the long turns. Writes bench/out/turnstacks/summary.txt.
# Knobs: STACKS_ROUNDS=2 STACKS_WARMUP=100 STACKS_PERIOD=50000 STACKS_TOP=0.02 BENCH_PORT_OFFSET TPP_JAR LOAD_CPU
# SERVER_CPU. Needs perf with tracepoints (root). Sampling with stacks slows both servers alike (about a fifth):
# compare the two and the long turns with the rest; do not read these runs' req/s or p99 as results.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out/turnstacks"
ROUNDS="${STACKS_ROUNDS:-2}"
WARM="${STACKS_WARMUP:-100}"
PERIOD="${STACKS_PERIOD:-50000}"
TOP="${STACKS_TOP:-0.02}"
EVENTS=syscalls:sys_enter_epoll_wait,syscalls:sys_exit_epoll_wait,syscalls:sys_enter_epoll_pwait
EVENTS="$EVENTS,syscalls:sys_exit_epoll_pwait,syscalls:sys_enter_epoll_pwait2,syscalls:sys_exit_epoll_pwait2"
EVENTS="$EVENTS,sched:sched_switch"

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$BENCH/lib.sh"
TPP_JAVA_OPTS="$TPP_JAVA_OPTS -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit"

[ -f "$JAR" ] || die "no $JAR (build it with: make build)"
"$ROOT/scripts/install-deps.sh" nginx wrk
command -v perf > /dev/null || die "perf is not installed (apt-get install linux-perf)"
rm -rf "$OUT"
mkdir -p "$OUT"
bench_ports
NGINX="$(listen_of nginx-proxy)"
trap cleanup EXIT
trap 'exit 130' INT TERM
log "turn stacks, $ROUNDS rounds after ${WARM}s of warm-up (load $(cut -d' ' -f1-3 /proc/loadavg))"
start_nginx origin "$LOAD_CPU"
wait_http "http://$ORIGIN/" 200 || die "origin did not come up"
start_nginx nginx-proxy "$SERVER_CPU"
start_tpp plain "$CONF/tpp-plain.yaml" || die "tpp did not start"
for ((i = 1; i * 10 <= WARM; i++)); do
  wrk_run "tpp-warmup-$i" 50 10 "http://$TPP/"
  wrk_run "nginx-warmup-$i" 50 10 "http://$NGINX/"
done
tpp_pid="${PIDS[tpp-plain]}"
loop_tid="$(ps -T -p "$tpp_pid" -o spid=,comm= | awk '$2 ~ /^tpp-worker/ {print $1; exit}')"
nginx_worker="$(pgrep -P "${PIDS[nginx-proxy]}" | head -1)"
if [ -z "$loop_tid" ] || [ -z "$nginx_worker" ]; then die "no tpp event loop thread or nginx worker found"; fi
for ((r = 1; r <= ROUNDS; r++)); do
  for s in tpp nginx; do
    if [ "$s" = tpp ]; then url="http://$TPP/" tid="$loop_tid"; else url="http://$NGINX/" tid="$nginx_worker"; fi
    wrk_run "$s-$r" 50 12 "$url" &
    w=$!
    sleep 3
    perf record -q -k CLOCK_MONOTONIC -e "$EVENTS" -e "cpu-clock/period=$PERIOD/" -g -t "$tid" \
      -o "$OUT/$s-$r.data" -- sleep 4 > /dev/null 2>&1 || true
    wait "$w"
  done
done
stop "tpp-plain" # the JVM writes its perf map as it exits
for ((r = 1; r <= ROUNDS; r++)); do
  for s in tpp nginx; do
    perf script -F comm,tid,time,event,ip,sym,dso,trace -i "$OUT/$s-$r.data" > "$OUT/$s-$r.txt" 2>/dev/null || true
    rm -f "$OUT/$s-$r.data"
  done
done
rm -f "/tmp/perf-$tpp_pid.map"
{
  echo "# turn stacks under scenario 1's load, $(date -u +%Y-%m-%dT%H:%MZ), jar $JAR, load at end $(cut -d' ' -f1-3 /proc/loadavg)"
  for ((r = 1; r <= ROUNDS; r++)); do
    for s in tpp nginx; do python3 "$BENCH/turnstacks.py" "$OUT/$s-$r.txt" "$TOP"; done
  done
} | tee "$OUT/summary.txt"
