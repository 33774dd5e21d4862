#!/usr/bin/env bash
# `make profile`: scenario 1 (plain proxy, bench/run.sh) under async-profiler, for finding where tpp's CPU and
# allocations go; `PROFILE_SCENARIO=h2 make profile`: scenario h2's proxied path instead (h2load -c 50 -m 10
# over TLS on /, bench/h2.sh), which also counts the origin connections each proxy opens per request (tpp, then
# nginx http2 for one window, from the origin's stub_status); PROFILE_PATH=/hello profiles the path tpp answers
# itself. Scenario h2 ends with syscalls and TLS records per 1,000 requests of tpp and nginx (bench/h2syscalls.sh,
# under strace). Writes into bench/profiles/COMMIT/ (COMMIT = git HEAD, "-dirty" when the tree has changes; "-h2"
# appended for scenario h2, "-h2-hello" with PROFILE_PATH=/hello):
#   syscalls.txt (h2) write/read/epoll_wait calls and TLS records per 1,000 requests, tpp and nginx
#   cpu.html    CPU flame graph of the whole JVM (event loop, JIT, GC) over one measured window
#   alloc.html  allocation flame graph (bytes, sampled by TLAB) over a second window
#   summary.txt requests, req/s, CPU per request, bytes allocated per request (JFR's per-thread counters at the
#               start and end of the first window), GC and safepoint pauses during both windows (-Xlog), and
#               the proxy's threads in the first window: CPU each took from the proxy's one CPU, and how long
#               each waited, runnable, for the CPU (the scheduler's run delay, /proc/PID/task/TID/schedstat)
# Raw files (wrk output, gc.log, the JFR recording, the proxy's log) stay in bench/out/profile/ (git-ignored).
# Knobs: PROFILE_SCENARIO=plain|h2 PROFILE_PATH=/ (h2: / or /hello) PROFILE_SECONDS=20 (each window) BENCH_WARMUP=20 PROFILE_EVENT=cpu (or itimer where perf_events are
#   not allowed) PROFILE_DIR BENCH_PORT_OFFSET (bench/lib.sh) TPP_JAVA_OPTS LOAD_CPU SERVER_CPU TPP_JAR ASYNC_PROFILER_LIB (else fetched with Maven: MVN).
# Figures from a busy host are indicative; CPU and bytes per request are the least distorted (bench/README.md).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out/profile"
SECONDS_PER_WINDOW="${PROFILE_SECONDS:-20}"
WARMUP="${BENCH_WARMUP:-20}"
SCENARIO="${PROFILE_SCENARIO:-plain}"
H2_PATH="${PROFILE_PATH:-/}"

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$BENCH/lib.sh"
# shellcheck source-path=SCRIPTDIR source=h2.sh
. "$BENCH/h2.sh"
# shellcheck source-path=SCRIPTDIR source=h2syscalls.sh
. "$BENCH/h2syscalls.sh"
case "$SCENARIO" in
  plain) SERVER="tpp-plain" ;;
  h2) SERVER="tpp-h2" ;;
  *) die "PROFILE_SCENARIO=$SCENARIO: expected plain or h2" ;;
esac

# The native library inside the Maven artifact tools.profiler:async-profiler (linux-x64 or linux-arm64).
profiler_lib() {
  if [ -n "${ASYNC_PROFILER_LIB:-}" ]; then echo "$ASYNC_PROFILER_LIB"; return; fi
  local dir="$OUT/async-profiler" version=4.1 arch
  arch="$(uname -m)"
  case "$arch" in x86_64) arch=linux-x64 ;; aarch64) arch=linux-arm64 ;; *) die "no async-profiler for $arch" ;; esac
  # shellcheck disable=SC2086 # MVN is a command with flags
  ${MVN:-mvn -B -ntp} -q dependency:copy -Dartifact="tools.profiler:async-profiler:$version" \
    -DoutputDirectory="$dir" >&2
  (cd "$dir" && unzip -oq "async-profiler-$version.jar" "$arch/libasyncProfiler.so")
  echo "$dir/$arch/libasyncProfiler.so"
}

# asprof COMMAND: async-profiler's agent command (start,..., stop,file=...) in the running proxy.
asprof() { jcmd "${PIDS[$SERVER]}" JVMTI.agent_load "$LIB" "\"$1\"" > /dev/null; } # quoted: jcmd splits key=value
uptime_s() { jcmd "${PIDS[$SERVER]}" VM.uptime | awk 'NR == 2 { print $1 }'; }

# load NAME SECONDS [SERVER [URL]]: the scenario's load on tpp (or URL) for SECONDS, raw output in OUT/NAME.wrk
# or OUT/NAME.h2load; with SERVER, its CPU seconds in OUT/NAME.cpu.
load() {
  if [ "$SCENARIO" = h2 ]; then
    h2_load "$1" "${4:-https://127.0.0.1:${H2_TPP##*:}$H2_PATH}" "${3:-}" "$2"
  else
    wrk_run "$1" 50 "$2" "http://$TPP/" "${3:-}"
  fi
}

# origin_counts: "accepted requests" so far, from the origin's stub_status (it counts its own request too).
origin_counts() { curl -s "http://$ORIGIN/stub_status" | awk 'NR == 3 { print $1, $3 }'; }

# counted NAME SECONDS SERVER URL: a load run, and the origin connections opened per proxied request during it
# into OUT/origin-connections.txt.
counted() {
  local before after
  before="$(origin_counts)"
  load "$1" "$2" "$3" "$4"
  after="$(origin_counts)"
  echo "$1 $before $after" >> "$OUT/origin-connections.txt"
}

# window NAME EVENT: one measured wrk run while async-profiler samples EVENT; its flame graph into PROF/NAME.html.
window() {
  local name="$1" event="$2"
  echo "$name.start $(uptime_s)" >> "$OUT/windows.txt"
  asprof "start,event=$event"
  thread_counters "${PIDS[$SERVER]}" "$OUT/$name.threads0"
  counted "profile-$name" "$SECONDS_PER_WINDOW" "$SERVER" ""
  thread_counters "${PIDS[$SERVER]}" "$OUT/$name.threads1"
  asprof "dump,collapsed,file=$OUT/$name.collapsed" # for the top frames in summary.txt
  asprof "stop,file=$PROF/$name.html"
  echo "$name.end $(uptime_s)" >> "$OUT/windows.txt"
}

command -v jcmd > /dev/null || die "jcmd (a full JDK) is needed"
[ -f "$JAR" ] || die "no $JAR (build it with: make build)"
"$ROOT/scripts/install-deps.sh" nginx wrk unzip
[ "$SCENARIO" = plain ] || "$ROOT/scripts/install-deps.sh" openssl nghttp2-client curl strace
rm -rf "$OUT"
mkdir -p "$OUT"
bench_ports
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD)"
[ -z "$(git -C "$ROOT" status --porcelain -- proxy config waf bench/conf)" ] || COMMIT="$COMMIT-dirty"
[ "$SCENARIO" = plain ] || COMMIT="$COMMIT-$SCENARIO"
[ "$SCENARIO" != h2 ] || [ "$H2_PATH" = / ] || COMMIT="$COMMIT-${H2_PATH#/}"
PROF="${PROFILE_DIR:-$BENCH/profiles/$COMMIT}" # PROFILE_DIR: elsewhere, e.g. for A/B runs of TPP_JAR builds
mkdir -p "$PROF"
LIB="$(profiler_lib)"
trap cleanup EXIT
trap 'exit 130' INT TERM
log "profiling scenario $SCENARIO at $COMMIT into $PROF (load average $(cut -d' ' -f1-3 /proc/loadavg))"
start_nginx origin "$LOAD_CPU"
wait_http "http://$ORIGIN/" 200 || die "origin did not come up"
TPP_JAVA_OPTS="$TPP_JAVA_OPTS -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
 -Xlog:gc*,safepoint:file=$OUT/gc.log:uptime,level,tags"
if [ "$SCENARIO" = h2 ]; then
  h2_certificate
  cp "$CONF/tpp-h2.yaml" "$OUT/tpp-h2.yaml" # beside h2/, which its certFile names
  start_tpp h2 "$OUT/tpp-h2.yaml" "$H2_TPP" || die "tpp did not start"
  h2_check "${H2_TPP##*:}" / origin || die "tpp does not proxy over HTTP/2"
  h2_check "${H2_TPP##*:}" /hello hello || die "tpp does not answer /hello over HTTP/2"
else
  start_tpp plain "$CONF/tpp-plain.yaml" || die "tpp did not start"
  check_http "http://$TPP/" 200 "origin says hello" || die "tpp does not proxy"
fi
# The profiler's agent and JFR are started once before the warm-up and stopped: their first start makes the JVM
# discard and recompile its code (thousands of compilations, a third of them "made not entrant", in the 10 s after),
# which would otherwise fall into the cpu window and inflate its CPU, p99 and bytes per request.
asprof "start,event=${PROFILE_EVENT:-cpu}"
jcmd "${PIDS[$SERVER]}" JFR.start name=settle settings="$BENCH/conf/alloc-counters.jfc" > /dev/null
asprof stop
jcmd "${PIDS[$SERVER]}" JFR.stop name=settle > /dev/null
load profile-warmup "$WARMUP"
# JFR only for the per-thread allocation counters, taken when the recording starts and when it ends.
jcmd "${PIDS[$SERVER]}" JFR.start name=alloc settings="$BENCH/conf/alloc-counters.jfc" > /dev/null
window cpu "${PROFILE_EVENT:-cpu}"
jcmd "${PIDS[$SERVER]}" JFR.stop name=alloc filename="$OUT/alloc.jfr" > /dev/null
window alloc alloc
[ "$SCENARIO" != h2 ] || h2_syscalls tpp "$SERVER" "https://127.0.0.1:${H2_TPP##*:}$H2_PATH"
stop_tpp
if [ "$SCENARIO" = h2 ]; then # nginx's origin connections per request under the same load, for comparison
  mkdir -p "$BENCH/out/h2"
  cp "$OUT/h2/h2.crt" "$OUT/h2/h2.key" "$BENCH/out/h2/" # where nginx-h2.conf looks for them
  start_nginx nginx-h2 "$SERVER_CPU"
  load h2-nginx-warmup "$WARMUP" "" "https://127.0.0.1:${H2_NGINX##*:}/"
  counted nginx "$SECONDS_PER_WINDOW" nginx-h2 "https://127.0.0.1:${H2_NGINX##*:}/"
  h2_syscalls nginx nginx-h2 "https://127.0.0.1:${H2_NGINX##*:}$H2_PATH"
  stop_nginx nginx-h2
fi
stop_nginx origin
jfr print --json --events jdk.ThreadAllocationStatistics "$OUT/alloc.jfr" > "$OUT/alloc.json"
{
  echo "commit: $COMMIT, date: $(date -u +%Y-%m-%dT%H:%M:%SZ), load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "TPP_JAVA_OPTS=$TPP_JAVA_OPTS"
  python3 "$BENCH/profstats.py" "$OUT"
  [ "$SCENARIO" != h2 ] || cat "$OUT/syscalls.txt"
} | tee "$PROF/summary.txt"
log "flame graphs: $PROF/cpu.html, $PROF/alloc.html"
