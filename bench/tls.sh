# shellcheck shell=bash
# Scenario 4 "tls" of bench/run.sh (sourced, not run): tpp terminating TLS (BoringSSL, the handshake's private-key
# operation in the tls pool) against nginx (OpenSSL) with the same certificates, made here with openssl: RSA-2048
# for rsa.bench.test (the default) and ECDSA P-256 for ecdsa.bench.test (bench/README.md, scenario 4). In
# BENCH_ROUNDS alternating rounds:
#   1. handshake storm: `tlsload storm`, a new connection and a full handshake per request, RSA and ECDSA apart;
#   2. /hello at a fixed rate on keepalive connections while the RSA storm runs: tpp with the tls pool at
#      threads 1, tpp at threads 0 (signing on the event loop), nginx;
#   3. keepalive HTTPS proxying: wrk -c50 to / (the origin of scenario 1) over TLS 1.3.
# Expects what run.sh sets, and lib.sh.

TLS_KEYS="rsa ecdsa"
TLS_STORM_CONNS="${TLS_STORM_CONNS:-32}"
TLS_HELLO_RATE="${TLS_HELLO_RATE:-1000}"
TLS_HELLO_CONNS="${TLS_HELLO_CONNS:-64}"
TLSLOAD="$OUT/tlsload"
# Two tpp processes side by side (the idle one costs nothing), like tpp and nginx in scenario 1.
declare -A TLS_ADDR=([tpp1]=127.0.0.1:28093 [tpp0]=127.0.0.1:28096 [nginx]=127.0.0.1:28084)
declare -A TLS_PLAIN=([tpp1]="$TPP" [tpp0]=127.0.0.1:28095)
declare -A TLS_ADMIN=([tpp1]="$TPP_ADMIN" [tpp0]=127.0.0.1:28097)
declare -A TLS_SERVER=([tpp1]=tpp-tls-t1 [tpp0]=tpp-tls-t0 [nginx]=nginx-tls)
declare -A TLS_NEWKEY=([rsa]="rsa:2048" [ecdsa]="ec -pkeyopt ec_paramgen_curve:P-256")

# tls_certs: a self-signed certificate and key per TLS_KEYS in OUT/tls/, for both servers.
tls_certs() {
  local key
  mkdir -p "$OUT/tls"
  for key in $TLS_KEYS; do
    # shellcheck disable=SC2086 # TLS_NEWKEY holds openssl arguments
    openssl req -x509 -newkey ${TLS_NEWKEY[$key]} -nodes -days 2 -subj "/CN=$key.bench.test" \
      -addext "subjectAltName=DNS:$key.bench.test" -keyout "$OUT/tls/$key.key" -out "$OUT/tls/$key.crt" 2> /dev/null \
      || die "openssl could not make the $key certificate"
  done
}

# tls_build: bench/tlsload (Go standard library only, nothing downloaded) into OUT.
tls_build() {
  if ! command -v go > /dev/null 2>&1; then
    log "no Go on PATH: scenario tls not measured (bench/tlsload needs Go >= 1.25)"
    return 1
  fi
  (cd "$BENCH/tlsload" && GOTOOLCHAIN=local GOFLAGS=-buildvcs=false go build -o "$TLSLOAD" .) \
    || { log "bench/tlsload did not build: scenario tls not measured"; return 1; }
}

# tls_load NAME SERVER MODE ARG...: one pinned tlsload run, its JSON in OUT/NAME.tls; with SERVER (a started
# server's name, or "" for none), the CPU seconds that server used during the run go to OUT/NAME.cpu.
tls_load() {
  local name="$1" server="$2" mode="$3" before=""
  shift 3
  [ -z "$server" ] || before="$(cpu_ticks "$server")"
  # shellcheck disable=SC2086 # TLS_LOAD_SCHED is a command prefix, or empty
  if ! ${TLS_LOAD_SCHED:-} taskset -c "$LOAD_CPU" "$TLSLOAD" "$mode" -out "$OUT/$name.tls" "$@" 2> "$OUT/$name.err"; then
    log "tlsload $name failed (see $OUT/$name.err)"
    return 0
  fi
  [ -z "$before" ] || cpu_since "$server" "$before" "$OUT/$name.cpu"
  log "$name: $(cat "$OUT/$name.err")"
}

# tls_storm NAME SIDE KEY SECONDS [SERVER]: TLS_STORM_CONNS new connections at a time, one request each.
tls_storm() {
  tls_load "$1" "${5:-}" storm -addr "${TLS_ADDR[$2]}" -sni "$3.bench.test" -conns "$TLS_STORM_CONNS" \
    -duration "$4s" -path /hs
}

# tls_busy NAME SIDE SECONDS: /hello at TLS_HELLO_RATE a second on TLS_HELLO_CONNS keepalive connections (opened
# before the storm) for SECONDS, inside an RSA storm that starts 1.5 s before and ends 1.5 s after.
tls_busy() {
  local name="$1" side="$2" seconds="$3" start
  start="$(date +%s.%N)"
  tls_load "$name-hello" "" rate -addr "${TLS_ADDR[$side]}" -sni rsa.bench.test -conns "$TLS_HELLO_CONNS" \
    -rate "$TLS_HELLO_RATE" -duration "${seconds}s" -delay 2s -path /hello &
  local hello=$!
  sleep 0.5
  # The storm client runs SCHED_IDLE on the load CPU: the /hello sender preempts it at once, so the p99 measures the
  # server, not the load generator's own time slices (its send lag was 3 ms at p99 when the two were equals).
  TLS_LOAD_SCHED="chrt --idle 0" tls_storm "$name-storm" "$side" rsa $((seconds + 3))
  wait "$hello"
  # the measured window (after the sender's 2 s delay), for the GC pauses in tpp's -Xlog file (tlsstats.py)
  echo "$(awk -v s="$start" 'BEGIN { printf "%.3f", s + 2 }') $(date +%s.%N)" > "$OUT/$name.window"
}

# tls_check SIDE: /hello and / over HTTPS for both names, each verified with the certificate made for that name
# (so both servers serve the same pairs); then what an OpenSSL client (wrk's) negotiates, into OUT/tls-session-SIDE.txt.
tls_check() {
  local addr="${TLS_ADDR[$1]}" key name path text
  for key in $TLS_KEYS; do
    name="$key.bench.test"
    for path in /hello /; do
      text="hello"
      [ "$path" = /hello ] || text="origin says hello"
      check_http "https://$name:${addr##*:}$path" 200 "$text" --cacert "$OUT/tls/$key.crt" \
        --resolve "$name:${addr##*:}:${addr%:*}" || return 1
    done
  done
  openssl s_client -connect "$addr" -servername rsa.bench.test < /dev/null 2> /dev/null \
    | grep -E '^(New,|Peer signature type|Server Temp Key)' > "$OUT/tls-session-$1.txt" || true
}

tls_start_tpp() {
  local side="$1" config="$OUT/${TLS_SERVER[$1]}.yaml" plain="${TLS_PLAIN[$1]}" admin="${TLS_ADMIN[$1]}"
  sed -e "s/@THREADS@/${1#tpp}/" -e "s/@PRIORITY@/${TLS_POOL_PRIORITY:-low}/" -e "s/@PLAIN@/${plain##*:}/" -e "s/@ADMIN@/${admin##*:}/" \
    -e "s/@TLS@/${TLS_ADDR[$side]##*:}/" "$CONF/tpp-tls.yaml" > "$config"
  local saved="$TPP_JAVA_OPTS" ok=0
  # GC and safepoint pauses, with wall-clock stamps: the summary counts those inside each /hello window
  TPP_JAVA_OPTS="$TPP_JAVA_OPTS -Xlog:gc*,safepoint:file=$OUT/${TLS_SERVER[$side]}.gc.log:time,uptime,level,tags"
  start_tpp "${TLS_SERVER[$side]#tpp-}" "$config" "$plain" "$admin" && tls_check "$side" && ok=1
  TPP_JAVA_OPTS="$saved"
  [ "$ok" = 1 ]
}

# tls_metrics SIDE: tpp's handshake counters and its tls pool's task outcomes, into OUT/tls-metrics-SIDE.txt.
tls_metrics() {
  curl -s "http://${TLS_ADMIN[$1]}/metrics" | grep -E '^tpp_(tls_handshakes_total|pool_tasks_total\{.*pool="tls")' \
    > "$OUT/tls-metrics-$1.txt" || true
}

# tls_warmup SIDE: every kind of run once, unmeasured (the JVM's JIT; nginx gets the same).
tls_warmup() {
  local half=$((WARMUP / 2 > 0 ? WARMUP / 2 : 1))
  tls_busy "tls-busy-$1-warmup" "$1" "$half"
  tls_storm "tls-storm-ecdsa-$1-warmup" "$1" ecdsa "$half"
  [ "$1" = tpp0 ] || wrk_run "tls-keepalive-$1-warmup" 50 "$half" "https://${TLS_ADDR[$1]}/"
}

tls_round() {
  local round="$1" key side
  shift
  for key in $TLS_KEYS; do
    for side in "$@"; do
      [ "$side" = tpp0 ] || tls_storm "tls-storm-$key-$side-$round" "$side" "$key" "$DURATION" "${TLS_SERVER[$side]}"
    done
  done
  for side in "$@"; do
    [ "$side" = tpp0 ] || wrk_run "tls-keepalive-$side-$round" 50 "$DURATION" "https://${TLS_ADDR[$side]}/" \
      "${TLS_SERVER[$side]}"
  done
  for side in "$@"; do tls_busy "tls-busy-$side-$round" "$side" "$DURATION"; done
}

scenario_tls() {
  log "scenario 4: tls, tpp vs nginx with the same RSA-2048 and ECDSA P-256 certificates, $ROUNDS rounds"
  tls_certs
  tls_build || return 0
  start_nginx origin "$LOAD_CPU"
  wait_http "http://$ORIGIN/" 200 || die "origin did not come up"
  local sides=() side round
  if [ "$TPP_OK" = 1 ]; then
    for side in tpp1 tpp0; do
      if tls_start_tpp "$side"; then sides+=("$side"); fi
    done
  fi
  mkdir -p "$OUT/nginx-tls/tmp"
  start_nginx nginx-tls "$SERVER_CPU"
  if tls_check nginx; then sides+=(nginx); fi
  for side in "${sides[@]}"; do tls_warmup "$side"; done
  for ((round = 1; round <= ROUNDS; round++)); do tls_round "$round" "${sides[@]}"; done
  for side in "${sides[@]}"; do
    [ "$side" = nginx ] || tls_metrics "$side"
  done
  stop_tpp
  stop_nginx nginx-tls # flushes its buffered hs.log, which tlsstats.py reads
  stop_nginx origin
}
