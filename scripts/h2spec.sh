#!/usr/bin/env bash
# Runs h2spec (the HTTP/2 conformance suite, built from its Go module on first use and cached like helm) against a
# real proxy over TLS (ALPN h2) and over h2c (prior knowledge), and prints one line per run:
#   h2spec tls: 141 passed, 4 failed
# Exits non-zero when a case fails that proxy/src/test/h2spec/known-failures.txt does not list (each listed one says
# why), or when a listed one starts passing (remove it then). Usage: scripts/h2spec.sh   (needs proxy/target/tpp-proxy.jar)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
H2SPEC_VERSION="${H2SPEC_VERSION:-v2.2.1+incompatible}"
bin_dir="${TPP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tpp}/h2spec-${H2SPEC_VERSION%+*}"
if [ ! -x "$bin_dir/h2spec" ]; then
  mkdir -p "$bin_dir"
  exec 9>"$bin_dir.lock"; flock 9
  if [ ! -x "$bin_dir/h2spec" ]; then
    PATH="$("$ROOT/scripts/go.sh" --path):$PATH"; unset GOROOT
    echo "h2spec.sh: building h2spec ${H2SPEC_VERSION} into $bin_dir (first use only)" >&2
    GOBIN="$bin_dir" GOFLAGS="-mod=mod -buildvcs=false" go install "github.com/summerwind/h2spec/cmd/h2spec@${H2SPEC_VERSION}"
  fi
fi
"$ROOT/scripts/install-deps.sh" openssl >/dev/null
work="$(mktemp -d)"
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
ports=$(python3 -c 'import socket
s=[socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1",0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))')
read -r h2c tls admin <<<"$ports"
cat > "$work/proxy.yaml" <<YAML
listen: {address: 127.0.0.1, port: $h2c, http2: true}
admin: {address: 127.0.0.1, port: $admin}
workers: 1
pools: [{name: tls, threads: 1, maxQueue: 256}]
listeners:
  - {name: https, address: 127.0.0.1, port: $tls, http2: true, tls: {certificates: [{certFile: tls.crt, keyFile: tls.key}]}}
routes:
  - {path: /, return: {status: 200, body: "h2spec"}}
YAML
java -jar "$ROOT/proxy/target/tpp-proxy.jar" --config "$work/proxy.yaml" > "$work/proxy.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$admin/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
known="$ROOT/proxy/src/test/h2spec/known-failures.txt"
status=0
run() { # NAME ARGS...: h2spec's JUnit report, then the failures compared with the known list for NAME
  local name=$1; shift
  "$bin_dir/h2spec" -h 127.0.0.1 -o 3 -j "$work/$name.xml" "$@" > "$work/$name.out" 2>&1 || true
  python3 - "$work/$name.xml" "$known" "$name" <<'PY' || status=1
import sys, xml.etree.ElementTree as ET
report, known_file, name = sys.argv[1:]
known, flaky = set(), set()
for line in open(known_file):
    line = line.split("#")[0].strip()
    if line:
        scope, kind, case = line.split()
        if scope in (name, "all"):
            (flaky if kind == "flaky" else known).add(case)
passed, failed = 0, []
for suite in ET.parse(report).getroot().iter("testsuite"):
    pkg = suite.get("package", "")
    for number, case in enumerate(suite.iter("testcase"), 1):
        cid = f"{pkg}/{number}"  # h2spec's own id: section/case, as `h2spec http2/5.1/6` takes it
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(cid)
        elif case.find("skipped") is None:
            passed += 1
print(f"h2spec {name}: {passed} passed, {len(failed)} failed")
unexpected = sorted(set(failed) - known - flaky)
fixed = sorted(known - set(failed))
for c in unexpected:
    print(f"h2spec {name}: unexpected failure {c}")
for c in fixed:
    print(f"h2spec {name}: {c} passes now: remove it from known-failures.txt")
sys.exit(1 if unexpected or fixed else 0)
PY
}
run tls -p "$tls" -t -k
run h2c -p "$h2c"
if [ $status -ne 0 ]; then
  echo "h2spec.sh: see $work/*.out (kept)"; trap - EXIT; kill "$pid" 2>/dev/null || true
fi
exit $status
