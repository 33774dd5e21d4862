#!/usr/bin/env bash
# Installs what the build needs on a fresh Debian machine; does nothing when it is already there.
#   scripts/install-deps.sh [--test] [--go] [PACKAGE...]
#   scripts/install-deps.sh --packages PACKAGE...    (only these: no Java or Maven, no recommended packages)
# --test adds what `make test` needs beyond the build: gcc and libmodsecurity3, for the differential test of
# @detectSQLi/@detectXSS against libinjection (waf, LibinjectionDifferentialTest; it skips without them), and its
# headers (libmodsecurity-dev) for the whole-engine differential test (waf, ModsecDifferentialTest), and
# openssl and curl, the real TLS clients of the TLS tests, and prometheus for promtool, which checks a live proxy's
# /metrics (proxy, MetricsExpositionIT).
# --go provides the Go toolchain the project pins (scripts/go.sh: only when no go that new is on PATH), which builds
# helm and the e2e control plane. `make run` needs neither.
set -euo pipefail
TEST_PACKAGES=(gcc libmodsecurity3 libmodsecurity-dev openssl curl prometheus)
need=() packages=()
java=true go=false apt_opts=()
while [ $# -gt 0 ]; do
  case $1 in
    --test) packages+=("${TEST_PACKAGES[@]}"); shift ;;
    --go) go=true; shift ;;
    --packages) java=false apt_opts=(--no-install-recommends); shift ;;
    *) break ;;
  esac
done
if $java; then
  command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
  command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || need+=(maven)
fi
for pkg in "${packages[@]}" "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "install-deps: installing ${need[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${apt_opts[@]}" "${need[@]}" >/dev/null
fi
if $go; then "$(dirname "$0")/go.sh" version; fi
