# shellcheck shell=bash
# Scenario "h2" of bench/run.sh (sourced, not run): HTTP/2 over TLS, tpp (conf/tpp-h2.yaml) against nginx's http2
# module (conf/nginx-h2.conf), both on the server cpu with one worker and the same ECDSA P-256 certificate, made
# here with openssl. h2load (Debian's nghttp2-client) on the load cpu runs `-c 50 -m 10` for BENCH_DURATION seconds
# on /hello (answered by the server) and on / (proxied to the scenario-1 origin), tpp and nginx alternating in
# BENCH_ROUNDS rounds after a warm-up each. What counts is requests per CPU-second of the server (utime+stime from
# /proc, as in the other scenarios): issue 11 asks tpp >= 1.0x nginx's. Writes OUT/h2-*.h2load, OUT/h2-*.cpu and
# OUT/h2.txt (the summary). Expects what run.sh sets, and lib.sh.

H2_CONNS=50
H2_STREAMS=10
H2_TPP=127.0.0.1:28093
H2_NGINX=127.0.0.1:28086

# h2_load NAME URL [SERVER [SECONDS]]: one pinned h2load run (BENCH_DURATION by default), raw output in
# OUT/NAME.h2load; with SERVER (a started server's name, or "" for none), its CPU seconds go to OUT/NAME.cpu.
h2_load() {
  local name="$1" url="$2" server="${3:-}" seconds="${4:-$DURATION}" before=""
  [ -z "$server" ] || before="$(cpu_ticks "$server")"
  # h2load exits only once the server closed every connection after its GOAWAY; on a busy host tpp has been seen
  # to leave one open (with main's build as well), so a run that hangs is cut and reported instead of stalling
  if ! timeout "$((seconds + 30))" taskset -c "$LOAD_CPU" h2load -c "$H2_CONNS" -m "$H2_STREAMS" -t 1 \
      -D "$seconds" "$url" > "$OUT/$name.h2load" 2>&1; then
    log "h2load $name failed (see $OUT/$name.h2load)"
    return 0
  fi
  [ -z "$before" ] || cpu_since "$server" "$before" "$OUT/$name.cpu"
  log "$name: $(sed -n 's/^finished in [^,]*, \([0-9.]* req\/s\).*/\1/p' "$OUT/$name.h2load"), \
$(sed -n 's/^requests: .* \([0-9]* succeeded\), \([0-9]* failed\).*/\1, \2/p' "$OUT/$name.h2load")"
}

# h2_check PORT PATH TEXT: an HTTP/2 GET with curl before any load, verified with the certificate made for the bench.
h2_check() {
  local url="https://h2.bench.test:$1$2" tls=(--cacert "$OUT/h2/h2.crt" --resolve "h2.bench.test:$1:127.0.0.1")
  check_http "$url" 200 "$3" --http2 "${tls[@]}" || return 1
  if [ "$(curl -s -o /dev/null -w '%{http_version}' --http2 "${tls[@]}" "$url")" != 2 ]; then
    log "check failed: $url did not answer over HTTP/2; not measured"
    return 1
  fi
}

# h2_certificate: the ECDSA P-256 certificate both servers load, in OUT/h2/.
h2_certificate() {
  mkdir -p "$OUT/h2"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=h2.bench.test \
    -addext "subjectAltName=DNS:h2.bench.test" -keyout "$OUT/h2/h2.key" -out "$OUT/h2/h2.crt" 2> /dev/null \
    || die "openssl could not make the h2 certificate"
}

# h2_summary: per path and server, the medians over rounds, and the tpp/nginx ratio of requests per CPU-second.
h2_summary() {
  python3 - "$OUT" > "$OUT/h2.txt" <<'PY'
import glob, os, re, statistics, sys
out = sys.argv[1]
print(f"scenario h2: HTTP/2 over TLS, h2load -c 50 -m 10, one worker each (requests per CPU-second: target >= 1.0x)")
print(f"  {'run':28s} {'req/s':>9s} {'succeeded':>10s} {'failed':>7s} {'cpu s':>7s} {'req/cpu-s':>10s}")
medians = {}
for path in ("hello", "proxy"):
    for server in ("tpp", "nginx"):
        rates, per_cpu = [], []
        for f in sorted(glob.glob(os.path.join(out, f"h2-{server}-{path}-[0-9]*.h2load"))):
            text = open(f).read()
            rate = re.search(r"finished in [^,]*, ([0-9.]+) req/s", text)
            done = re.search(r"requests: .* (\d+) succeeded, (\d+) failed", text)
            cpu_file = f[:-len(".h2load")] + ".cpu"
            if not rate or not done or not os.path.exists(cpu_file):
                print(f"  {os.path.basename(f)[:-7]:28s} not measured")
                continue
            cpu = float(open(cpu_file).read())
            rates.append(float(rate.group(1)))
            per_cpu.append(int(done.group(1)) / cpu if cpu > 0 else 0.0)
            print(f"  {os.path.basename(f)[:-7]:28s} {float(rate.group(1)):9.0f} {done.group(1):>10s} "
                  f"{done.group(2):>7s} {cpu:7.2f} {per_cpu[-1]:10.0f}")
        if per_cpu:
            medians[(server, path)] = statistics.median(per_cpu)
            print(f"  {f'{server} {path} median':28s} {statistics.median(rates):9.0f} {'':>10s} {'':>7s} {'':>7s} "
                  f"{medians[(server, path)]:10.0f}")
for path, label in (("hello", "/hello (answered)"), ("proxy", "/ (proxied)")):
    t, n = medians.get(("tpp", path)), medians.get(("nginx", path))
    if t and n:
        ratio = t / n
        print(f"  {label:20s} requests per CPU-second tpp {t:.0f}, nginx {n:.0f}: {ratio:.2f}x (target >= 1.0x) "
              f"{'PASS' if ratio >= 1.0 else 'MISS'}")
    else:
        print(f"  {label:20s} not measured")
PY
}

scenario_h2() {
  log "scenario h2: HTTP/2 over TLS, tpp vs nginx http2, $ROUNDS rounds"
  command -v h2load > /dev/null || { log "no h2load: scenario h2 not measured"; return 0; }
  h2_certificate
  cp "$CONF/tpp-h2.yaml" "$OUT/tpp-h2.yaml" # beside h2/, which its certFile names
  start_nginx origin "$LOAD_CPU"
  wait_http "http://$ORIGIN/" 200 || die "origin did not come up"
  local tpp="" nginx="" round path target
  if [ "$TPP_OK" = 1 ] && start_tpp h2 "$OUT/tpp-h2.yaml" "$H2_TPP" \
      && h2_check "${H2_TPP##*:}" /hello hello && h2_check "${H2_TPP##*:}" / origin; then
    tpp="https://127.0.0.1:${H2_TPP##*:}"
    h2_load h2-tpp-warmup "$tpp/hello" "" "$WARMUP"
    h2_load h2-tpp-warmup-proxy "$tpp/" "" "$WARMUP"
  fi
  start_nginx nginx-h2 "$SERVER_CPU"
  if h2_check "${H2_NGINX##*:}" /hello hello && h2_check "${H2_NGINX##*:}" / origin; then
    nginx="https://127.0.0.1:${H2_NGINX##*:}"
    h2_load h2-nginx-warmup "$nginx/hello" "" "$WARMUP"
    h2_load h2-nginx-warmup-proxy "$nginx/" "" "$WARMUP"
  fi
  for ((round = 1; round <= ROUNDS; round++)); do
    for path in hello proxy; do
      target="/"
      [ "$path" = proxy ] || target="/hello"
      [ -z "$tpp" ] || h2_load "h2-tpp-$path-$round" "$tpp$target" tpp-h2
      [ -z "$nginx" ] || h2_load "h2-nginx-$path-$round" "$nginx$target" nginx-h2
    done
  done
  stop_tpp
  stop_nginx nginx-h2
  stop_nginx origin
  h2_summary
}
