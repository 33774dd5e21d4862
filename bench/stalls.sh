#!/usr/bin/env bash
# bench/stalls.sh: what took the server's CPU during tpp's longest event-loop turns, over whole rounds. Scenario 1's
# origin, config, pinning and wrk -c50, and bench/run.sh's sequence: STALLS_WARMUP s of alternating 10 s warm-up runs
# of tpp and nginx-proxy, then STALLS_ROUNDS alternating rounds. During each tpp round, `perf record` on the server's
# CPU (every task there): the epoll wait tracepoints, every context switch, and a CPU sample with its call stack every
# 100 µs. tpp runs with -XX:+PreserveFramePointer, writes /tmp/perf-PID.map as it exits, and logs its safepoints and
# collections to OUT/safepoint.log. bench/stalls.py then lists, per round, the loop's longest turns and for each the
# tasks that ran on the CPU during it (samples per task, the switches in order) and the top stacks.
# Writes bench/out/stalls/summary.txt. Knobs: STALLS_ROUNDS=3 STALLS_WARMUP=90 STALLS_TURNS=6 TPP_JAR LOAD_CPU
# SERVER_CPU BENCH_PORT_OFFSET. Needs perf with tracepoints (root). The recording slows tpp (about a fifth): read the
# turns and what ran in them, not these rounds' req/s or p99.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out/stalls"
ROUNDS="${STALLS_ROUNDS:-3}"
WARM="${STALLS_WARMUP:-90}"
EVENTS=syscalls:sys_enter_epoll_wait,syscalls:sys_exit_epoll_wait,syscalls:sys_enter_epoll_pwait2
EVENTS="$EVENTS,syscalls:sys_exit_epoll_pwait2,sched:sched_switch"

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$BENCH/lib.sh"
TPP_JAVA_OPTS="$TPP_JAVA_OPTS -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit"
TPP_JAVA_OPTS="$TPP_JAVA_OPTS -Xlog:safepoint,gc:file=$OUT/safepoint.log:uptime"

[ -f "$JAR" ] || die "no $JAR (build it with: make build)"
"$ROOT/scripts/install-deps.sh" nginx wrk
command -v perf > /dev/null || die "perf is not installed (apt-get install linux-perf)"
rm -rf "$OUT"
mkdir -p "$OUT"
bench_ports
NGINX="$(listen_of nginx-proxy)"
trap cleanup EXIT
trap 'exit 130' INT TERM
log "stalls, $ROUNDS rounds after ${WARM}s of warm-up (load $(cut -d' ' -f1-3 /proc/loadavg))"
start_nginx origin "$LOAD_CPU"
wait_http "http://$ORIGIN/" 200 || die "origin did not come up"
start_tpp plain "$CONF/tpp-plain.yaml" || die "tpp did not start"
start_nginx nginx-proxy "$SERVER_CPU"
for ((i = 1; i * 10 <= WARM; i++)); do
  wrk_run "tpp-warmup-$i" 50 10 "http://$TPP/"
  wrk_run "nginx-warmup-$i" 50 10 "http://$NGINX/"
done
for ((r = 1; r <= ROUNDS; r++)); do
  perf record -q -k CLOCK_MONOTONIC -e "$EVENTS" -e cpu-clock/period=100000/ -g -C "$SERVER_CPU" \
    -o "$OUT/tpp-$r.data" -- sleep 11 > /dev/null 2>&1 &
  p=$!
  sleep 0.5
  wrk_run "tpp-$r" 50 10 "http://$TPP/"
  wait "$p" || true
  wrk_run "nginx-$r" 50 10 "http://$NGINX/"
done
tpp_pid="${PIDS[tpp-plain]}"
stop tpp-plain # the JVM writes its perf map as it exits
for ((r = 1; r <= ROUNDS; r++)); do
  perf script -F comm,tid,time,event,ip,sym,dso,trace -i "$OUT/tpp-$r.data" > "$OUT/tpp-$r.txt" 2>/dev/null || true
  rm -f "$OUT/tpp-$r.data"
done
rm -f "/tmp/perf-$tpp_pid.map"
{
  echo "# stalls of tpp's event loop under scenario 1's load, $(date -u +%Y-%m-%dT%H:%MZ), jar $JAR," \
    "load at end $(cut -d' ' -f1-3 /proc/loadavg)"
  for ((r = 1; r <= ROUNDS; r++)); do
    echo "round $r: $(sed -n 's/^Requests\/sec: *//p' "$OUT/tpp-$r.wrk") req/s, p99 $(sed -n 's/^ *99% *//p' "$OUT/tpp-$r.wrk")"
    python3 "$BENCH/stalls.py" "$OUT/tpp-$r.txt" "${STALLS_TURNS:-6}"
  done
} | tee "$OUT/summary.txt"
