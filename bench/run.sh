#!/usr/bin/env bash
# `make bench`: tpp against nginx, side by side, on loopback, each server pinned to its own core.
#   Scenario 1 "plain proxy": GET / through tpp and through nginx to the same nginx origin.
#   Scenario "plain2" (opt-in): scenario 1 with 2 workers each, wrk -t2 -c200, nothing pinned apart.
#   Scenario 2 "mixed": /thumb/ (2800x2000 JPEG -> 300x200) at 20 connections while /hello runs at 10,
#   on tpp with the thumbs pool at threads 2 and at threads 0 (inline), and on nginx image_filter.
#   Scenario 3 "waf": CRS at paranoia level 1 in tpp and in nginx + ModSecurity v3, WAF CPU per request for a
#   GET, a 4 KB form POST and an attack; tpp's /hello p99 while its waf pool is saturated (bench/waf.sh).
#   Scenario 4 "tls": tpp and nginx terminating TLS with the same RSA-2048 and ECDSA P-256 certificates: full
#   handshakes per CPU-second, /hello p99 during an RSA handshake storm (tpp's tls pool at threads 1 and 0), and
#   CPU per request of keepalive HTTPS proxying (bench/tls.sh).
#   Scenario "mixed-open" (opt-in, needs Go for vegeta): scenario 2 with /hello open-loop at a fixed rate, for
#   thumbs priority low, priority normal and threads 0 (bench/openloop.sh).
#   Scenario 5 "balance": keepalive load through one tpp worker to 3 origins (leastRequest) and through nginx
#   round robin with upstream keepalive; the share of requests per origin, max/min (bench/balance.sh).
#   Scenario "h2": HTTP/2 over TLS, h2load -c 50 -m 10 on /hello and on a proxied path, tpp against nginx's http2
#   with the same certificate; requests per CPU-second (bench/h2.sh).
#   Scenario "workers": 2 workers, 200 keepalive connections plus bursts of fresh ones, tpp in both accept modes and
#   nginx with reuseport and a shared socket; connections, requests and CPU per worker, max/min (bench/workers.sh).
# Raw wrk output, configs and logs go to bench/out/; the summary is printed last (bench/README.md).
# Knobs (environment): BENCH_DURATION=10 BENCH_WARMUP=10 BENCH_ROUNDS=3 BENCH_SCENARIOS="plain plain2 mixed waf tls balance h2 workers"
#   BENCH_CRS=DIR (default ../shared/crs-3.3.4, else /usr/share/modsecurity-crs) LOAD_CPU=0 SERVER_CPU=1 TPP_JAVA_OPTS=... TPP_JAR=... (default proxy/target/tpp-proxy.jar)
#   WAF_POOL_PRIORITY=normal|low (scenario 3) TLS_STORM_CONNS=32 TLS_HELLO_RATE=1000 TLS_HELLO_CONNS=64 TLS_POOL_PRIORITY=low|normal (scenario 4)
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out"
DURATION="${BENCH_DURATION:-10}"
WARMUP="${BENCH_WARMUP:-10}"
ROUNDS="${BENCH_ROUNDS:-3}"
SCENARIOS="${BENCH_SCENARIOS:-plain plain2 mixed waf tls balance h2 workers}"
NGINX_PROXY=127.0.0.1:28081
NGINX_MIXED=127.0.0.1:28082
WAF_NGINX=127.0.0.1:28083
CRS="${BENCH_CRS:-$(cd "$ROOT/.." && pwd)/shared/crs-3.3.4}" # the Makefile's CRS_RULES
[ -n "${BENCH_CRS:-}" ] || [ -d "$CRS/rules" ] || CRS=/usr/share/modsecurity-crs
CRS="$(cd "$CRS" 2>/dev/null && pwd || echo "$CRS")" # absolute: ModSecurity reads it from OUT/nginx-waf

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$BENCH/lib.sh"
# shellcheck source-path=SCRIPTDIR source=waf.sh
. "$BENCH/waf.sh"
# shellcheck source-path=SCRIPTDIR source=tls.sh
. "$BENCH/tls.sh"
# shellcheck source-path=SCRIPTDIR source=openloop.sh
. "$BENCH/openloop.sh"
# shellcheck source-path=SCRIPTDIR source=balance.sh
. "$BENCH/balance.sh"
# shellcheck source-path=SCRIPTDIR source=h2.sh
. "$BENCH/h2.sh"
# shellcheck source-path=SCRIPTDIR source=workers.sh
. "$BENCH/workers.sh"

prepare() {
  local deps=(nginx libnginx-mod-http-image-filter wrk)
  [[ " $SCENARIOS " != *" waf "* ]] || deps+=(libnginx-mod-http-modsecurity modsecurity-crs)
  [[ " $SCENARIOS " != *" tls "* ]] || deps+=(openssl)
  [[ " $SCENARIOS " != *" h2 "* ]] || deps+=(openssl nghttp2-client curl)
  "$ROOT/scripts/install-deps.sh" "${deps[@]}"
  rm -rf "$OUT"
  mkdir -p "$OUT"
  exec > >(tee "$OUT/run.log") 2>&1
  if [ "$(nproc)" -lt 2 ]; then
    log "only $(nproc) CPU: load generator and server share it; ratios still compare like with like"
    LOAD_CPU=0 SERVER_CPU=0
  fi
  "$ROOT/deploy/local/prepare.sh"
  ln -s "$ROOT/deploy/local/images" "$OUT/images"
  {
    date -u +"date: %Y-%m-%dT%H:%M:%SZ"
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "cpus: $(nproc), load generator on cpu $LOAD_CPU, server under test on cpu $SERVER_CPU"
    echo "kernel: $(uname -sr), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "nginx: $(nginx -v 2>&1)"
    echo "wrk: $(wrk --version 2>&1 | head -1)"
    echo "java: $(java -version 2>&1 | head -1), TPP_JAVA_OPTS=$TPP_JAVA_OPTS"
    echo "modsecurity: $(dpkg-query -W -f '${Version}' libmodsecurity3 2>/dev/null || echo none), CRS: $CRS"
    echo "openssl: $(openssl version 2>&1), go (bench/tlsload): $(go version 2>/dev/null || echo none)"
    echo "duration: ${DURATION}s per measured run, ${WARMUP}s warm-up, $ROUNDS rounds in scenarios 1, 3 and 4"
  } > "$OUT/env.txt"
  cat "$OUT/env.txt"
  TPP_OK=1
  if [ ! -f "$JAR" ]; then
    log "no $JAR: tpp runs are skipped (build it with: make build)"
    TPP_OK=0
  fi
}

# tpp and nginx listen side by side (both pinned to the server cpu, the idle one costs nothing) and
# are measured in alternating rounds, so a noisy spell on the host hits both; the summary takes medians.
scenario_plain() {
  log "scenario 1: plain proxy, $ROUNDS rounds"
  plain_rounds plain "$CONF/tpp-plain.yaml" 50
}

# Scenario 1 with 2 workers (tpp workers: 2, nginx worker_processes 2, wrk -t2 -c200): no pinning, so wrk and the
# origin share both CPUs with the server under test, as on a 2-core host that runs them all.
scenario_plain2() {
  log "scenario 1 with 2 workers: plain proxy, $ROUNDS rounds, everything on cpus $LOAD_CPU,$SERVER_CPU"
  sed 's/^workers: 1$/workers: 2/' "$CONF/tpp-plain.yaml" > "$OUT/tpp-plain2.yaml"
  local cpus="$LOAD_CPU,$SERVER_CPU"
  local LOAD_CPU="$cpus" SERVER_CPU="$cpus" NGINX_WORKERS=2 WRK_THREADS=2
  plain_rounds plain2 "$OUT/tpp-plain2.yaml" 200
}

# plain_rounds NAME TPP_CONFIG CONNECTIONS: warm-ups, then ROUNDS alternating runs of tpp and nginx-proxy.
# The warm-up alternates too, in runs as long as a measured one: every measured run of either server then follows
# one run of the other, as rounds 2.. do, and the warm-up has the connection churn of the rounds (each wrk run
# connects anew). One long warm-up per server left tpp's round 1 after 90 s idle, and its first new connections
# after C2 had settled deoptimised ~90 hot methods (fireChannelRead, the dispatcher's channelRead ...) compiled
# from a profile without connection setup in it: round 1 ran at 0.8x of round 2 (bench/README.md, issue 13).
plain_rounds() {
  local name="$1" config="$2" conns="$3" tpp="" nginx="http://$NGINX_PROXY/" round slice
  start_nginx origin "$LOAD_CPU"
  wait_http "http://$ORIGIN/" 200 || die "origin did not come up"
  if [ "$TPP_OK" = 1 ] && start_tpp "$name" "$config" && check_http "http://$TPP/" 200 "origin says hello"; then
    tpp="http://$TPP/"
  fi
  start_nginx nginx-proxy "$SERVER_CPU"
  check_http "$nginx" 200 "origin says hello" || nginx=""
  for ((slice = 1; slice * DURATION <= WARMUP || slice == 1; slice++)); do
    [ -z "$tpp" ] || wrk_run "$name-tpp-warmup-$slice" "$conns" "$DURATION" "$tpp"
    [ -z "$nginx" ] || wrk_run "$name-nginx-warmup-$slice" "$conns" "$DURATION" "$nginx"
  done
  for ((round = 1; round <= ROUNDS; round++)); do
    [ -z "$tpp" ] || wrk_run "$name-tpp-$round" "$conns" "$DURATION" "$tpp" "tpp-$name"
    [ -z "$nginx" ] || wrk_run "$name-nginx-$round" "$conns" "$DURATION" "$nginx" nginx-proxy
  done
  stop_tpp
  stop_nginx nginx-proxy
  stop_nginx origin
}

# One mixed run: thumbnails from 1 s before to 1 s after the measured /hello window.
mixed_load() {
  local name="$1" base="$2" seconds="$3"
  wrk_run "$name-thumb" 20 $((seconds + 2)) "$base/thumb/sample.jpg" &
  local thumbs=$!
  sleep 1
  wrk_run "$name-hello" 10 "$seconds" "$base/hello"
  wait "$thumbs"
}

scenario_mixed_tpp() {
  local threads="$1" config="$OUT/tpp-mixed-t$1.yaml" base="http://$TPP"
  sed "s/@THREADS@/$threads/" "$CONF/tpp-mixed.yaml" > "$config"
  if start_tpp "mixed-t$threads" "$config" && check_http "$base/hello" 200 hello \
      && check_http "$base/thumb/sample.jpg" 200 ""; then
    mixed_load "mixed-tpp-t$threads-warmup" "$base" "$WARMUP"
    mixed_load "mixed-tpp-t$threads" "$base" "$DURATION"
  fi
  stop_tpp
}

scenario_mixed() {
  log "scenario 2: mixed workload"
  if [ "$TPP_OK" = 1 ]; then
    scenario_mixed_tpp 2
    scenario_mixed_tpp 0
  fi
  local base="http://$NGINX_MIXED"
  mkdir -p "$OUT/nginx-mixed"
  ln -s "$OUT/images" "$OUT/nginx-mixed/images"
  start_nginx nginx-mixed "$SERVER_CPU"
  if check_http "$base/hello" 200 hello && check_http "$base/thumb/sample.jpg" 200 ""; then
    mixed_load mixed-nginx "$base" "$DURATION"
  fi
  stop_nginx nginx-mixed
}

trap cleanup EXIT
trap 'exit 130' INT TERM
prepare
host_sampler
load_note "at start"
for scenario in $SCENARIOS; do
  load_note "before scenario $scenario"
  case "$scenario" in
    plain | plain2 | mixed | waf | tls | balance | h2 | workers) "scenario_$scenario" ;;
    mixed-open) scenario_mixed_open ;;
    *) die "unknown scenario '$scenario' in BENCH_SCENARIOS (expected: plain, plain2, mixed, waf, tls, balance, h2, workers, mixed-open)" ;;
  esac
  load_note "after scenario $scenario"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/env.txt"
echo
{
  cat "$OUT/env.txt"; echo; python3 "$BENCH/wrkstats.py" summary "$OUT"
  if compgen -G "$OUT/open-*.vegeta.json" > /dev/null; then echo; python3 "$BENCH/openloop.py" summary "$OUT"; fi
  [ ! -f "$OUT/balance.txt" ] || { echo; cat "$OUT/balance.txt"; }
  [ ! -f "$OUT/h2.txt" ] || { echo; cat "$OUT/h2.txt"; }
  [ ! -f "$OUT/workers.txt" ] || { echo; cat "$OUT/workers.txt"; }
  echo; python3 "$BENCH/hoststats.py" summary "$OUT/procstat.log"
} | tee "$OUT/summary.txt"
echo
echo "raw wrk output, configs and server logs: $OUT"
