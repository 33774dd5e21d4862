# shellcheck shell=bash
# Helpers for bench/run.sh and bench/profile.sh (sourced, not run): servers they start and stop by PID,
# readiness and correctness checks, and pinned wrk runs. Expects BENCH, ROOT and OUT from the script; the
# defaults below are shared by both (the knobs are in run.sh's header).

# shellcheck disable=SC2034 # used by the scripts that source this file
CONF="$BENCH/conf"
JAR="${TPP_JAR:-$ROOT/proxy/target/tpp-proxy.jar}"
LOAD_CPU="${LOAD_CPU:-0}"
SERVER_CPU="${SERVER_CPU:-1}"
TPP_JAVA_OPTS="${TPP_JAVA_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch}"
WRK_TIMEOUT=30s
# shellcheck disable=SC2034
ORIGIN=127.0.0.1:28080
TPP=127.0.0.1:28090
TPP_ADMIN=127.0.0.1:28091
declare -A PIDS=()

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { log "error: $*"; exit 1; }

listening() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }

# Fails when something already listens on host:port (a leftover server would be measured instead).
port_free() {
  if listening "$1"; then
    die "$1 is already in use; stop whatever listens there and run again"
  fi
}

# start NAME CPU LISTEN CMD...: runs CMD pinned to CPU with its output in OUT/NAME.log.
start() {
  local name="$1" cpu="$2" listen="$3"
  shift 3
  port_free "$listen"
  taskset -c "$cpu" "$@" > "$OUT/$name.log" 2>&1 &
  PIDS[$name]=$!
  log "started $name (pid ${PIDS[$name]}, cpu $cpu): $*"
}

# stop NAME: SIGTERM (tpp drains, nginx quits), then SIGKILL after 10 s.
stop() {
  local name="$1" pid="${PIDS[$1]:-}" i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop in 10 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  unset "PIDS[$name]"
}

cleanup() {
  local name
  for name in "${!PIDS[@]}"; do stop "$name"; done
  [ -z "${HOST_SAMPLER:-}" ] || kill "$HOST_SAMPLER" 2>/dev/null || true
}

# host_sampler: every 0.5 s, a wall-clock stamp and every cpu line of /proc/stat (user nice system idle iowait irq
# softirq steal ...) as one line of OUT/procstat.log, for the whole run; bench/hoststats.py reads it (steal per CPU:
# a stall of both servers that lines up with steal on the server's CPU is the hypervisor's, not the server's).
host_sampler() {
  while :; do
    printf '%s %s\n' "$(date +%s.%N)" "$(grep '^cpu' /proc/stat | tr '\n' '|')"
    sleep 0.5
  done > "$OUT/procstat.log" &
  HOST_SAMPLER=$!
}

# bench_ports: with BENCH_PORT_OFFSET=N, every 280xx port of bench/conf moved by N (a copy in OUT/conf, which CONF
# then names), so that a run does not meet another bench run on the same host. Keep the ports below the ephemeral
# range (/proc/sys/net/ipv4/ip_local_port_range, 32768 up): a client's socket may hold one of those (nginx then
# fails with "bind() ... Address already in use"); -1300 (26780-26793) is one choice. Call once OUT exists.
bench_ports() {
  local offset="${BENCH_PORT_OFFSET:-0}" f
  [ "$offset" != 0 ] || return 0
  mkdir -p "$OUT/conf"
  for f in "$CONF"/*; do perl -pe "s/\\b(280\\d\\d)\\b/\$1+$offset/ge" "$f" > "$OUT/conf/${f##*/}"; done
  CONF="$OUT/conf"
  ORIGIN="127.0.0.1:$((28080 + offset))"
  TPP="127.0.0.1:$((28090 + offset))"
  TPP_ADMIN="127.0.0.1:$((28091 + offset))"
}

listen_of() { sed -n 's/^ *listen \([0-9.]*:[0-9]*\).*/\1/p' "$CONF/$1.conf" | head -1; }

# start_nginx NAME CPU: bench/conf/NAME.conf with prefix OUT/NAME/ and NGINX_WORKERS (default 1) worker
# processes; returns once it accepts connections.
start_nginx() {
  local name="$1" cpu="$2" listen i
  listen="$(listen_of "$name")"
  mkdir -p "$OUT/$name/tmp"
  start "$name" "$cpu" "$listen" nginx -e stderr -p "$OUT/$name/" -c "$CONF/$name.conf" \
    -g "worker_processes ${NGINX_WORKERS:-1};"
  for ((i = 0; i < 100; i++)); do
    if listening "$listen"; then return 0; fi
    kill -0 "${PIDS[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  cat "$OUT/$name.log"
  die "$name did not start listening on $listen"
}

stop_nginx() { stop "$1"; }

# start_tpp NAME CONFIG [DATA ADMIN]: fails (after logging why) when the proxy does not become ready in 60 s.
# DATA and ADMIN (host:port, default TPP and TPP_ADMIN) are the ports CONFIG listens on. The whole JVM (event
# loops, pool threads, JIT and GC) is pinned to the server cpu.
start_tpp() {
  local name="tpp-$1" config="$2" data="${3:-$TPP}" admin="${4:-$TPP_ADMIN}"
  port_free "$admin"
  # shellcheck disable=SC2086 # TPP_JAVA_OPTS is a list of JVM flags
  start "$name" "$SERVER_CPU" "$data" java $TPP_JAVA_OPTS -jar "$JAR" --config "$config"
  if ! wait_http "http://$admin/readyz" 200 "${PIDS[$name]}"; then
    log "$name did not become ready; last lines of $OUT/$name.log:"
    tail -n 20 "$OUT/$name.log" || true
    stop "$name"
    return 1
  fi
}

stop_tpp() {
  local name
  for name in "${!PIDS[@]}"; do
    if [[ "$name" == tpp-* ]]; then stop "$name"; fi
  done
}

# wait_http URL STATUS [PID]: polls for up to 60 s; gives up early when PID has exited.
wait_http() {
  local i
  for ((i = 0; i < 600; i++)); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = "$2" ] && return 0
    if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

# check_http URL STATUS TEXT [CURL_ARG...]: the answer before any load; TEXT "" means "a JPEG" (starts FF D8).
check_http() {
  local body="$OUT/check.body" status
  status="$(curl -s --max-time 30 -o "$body" -w '%{http_code}' "${@:4}" "$1" || true)"
  if [ "$status" != "$2" ]; then
    log "check failed: GET $1 answered '$status' (expected $2); not measured"
    return 1
  fi
  if [ -z "$3" ]; then
    if [ "$(head -c 2 "$body" | od -An -tx1 | tr -d ' \n')" != ffd8 ]; then
      log "check failed: GET $1 is not a JPEG; not measured"
      return 1
    fi
  elif ! grep -qF -- "$3" "$body"; then
    log "check failed: GET $1 does not contain '$3'; not measured"
    return 1
  fi
}

# cpu_ticks NAME: user+system clock ticks of a started server and its children (the nginx worker).
cpu_ticks() {
  local pid="${PIDS[$1]}" ticks=0 p stat
  for p in "$pid" $(pgrep -P "$pid" || true); do
    { read -r -a stat < "/proc/$p/stat"; } 2>/dev/null || continue
    ticks=$((ticks + stat[13] + stat[14]))
  done
  echo "$ticks"
}

# cpu_since NAME TICKS FILE: the CPU seconds server NAME used since cpu_ticks gave TICKS, into FILE.
cpu_since() {
  awk -v t="$(($(cpu_ticks "$1") - $2))" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f\n", t / hz }' > "$3"
}

# host_busy_pct: the share of all CPUs busy over a 3 s sample of /proc/stat, taken while no server or load of this
# bench runs (between scenarios). Unlike the load average, which still carries the previous scenario's own load for
# minutes, it shows whether anything else is using the host right now.
host_busy_pct() {
  local a b
  a="$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)"
  sleep 3
  b="$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)"
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); busy = y[1] - x[1]; idle = y[2] - x[2];
    printf "%.1f", (busy + idle > 0) ? 100 * busy / (busy + idle) : 0 }'
}

# load_note WHEN: the load average and the host's busy share into the log and env.txt (so the summary shows them).
# Warns when something else is using the host: a busy share above 5%, or a load average above 1 at the start
# (before this bench has loaded anything; later the load average includes the bench's own previous scenario).
load_note() {
  local load busy
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  busy="$(host_busy_pct)"
  echo "load average $1: $load, host CPU busy (3 s sample, nothing of the bench running): $busy%" >> "$OUT/env.txt"
  log "load average $1: $load, host CPU busy: $busy%"
  if awk -v b="$busy" 'BEGIN { exit !(b > 5) }'; then
    echo "warning: host CPU $busy% busy $1 with no benchmark running: the host is busy, figures are not valid results" \
      | tee -a "$OUT/env.txt"
  elif [ "$1" = "at start" ] && awk -v l="${load%% *}" 'BEGIN { exit !(l > 1) }'; then
    echo "warning: load average ${load%% *} > 1 $1: the host is busy, figures are not valid results" \
      | tee -a "$OUT/env.txt"
  fi
}

# thread_counters PID FILE: per thread of PID, its scheduler counters (/proc/PID/task/TID/schedstat: ns on the
# CPU, ns runnable but waiting for it, timeslices), involuntary context switches and name; profstats.py threads
# compares two such files.
thread_counters() {
  local task
  for task in /proc/"$1"/task/*; do
    printf '%s %s %s %s\n' "${task##*/}" "$(cat "$task/schedstat" 2>/dev/null || echo 0 0 0)" \
      "$(awk '/^nonvoluntary_ctxt_switches/ { print $2 }' "$task/status" 2>/dev/null || echo 0)" \
      "$(tr ' ' _ < "$task/comm" 2>/dev/null || echo gone)"
  done > "$2"
}

# wrk_run NAME CONNECTIONS SECONDS URL [SERVER [SCRIPT ARG...]]: one pinned wrk (WRK_THREADS threads, default 1),
# raw output in OUT/NAME.wrk;
# with SERVER (a started server's name, or "" for none), the CPU seconds it used during the run go to
# OUT/NAME.cpu; with SCRIPT, wrk runs that Lua script and passes it the ARGs.
wrk_run() {
  local name="$1" conns="$2" seconds="$3" url="$4" server="${5:-}" out="$OUT/$1.wrk" before="" script=() args=()
  shift $(($# < 5 ? $# : 5))
  if [ $# -gt 0 ]; then
    script=(-s "$1")
    shift
    args=(-- "$@")
  fi
  [ -z "$server" ] || before="$(cpu_ticks "$server")"
  if ! taskset -c "$LOAD_CPU" wrk -t"${WRK_THREADS:-1}" -c"$conns" -d"$seconds"s --timeout "$WRK_TIMEOUT" --latency "${script[@]}" \
      "$url" "${args[@]}" > "$out" 2>&1; then
    log "wrk $name failed (see $out)"
    return 0
  fi
  [ -z "$before" ] || cpu_since "$server" "$before" "$OUT/$name.cpu"
  log "$name: $(sed -n 's/^Requests\/sec: *//p' "$out") req/s, p99 $(sed -n 's/^ *99% *//p' "$out")"
}
