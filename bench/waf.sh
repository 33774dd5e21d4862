# shellcheck shell=bash
# Scenario 3 "waf" of bench/run.sh (sourced, not run): tpp with CRS at paranoia level 1 against nginx +
# ModSecurity v3 with the same CRS files, both in front of the same origin (bench/README.md, scenario 3).
# Response bodies of type text/html are inspected on both sides (phase 4): the html64k case proxies a 64 KB page.
# Every request is measured with the WAF on and off on the same server (host waf.bench.test vs
# off.bench.test): the difference in server CPU per request is what the WAF costs. Then tpp's /hello p99,
# idle and while 64 KB POSTs saturate the waf pool, in BENCH_ROUNDS alternating rounds. Expects what run.sh
# sets, and lib.sh.

WAF_CONNS=16
WAF_HOST=waf.bench.test
OFF_HOST=off.bench.test
WAF_REQUESTS="get post attack html64k"
declare -A WAF_PATH=(
  [get]="/search?q=blue+running+shoes&size=42&colour=navy&sort=price_asc&page=2&utm_source=newsletter"
  [post]="/account/profile"
  [attack]="/search?q=1%27+UNION+SELECT+username%2C+password+FROM+users--+&page=2"
  [post64k]="/upload/form"
  [html64k]="/page-64k.html"
)
declare -A WAF_BODY=([post]=post-4k.form [post64k]=post-64k.form)
declare -A WAF_STATUS=([get]=200 [post]=200 [attack]=403 [post64k]=200 [html64k]=200)
# the response body size a check expects, where the case is about the response
declare -A WAF_SIZE=([html64k]=65536)

# waf_crs_setup DIR: the crs-setup file tpp would load for DIR (WafEngineBuilder's order), for ModSecurity.
waf_crs_setup() {
  local f
  for f in "$1/crs-setup.conf" "$1/crs-setup.conf.example" /etc/modsecurity/crs/crs-setup.conf; do
    if [ -f "$f" ]; then
      echo "$f"
      return 0
    fi
  done
  die "no crs-setup.conf for $1"
}

# waf_form FILE SIZE: a benign urlencoded form (profile fields and plain prose) of exactly SIZE bytes.
waf_form() {
  python3 - "$1" "$2" <<'EOF'
import sys
path, size = sys.argv[1], int(sys.argv[2])
words = ("lorem ipsum dolor sit amet consectetur adipiscing elit do eiusmod tempor incididunt ut labore "
         "et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi").split()
fields = ["first_name=Jane", "last_name=Doe", "email=jane.doe%40example.com", "phone=%2B44+20+7946+0958",
          "city=London", "postcode=SW1A+1AA", "newsletter=on"]
body, i = "&".join(fields), 0
while len(body) < size:
    text = "+".join(words[(i + k) % len(words)] for k in range(24))
    body += "&note_%d=%s" % (i, text)
    i += 1
body = body[:size].rstrip("+&=")
body += "x" * (size - len(body))
open(path, "w").write(body)
EOF
}

# waf_page FILE SIZE: a benign HTML page (a shop's catalogue: head, navigation, product cards, footer) of
# exactly SIZE bytes, for the html64k case: what CRS's RESPONSE-95x rules scan when response bodies are inspected.
waf_page() {
  python3 - "$1" "$2" <<'EOF'
import sys
path, size = sys.argv[1], int(sys.argv[2])
words = ("comfortable lightweight running shoe with breathable mesh upper cushioned midsole and durable rubber "
         "outsole designed for daily training long distance races and casual wear in all seasons").split()
head = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<title>Running shoes | Example Shop</title>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="stylesheet" href="/static/css/site.css">\n<script src="/static/js/site.js" defer></script>\n'
        '</head>\n<body>\n<header class="site-header"><nav><ul>\n'
        + "".join('<li><a href="/catalogue/%s">%s</a></li>\n' % (c, c.title())
                  for c in ("shoes", "clothing", "accessories", "sale", "brands", "new"))
        + '</ul></nav></header>\n<main class="catalogue">\n<h1>Running shoes</h1>\n')
tail = '</main>\n<footer class="site-footer"><p>Example Shop Ltd, 1 High Street, London</p></footer>\n</body>\n</html>\n'
cards, length, i = [], len(head) + len(tail), 0
while length < size:
    text = " ".join(words[(i + k) % len(words)] for k in range(20))
    card = ('<article class="product" data-id="%d">\n<a href="/product/%d"><img src="/img/p%d.jpg" alt="Shoe %d" '
            'width="300" height="200"></a>\n<h2>Trail Runner %d</h2>\n<p class="price">&pound;%d.99</p>\n'
            '<p>%s.</p>\n<button type="button" class="add-to-cart">Add to basket</button>\n</article>\n'
            % (i, i, i % 40, i, i, 40 + i % 60, text.capitalize()))
    cards.append(card)
    length += len(card)
    i += 1
body = (head + "".join(cards))[:size - len(tail) - 1]
body = body[:body.rfind("</article>\n") + len("</article>\n")]  # whole cards; blanks fill the rest
open(path, "w").write(body.ljust(size - len(tail), " ") + tail)
EOF
}

# waf_args HOST REQ: the Lua script and its arguments (host, headers file, body file if any) for one request kind.
waf_args() {
  local args=("$CONF/browser-headers.txt")
  [ -z "${WAF_BODY[$2]:-}" ] || args+=("$OUT/${WAF_BODY[$2]}")
  echo "$CONF/waf-request.lua" "$1" "${args[@]}"
}

# waf_wrk NAME CONNECTIONS SECONDS BASE HOST REQ [SERVER]
waf_wrk() {
  # shellcheck disable=SC2046 # waf_args prints paths without spaces (bench/ and bench/out/)
  wrk_run "$1" "$2" "$3" "$4${WAF_PATH[$6]}" "${7:-}" $(waf_args "$5" "$6")
}

# waf_check BASE HOST REQ [STATUS]: the request once with curl (same headers and body), expecting STATUS
# (default WAF_STATUS[REQ]).
waf_check() {
  local req="$3" expected="${4:-${WAF_STATUS[$3]}}" status curl_args=(-s --max-time 30 -o "$OUT/check.body" -w '%{http_code}')
  curl_args+=(-H "@$CONF/browser-headers.txt" -H "Host: $2")
  if [ -n "${WAF_BODY[$req]:-}" ]; then
    curl_args+=(--data-binary "@$OUT/${WAF_BODY[$req]}" -H "Content-Type: application/x-www-form-urlencoded")
  fi
  status="$(curl "${curl_args[@]}" "$1${WAF_PATH[$req]}" || true)"
  if [ "$status" != "$expected" ]; then
    log "check failed: $req to $2 at $1 answered '$status' (expected $expected); not measured"
    return 1
  fi
  if [ -n "${WAF_SIZE[$req]:-}" ] && [ "$(stat -c %s "$OUT/check.body")" != "${WAF_SIZE[$req]}" ]; then
    log "check failed: $req to $2 at $1 sent $(stat -c %s "$OUT/check.body") bytes (expected ${WAF_SIZE[$req]})"
    return 1
  fi
}

# waf_checks BASE: with the WAF, every request gets its status (the attack 403); without it, all pass.
waf_checks() {
  local req
  for req in $WAF_REQUESTS post64k; do
    waf_check "$1" "$WAF_HOST" "$req" && waf_check "$1" "$OFF_HOST" "$req" 200 || return 1
  done
}

waf_start_tpp() {
  local config="$OUT/tpp-waf.yaml"
  sed -e "s|@CRS@|$CRS|" -e "s|@PRIORITY@|${WAF_POOL_PRIORITY:-normal}|" "$CONF/tpp-waf.yaml" > "$config"
  start_tpp waf "$config" && waf_checks "http://$TPP"
}

waf_start_nginx() {
  mkdir -p "$OUT/nginx-waf/tmp"
  sed -e "s|@CRS@/crs-setup.conf.example|$(waf_crs_setup "$CRS")|" -e "s|@CRS@|$CRS|" "$CONF/modsecurity.conf" \
    > "$OUT/nginx-waf/modsecurity.conf"
  # ModSecurity opens modsecurity_rules_file relative to the working directory, not to nginx's prefix
  pushd "$OUT/nginx-waf" > /dev/null || return 1
  start_nginx nginx-waf "$SERVER_CPU"
  popd > /dev/null || return 1
  waf_checks "http://$WAF_NGINX"
}

# waf_saturate ROUND: 64 KB POSTs at 64 connections (the waf pool: 2 threads, 128 queued) from 1 s before to
# 1 s after the measured /hello window; halfway, the pool gauges are saved as evidence that it was saturated.
waf_saturate() {
  local base="http://$TPP" round="$1"
  waf_wrk "waf-saturate-post64k-$round" 64 $((DURATION + 2)) "$base" "$WAF_HOST" post64k &
  local posts=$!
  (sleep $((DURATION / 2 + 1)); curl -s "http://$TPP_ADMIN/metrics" | grep -E '^tpp_pool_[a-z_]+\{.*pool="waf"' \
    > "$OUT/waf-saturate-pool-$round.txt") &
  local scrape=$!
  sleep 1
  wrk_run "waf-saturated-hello-$round" 10 "$DURATION" "$base/hello"
  wait "$posts" "$scrape"
}

scenario_waf() {
  log "scenario 3: waf, CRS at paranoia level 1 from $CRS"
  waf_form "$OUT/post-4k.form" 4096
  waf_form "$OUT/post-64k.form" 65536
  mkdir -p "$OUT/origin/html"
  waf_page "$OUT/origin/html/page-64k.html" 65536
  start_nginx origin "$LOAD_CPU"
  wait_http "http://$ORIGIN/" 200 || die "origin did not come up"
  local sides=() side req base mode
  declare -A bases=([tpp]="http://$TPP" [nginx]="http://$WAF_NGINX") servers=([tpp]=tpp-waf [nginx]=nginx-waf)
  if [ "$TPP_OK" = 1 ] && waf_start_tpp; then sides+=(tpp); fi
  if waf_start_nginx; then sides+=(nginx); fi
  declare -A hosts=([on]="$WAF_HOST" [off]="$OFF_HOST")
  for side in "${sides[@]}"; do
    for req in $WAF_REQUESTS; do
      for mode in on off; do
        waf_wrk "waf-$side-$req-$mode-warmup" "$WAF_CONNS" $((WARMUP / 2 > 0 ? WARMUP / 2 : 1)) \
          "${bases[$side]}" "${hosts[$mode]}" "$req"
      done
    done
  done
  # on and off alternate per request kind and side, so a noisy spell on the host hits both of a pair
  for req in $WAF_REQUESTS; do
    for side in "${sides[@]}"; do
      for mode in on off; do
        waf_wrk "waf-$side-$req-$mode" "$WAF_CONNS" "$DURATION" "${bases[$side]}" "${hosts[$mode]}" "$req" \
          "${servers[$side]}"
      done
    done
  done
  stop_nginx nginx-waf
  # idle and saturated alternate, as in scenario 1, so a noisy spell on the host does not decide the ratio
  local round
  for ((round = 1; round <= ROUNDS; round++)); do
    [[ " ${sides[*]} " == *" tpp "* ]] || break
    wrk_run "waf-idle-hello-$round" 10 "$DURATION" "http://$TPP/hello"
    waf_saturate "$round"
  done
  stop_tpp
  stop_nginx origin
}
