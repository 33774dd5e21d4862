#!/usr/bin/env bash
# bench/cpusplit.sh: scenario 1's CPU per request split into user and kernel time, tpp against nginx-proxy (and,
# with TPP_JAR_B or TPP_JAVA_OPTS_B, a second tpp "tppB" for an A/B of two builds or two sets of JVM flags).
# Same origin, config, pinning and wrk -c50 as bench/run.sh. After SPLIT_WARMUP s of alternating warm-up runs of
# SPLIT_SECONDS each (C2 settled: see bench/warmup.sh), SPLIT_ROUNDS alternating runs of SPLIT_SECONDS each; per run the server's utime and stime
# (/proc/PID/stat, the nginx worker included) and perf's context switches, migrations and page faults, divided by
# the requests wrk completed. That split holds on a busy host better than req/s or p99 do: a server's own CPU per
# request does not depend much on how long it waited for the CPU. Writes bench/out/cpusplit/summary.txt.
# Knobs: SPLIT_ROUNDS=3 SPLIT_SECONDS=10 SPLIT_WARMUP=90 BENCH_PORT_OFFSET=0 (moves every port, so that another
# bench run on the host does not meet this one) TPP_JAR TPP_JAVA_OPTS TPP_JAR_B TPP_JAVA_OPTS_B LOAD_CPU SERVER_CPU.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out/cpusplit"
ROUNDS="${SPLIT_ROUNDS:-3}"
SECONDS_PER_RUN="${SPLIT_SECONDS:-10}"
WARM="${SPLIT_WARMUP:-90}"
SHIFT="${BENCH_PORT_OFFSET:-0}"

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$BENCH/lib.sh"

# split_run NAME SERVER URL: one wrk run against URL with SERVER's user/system ticks and perf counters around it.
split_run() {
  local name="$1" server="$2" url="$3" pid="${PIDS[$2]}" targets
  targets="$(pgrep -d, -P "$pid" || true)"
  targets="$pid${targets:+,$targets}"
  proc_ticks "$server" > "$OUT/$name.before"
  perf stat -x, -e task-clock,context-switches,cpu-migrations,page-faults -p "$targets" -o "$OUT/$name.perf" \
    -- sleep "$SECONDS_PER_RUN" &
  local perf=$!
  wrk_run "$name" 50 "$SECONDS_PER_RUN" "$url"
  wait "$perf" || true
  proc_ticks "$server" > "$OUT/$name.after"
}

# proc_ticks SERVER: "utime stime" in clock ticks, the server's process and its children summed, then the same
# for three kinds of threads of a JVM (nothing for nginx): its event loops (tpp-worker-*), its JIT compilers and
# everything else (GC, pools, the JVM's own), from /proc/PID/task/TID/stat.
proc_ticks() {
  local pid="${PIDS[$1]}" p stat user=0 sys=0 task comm
  for p in "$pid" $(pgrep -P "$pid" || true); do
    { read -r -a stat < "/proc/$p/stat"; } 2>/dev/null || continue
    user=$((user + stat[13]))
    sys=$((sys + stat[14]))
  done
  echo "$user $sys"
  [[ "$1" == tpp-* ]] || return 0
  declare -A kind=([loop]="0 0" [jit]="0 0" [other]="0 0")
  for task in /proc/"$pid"/task/*; do
    comm="$(cat "$task/comm" 2>/dev/null)" || continue
    # the fields after the command's closing parenthesis: utime and stime are the 12th and 13th
    stat="$(sed 's/.*) //' "$task/stat" 2>/dev/null)" || continue
    read -r -a stat <<< "$stat"
    case "$comm" in
      tpp-worker-*) p=loop ;;
      C1\ Compiler* | C2\ Compiler*) p=jit ;;
      *) p=other ;;
    esac
    read -r user sys <<< "${kind[$p]}"
    kind[$p]="$((user + stat[11])) $((sys + stat[12]))"
  done
  for p in loop jit other; do echo "$p ${kind[$p]}"; done
}

[ -f "$JAR" ] || die "no $JAR (build it with: make build)"
"$ROOT/scripts/install-deps.sh" nginx wrk
command -v perf > /dev/null || die "perf is not installed (apt-get install linux-perf)"
rm -rf "$OUT"
mkdir -p "$OUT"
bench_ports
NGINX="$(listen_of nginx-proxy)"
trap cleanup EXIT
trap 'exit 130' INT TERM
log "cpu split, $ROUNDS rounds of ${SECONDS_PER_RUN}s after ${WARM}s of warm-up (load $(cut -d' ' -f1-3 /proc/loadavg))"
start_nginx origin "$LOAD_CPU"
wait_http "http://$ORIGIN/" 200 || die "origin did not come up"
start_nginx nginx-proxy "$SERVER_CPU"
check_http "http://$NGINX/" 200 "origin says hello" || die "nginx-proxy does not proxy"
servers=(nginx-proxy tpp-plain)
start_tpp plain "$CONF/tpp-plain.yaml" || die "tpp did not start"
if [ -n "${TPP_JAR_B:-}${TPP_JAVA_OPTS_B:-}" ]; then
  sed "s/$((28090 + SHIFT))/$((28092 + SHIFT))/; s/$((28091 + SHIFT))/$((28093 + SHIFT))/" \
    "$CONF/tpp-plain.yaml" > "$CONF/tpp-plainB.yaml"
  JAR="${TPP_JAR_B:-$JAR}" TPP_JAVA_OPTS="${TPP_JAVA_OPTS_B:-$TPP_JAVA_OPTS}" \
    start_tpp plainB "$CONF/tpp-plainB.yaml" "127.0.0.1:$((28092 + SHIFT))" "127.0.0.1:$((28093 + SHIFT))" \
    || die "tppB did not start"
  servers+=(tpp-plainB)
fi
declare -A URL=([nginx-proxy]="http://$NGINX/" [tpp-plain]="http://$TPP/"
  [tpp-plainB]="http://127.0.0.1:$((28092 + SHIFT))/")
for s in "${servers[@]}"; do check_http "${URL[$s]}" 200 "origin says hello" || die "$s does not proxy"; done
# The warm-up alternates the servers in runs as long as a measured one, as bench/run.sh's does: each run connects
# anew, so C2's code has met connection churn before the rounds. After one long run instead, the first new
# connections of each round deoptimised hot methods and C2 compiled them again inside the rounds.
for ((slice = 1; slice * SECONDS_PER_RUN <= WARM || slice == 1; slice++)); do
  for s in "${servers[@]}"; do wrk_run "$s-warmup-$slice" 50 "$SECONDS_PER_RUN" "${URL[$s]}"; done
done
for ((round = 1; round <= ROUNDS; round++)); do
  for s in "${servers[@]}"; do split_run "$s-$round" "$s" "${URL[$s]}"; done
done
{
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD), date: $(date -u +%Y-%m-%dT%H:%M:%SZ)," \
    "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "TPP_JAR=$JAR TPP_JAVA_OPTS=$TPP_JAVA_OPTS TPP_JAR_B=${TPP_JAR_B:-} TPP_JAVA_OPTS_B=${TPP_JAVA_OPTS_B:-}"
  python3 "$BENCH/cpusplit.py" "$OUT" "$(getconf CLK_TCK)" "$ROUNDS" "${servers[@]}"
} | tee "$OUT/summary.txt"
