#!/usr/bin/env bash
# Installs what the build needs on a fresh Debian machine; does nothing when it is already there.
#   scripts/install-deps.sh [--test] [PACKAGE...]
# --test adds what `make test` needs beyond the build: gcc and libmodsecurity3, for the differential test of
# @detectSQLi/@detectXSS against libinjection (waf, LibinjectionDifferentialTest; it skips without them), and
# prometheus for promtool, which checks a live proxy's /metrics (proxy, MetricsExpositionIT).
set -euo pipefail
TEST_PACKAGES=(gcc libmodsecurity3 prometheus)
if [ "${1:-}" = --test ]; then
  shift
  set -- "${TEST_PACKAGES[@]}" "$@"
fi
need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "install-deps: installing ${need[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
