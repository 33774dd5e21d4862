#!/usr/bin/env bash
# bench/warmup.sh: scenario 1's load (bench/run.sh's origin, config, pinning and wrk -c50) on a freshly started tpp,
# in WARMUP_SLICES slices of WARMUP_SLICE seconds with nothing attached to the JVM: per slice req/s, p50, p99, max,
# and which of the proxy's threads took the CPU (the event loop, the JIT's compiler threads, GC) with the loop's
# run delay (runnable, waiting for the one CPU it is pinned to). Shows how long the JIT keeps competing with the
# loop after start, which `make bench` (10 s of warm-up) and `make profile` (whose profiler attach makes the JIT
# recompile) cannot. Writes bench/out/warmup/summary.txt; raw wrk output and thread counters beside it.
# Knobs: WARMUP_SLICES=9 WARMUP_SLICE=10 TPP_JAVA_OPTS LOAD_CPU SERVER_CPU TPP_JAR.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out/warmup"
SLICES="${WARMUP_SLICES:-9}"
SLICE="${WARMUP_SLICE:-10}"

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$BENCH/lib.sh"

[ -f "$JAR" ] || die "no $JAR (build it with: make build)"
"$ROOT/scripts/install-deps.sh" nginx wrk
rm -rf "$OUT"
mkdir -p "$OUT"
trap cleanup EXIT
trap 'exit 130' INT TERM
log "scenario 1 from tpp's start, $SLICES slices of ${SLICE}s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
start_nginx origin "$LOAD_CPU"
wait_http "http://$ORIGIN/" 200 || die "origin did not come up"
TPP_JAVA_OPTS="$TPP_JAVA_OPTS -Xlog:gc:file=$OUT/gc.log:uptime"
start_tpp plain "$CONF/tpp-plain.yaml" || die "tpp did not start"
check_http "http://$TPP/" 200 "origin says hello" || die "tpp does not proxy"
pid="${PIDS[tpp-plain]}"
thread_counters "$pid" "$OUT/slice-0.threads"
for ((i = 1; i <= SLICES; i++)); do
  wrk_run "slice-$i" 50 "$SLICE" "http://$TPP/" tpp-plain
  thread_counters "$pid" "$OUT/slice-$i.threads"
done
stop_tpp
stop_nginx origin
{
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD), date: $(date -u +%Y-%m-%dT%H:%M:%SZ)," \
    "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "TPP_JAVA_OPTS=$TPP_JAVA_OPTS"
  for ((i = 1; i <= SLICES; i++)); do
    PYTHONPATH="$BENCH" python3 -c 'import sys, wrkstats
r = wrkstats.load(sys.argv[1], sys.argv[2])
lat = r["latency_ms"]
print("%s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %.0f requests per CPU-second" % (sys.argv[3],
      r["rps"], lat.get("p50", 0), lat.get("p99", 0), lat.get("max", 0), r.get("per_cpu_s", 0)))' \
      "$OUT" "slice-$i" "seconds $(((i - 1) * SLICE))-$((i * SLICE)) of load"
    python3 "$BENCH/profstats.py" threads "$OUT/slice-$((i - 1)).threads" "$OUT/slice-$i.threads" 3
  done
} | tee "$OUT/summary.txt"
