#!/usr/bin/env bash
# `make profile`: scenario 1 (plain proxy, bench/run.sh) under async-profiler, for finding where tpp's CPU and
# allocations go. Writes into bench/profiles/COMMIT/ (COMMIT = git HEAD, "-dirty" when the tree has changes):
#   cpu.html    CPU flame graph of the whole JVM (event loop, JIT, GC) over one measured window
#   alloc.html  allocation flame graph (bytes, sampled by TLAB) over a second window
#   summary.txt requests, req/s, CPU per request, bytes allocated per request (JFR's per-thread counters at the
#               start and end of the first window), GC and safepoint pauses during both windows (-Xlog)
# Raw files (wrk output, gc.log, the JFR recording, the proxy's log) stay in bench/out/profile/ (git-ignored).
# Knobs: PROFILE_SECONDS=20 (each window) BENCH_WARMUP=20 PROFILE_EVENT=cpu (or itimer where perf_events are
#   not allowed) PROFILE_DIR TPP_JAVA_OPTS LOAD_CPU SERVER_CPU TPP_JAR ASYNC_PROFILER_LIB (else fetched with Maven: MVN).
# Figures from a busy host are indicative; CPU and bytes per request are the least distorted (bench/README.md).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out/profile"
SECONDS_PER_WINDOW="${PROFILE_SECONDS:-20}"
WARMUP="${BENCH_WARMUP:-20}"

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$BENCH/lib.sh"

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
asprof() { jcmd "${PIDS[tpp-plain]}" JVMTI.agent_load "$LIB" "\"$1\"" > /dev/null; } # quoted: jcmd splits key=value
uptime_s() { jcmd "${PIDS[tpp-plain]}" VM.uptime | awk 'NR == 2 { print $1 }'; }

# window NAME EVENT: one measured wrk run while async-profiler samples EVENT; its flame graph into PROF/NAME.html.
window() {
  local name="$1" event="$2"
  echo "$name.start $(uptime_s)" >> "$OUT/windows.txt"
  asprof "start,event=$event"
  wrk_run "profile-$name" 50 "$SECONDS_PER_WINDOW" "http://$TPP/" tpp-plain
  asprof "dump,collapsed,file=$OUT/$name.collapsed" # for the top frames in summary.txt
  asprof "stop,file=$PROF/$name.html"
  echo "$name.end $(uptime_s)" >> "$OUT/windows.txt"
}

command -v jcmd > /dev/null || die "jcmd (a full JDK) is needed"
[ -f "$JAR" ] || die "no $JAR (build it with: make build)"
"$ROOT/scripts/install-deps.sh" nginx wrk unzip
rm -rf "$OUT"
mkdir -p "$OUT"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD)"
[ -z "$(git -C "$ROOT" status --porcelain -- proxy config waf bench/conf)" ] || COMMIT="$COMMIT-dirty"
PROF="${PROFILE_DIR:-$BENCH/profiles/$COMMIT}" # PROFILE_DIR: elsewhere, e.g. for A/B runs of TPP_JAR builds
mkdir -p "$PROF"
LIB="$(profiler_lib)"
trap cleanup EXIT
trap 'exit 130' INT TERM
log "profiling scenario 1 at $COMMIT into $PROF (load average $(cut -d' ' -f1-3 /proc/loadavg))"
start_nginx origin "$LOAD_CPU"
wait_http "http://$ORIGIN/" 200 || die "origin did not come up"
TPP_JAVA_OPTS="$TPP_JAVA_OPTS -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
 -Xlog:gc*,safepoint:file=$OUT/gc.log:uptime,level,tags"
start_tpp plain "$CONF/tpp-plain.yaml" || die "tpp did not start"
check_http "http://$TPP/" 200 "origin says hello" || die "tpp does not proxy"
wrk_run profile-warmup 50 "$WARMUP" "http://$TPP/"
# JFR only for the per-thread allocation counters, taken when the recording starts and when it ends.
jcmd "${PIDS[tpp-plain]}" JFR.start name=alloc settings="$BENCH/conf/alloc-counters.jfc" > /dev/null
window cpu "${PROFILE_EVENT:-cpu}"
jcmd "${PIDS[tpp-plain]}" JFR.stop name=alloc filename="$OUT/alloc.jfr" > /dev/null
window alloc alloc
stop_tpp
stop_nginx origin
jfr print --json --events jdk.ThreadAllocationStatistics "$OUT/alloc.jfr" > "$OUT/alloc.json"
{
  echo "commit: $COMMIT, date: $(date -u +%Y-%m-%dT%H:%M:%SZ), load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "TPP_JAVA_OPTS=$TPP_JAVA_OPTS"
  python3 "$BENCH/profstats.py" "$OUT"
} | tee "$PROF/summary.txt"
log "flame graphs: $PROF/cpu.html, $PROF/alloc.html"
