# shellcheck shell=bash
# Scenario "mixed-open" for bench/run.sh (sourced): scenario 2 measured fairly. /hello runs OPEN-LOOP at a fixed
# rate with vegeta (a request is sent on schedule whether or not earlier ones have answered, and its latency counts
# from its scheduled send, so a stalled server cannot slow the load down and hide its own stall: no coordinated
# omission), while /thumb/ runs closed-loop with wrk at 20 connections. Per tpp mode, alternating in rounds:
#   low    thumbs threads 2, priority low (SCHED_IDLE pool threads)
#   normal thumbs threads 2, priority normal
#   t0     thumbs threads 0 (every thumbnail inline on the event loop)
#   low1   thumbs threads 1, priority low (opt-in: one pool thread for the server's one CPU)
# and nginx image_filter as the reference row. Each tpp run first measures /hello alone at the same rate (its idle
# p99), and logs the JVM's GC and safepoints (-Xlog:gc*,safepoint) for the summary. OPEN_GCS="serial parallel g1 z
# shenandoah" adds the GC comparison: mode OPEN_GC_MODE (low) under each collector, alternating in the same rounds.
# Knobs: OPEN_RATE=500 (req/s to /hello), OPEN_CONNECTIONS=10, OPEN_ROUNDS=2, OPEN_MODES="low normal t0" (empty:
# no mode rows and no nginx row), OPEN_GCS="" OPEN_GC_MODE=low, OPEN_PERF=1 (perf sched of the server CPU during
# each loaded window: per-thread wake-ups, the loop's scheduling delay; bench/schedstats.py), VEGETA=path (default: built once from the Go
# module github.com/tsenart/vegeta into ~/.cache/tpp/bin). Summary: bench/openloop.py summary OUTDIR.
VEGETA_MODULE=github.com/tsenart/vegeta/v12@v12.13.0
OPEN_RATE="${OPEN_RATE:-500}"
OPEN_CONNECTIONS="${OPEN_CONNECTIONS:-10}"
OPEN_ROUNDS="${OPEN_ROUNDS:-2}"
OPEN_MODES="${OPEN_MODES-low normal t0}"
OPEN_GCS="${OPEN_GCS:-}"
OPEN_GC_MODE="${OPEN_GC_MODE:-low}"

# vegeta_bin: the vegeta binary, built from its Go module on first use (needs Go and the module proxy).
vegeta_bin() {
  if [ -n "${VEGETA:-}" ]; then echo "$VEGETA"; return; fi
  local bin="${XDG_CACHE_HOME:-$HOME/.cache}/tpp/bin"
  if [ ! -x "$bin/vegeta" ]; then
    command -v go >/dev/null 2>&1 || die "vegeta needs Go to build (or set VEGETA=/path/to/vegeta)"
    log "building vegeta ($VEGETA_MODULE) into $bin"
    GOBIN="$bin" go install "$VEGETA_MODULE" >&2 || die "go install $VEGETA_MODULE failed"
  fi
  echo "$bin/vegeta"
}

# vegeta_run NAME RATE SECONDS URL [SERVER]: pinned open-loop GET at RATE/s over OPEN_CONNECTIONS keep-alive
# connections; the JSON report (latencies in ns, status codes, errors) goes to OUT/NAME.vegeta.json, the CPU
# seconds SERVER used meanwhile to OUT/NAME.cpu, and the run's wall-clock start and end (epoch seconds, for the
# GC log) to OUT/NAME.window.
vegeta_run() {
  local name="$1" rate="$2" seconds="$3" url="$4" server="${5:-}" vegeta before="" start
  vegeta="$(vegeta_bin)"
  [ -z "$server" ] || before="$(cpu_ticks "$server")"
  start="$(date +%s.%N)"
  echo "GET $url" | taskset -c "$LOAD_CPU" "$vegeta" attack -rate="$rate/1s" -duration="${seconds}s" \
      -max-connections="$OPEN_CONNECTIONS" -connections="$OPEN_CONNECTIONS" -keepalive=true -timeout=30s \
      > "$OUT/$name.vegeta.bin" || { log "vegeta $name failed"; return 0; }
  echo "$start $(date +%s.%N)" > "$OUT/$name.window"
  [ -z "$before" ] || cpu_since "$server" "$before" "$OUT/$name.cpu"
  "$vegeta" report -type=json < "$OUT/$name.vegeta.bin" > "$OUT/$name.vegeta.json"
  # per request: send time (ns since the epoch), status and latency (ns), for lining a stall up with the GC log
  "$vegeta" encode -to csv < "$OUT/$name.vegeta.bin" | cut -d, -f1-3 | gzip > "$OUT/$name.requests.csv.gz"
  rm -f "$OUT/$name.vegeta.bin"
  log "$name: $(python3 "$BENCH/openloop.py" line "$OUT/$name.vegeta.json")"
}

# open_load NAME BASE SECONDS SERVER: /hello alone at the rate (idle), then thumbnails closed-loop from 1 s before
# to 1 s after the same open-loop /hello window; SERVER's CPU over each (NAME-idle.cpu, NAME-thumb.cpu).
open_load() {
  local name="$1" base="$2" seconds="$3" server="$4" thumbs perf=""
  vegeta_run "$name-idle" "$OPEN_RATE" "$seconds" "$base/hello" "$server"
  wrk_run "$name-thumb" 20 $((seconds + 2)) "$base/thumb/sample.jpg" "$server" &
  thumbs=$!
  sleep 1
  if [ "${OPEN_PERF:-0}" = 1 ]; then sched_record "$name" & perf=$!; fi
  vegeta_run "$name-hello" "$OPEN_RATE" "$seconds" "$base/hello"
  wait "$thumbs"
  [ -z "$perf" ] || wait "$perf" # never a bare wait: the server runs in the background of this shell too
  [ ! -f "$OUT/$name.perf" ] || { perf sched timehist -i "$OUT/$name.perf" > "$OUT/$name.sched.txt" 2>/dev/null
    python3 "$BENCH/schedstats.py" "$OUT/$name.sched.txt" | tail -2; rm -f "$OUT/$name.perf"; }
}

# sched_record NAME (OPEN_PERF=1): perf sched record of the server CPU for 4 s from 1 s into the loaded window,
# into OUT/NAME.perf; the scheduler's view per thread (bench/schedstats.py). Needs perf (linux-perf) and root.
sched_record() {
  mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
  sleep 1
  perf sched record -C "$SERVER_CPU" -o "$OUT/$1.perf" -- sleep 4 > /dev/null 2>&1 || log "perf sched record failed"
}

# gc_flag NAME: the JVM flag that selects collector NAME (serial, parallel, g1, z, shenandoah).
gc_flag() {
  case "$1" in
    serial) echo -XX:+UseSerialGC ;; parallel) echo -XX:+UseParallelGC ;; g1) echo -XX:+UseG1GC ;;
    z) echo -XX:+UseZGC ;; shenandoah) echo -XX:+UseShenandoahGC ;;
    *) die "unknown collector '$1' in OPEN_GCS (expected: serial, parallel, g1, z, shenandoah)" ;;
  esac
}

# open_tpp MODE ROUND [GC]: one tpp run of MODE (low, normal, t0) with its own GC and safepoint log; with GC, under
# that collector and named open-gc-GC-ROUND instead of open-tpp-MODE-ROUND.
open_tpp() {
  local mode="$1" round="$2" gc="${3:-}" threads=2 priority="$1" base="http://$TPP" config="$OUT/open-conf/tpp-open-$1.yaml"
  local run="open-tpp-$mode" server="open-$mode" saved="$TPP_JAVA_OPTS"
  # The proxy watches its config's directory: in OUT, every result vegeta streams there and every GC log line
  # woke its watcher threads (about 900 times a second each, seen with perf sched) on the server's CPU.
  mkdir -p "$OUT/open-conf"
  [ -e "$OUT/open-conf/images" ] || ln -s "$OUT/images" "$OUT/open-conf/images"
  [ "$mode" != t0 ] || { threads=0; priority=normal; }
  [ "$mode" != low1 ] || { threads=1; priority=low; } # one pool thread per server CPU
  sed "s/@THREADS@/$threads/; s/@PRIORITY@/$priority/" "$CONF/tpp-mixed-open.yaml" > "$config"
  [ -z "$gc" ] || { run="open-gc-$gc" server="open-gc-$gc" TPP_JAVA_OPTS="$TPP_JAVA_OPTS $(gc_flag "$gc")"; }
  TPP_JAVA_OPTS="$TPP_JAVA_OPTS -Xlog:gc*,safepoint,gc+jni=debug:file=$OUT/$run-$round.gc.log:time,uptime,level,tags"
  if start_tpp "$server" "$config" && check_http "$base/hello" 200 hello \
      && check_http "$base/thumb/sample.jpg" 200 ""; then
    open_load "$run-warmup" "$base" "$WARMUP" "tpp-$server" # every run is a fresh JVM: JIT it first
    # OPEN_THREADS=1: every thread's state every 20 ms over the measured run (threadstates.py), to see what a
    # stalled loop was doing
    [ "${OPEN_THREADS:-0}" = 0 ] || taskset -c "$LOAD_CPU" python3 "$BENCH/threadstates.py" sample \
      "${PIDS[tpp-$server]}" $((DURATION + 3)) "$OUT/$run-$round.threads.gz" &
    open_load "$run-$round" "$base" "$DURATION" "tpp-$server"
  fi
  TPP_JAVA_OPTS="$saved"
  stop_tpp
}

scenario_mixed_open() {
  log "scenario 2 (open loop): /hello at $OPEN_RATE req/s (vegeta) + /thumb/ at 20 conns, $OPEN_ROUNDS rounds," \
    "modes '$OPEN_MODES', collectors '$OPEN_GCS'"
  vegeta_bin > /dev/null
  local round mode gc base="http://$NGINX_MIXED"
  for gc in $OPEN_GCS; do gc_flag "$gc" > /dev/null; done
  if [ "$TPP_OK" = 1 ]; then
    for ((round = 1; round <= OPEN_ROUNDS; round++)); do
      for mode in $OPEN_MODES; do open_tpp "$mode" "$round"; done
      for gc in $OPEN_GCS; do open_tpp "$OPEN_GC_MODE" "$round" "$gc"; done
    done
  fi
  [ -n "$OPEN_MODES" ] || return 0
  mkdir -p "$OUT/nginx-mixed"
  [ -e "$OUT/nginx-mixed/images" ] || ln -s "$OUT/images" "$OUT/nginx-mixed/images"
  start_nginx nginx-mixed "$SERVER_CPU"
  if check_http "$base/hello" 200 hello && check_http "$base/thumb/sample.jpg" 200 ""; then
    open_load open-nginx-1 "$base" "$DURATION" nginx-mixed
  fi
  stop_nginx nginx-mixed
}
