#!/usr/bin/env bash
# Runs helm, building it from its Go module on first use (no binary downloads on these machines) with the go on PATH
# when it is new enough, else with the pinned toolchain scripts/go.sh downloads.
# The binary is cached under ~/.cache/tpp/helm-<version> ($TPP_CACHE/helm-<version> when TPP_CACHE is set, as in
# e2e/cluster/build.sh, which builds it through this script), so changing HELM_VERSION builds a new one beside the old.
# Usage: scripts/helm.sh ARGS...   (e.g. scripts/helm.sh template helm/threadpoolproxy)
set -euo pipefail
HELM_VERSION="${HELM_VERSION:-v3.22.0}"   # its go.mod says go 1.26.0: GO_VERSION in e2e/cluster/versions.sh is newer
bin_dir="${TPP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tpp}/helm-${HELM_VERSION}"
helm_bin="$bin_dir/helm"
if [ ! -x "$helm_bin" ]; then
  mkdir -p "$bin_dir"
  # One build at a time: a second caller waits for the first, then finds the binary.
  exec 9>"$bin_dir.lock"
  flock 9
fi
if [ ! -x "$helm_bin" ]; then
  PATH="$("$(dirname "$0")/go.sh" --path):$PATH"; unset GOROOT
  echo "helm.sh: building helm ${HELM_VERSION} into $bin_dir (first use only; a few minutes)" >&2
  # The ldflags of helm's own Makefile: the version, and the Kubernetes version `helm template` and `helm lint`
  # assume (without them it is v1.20, older than the chart's kubeVersion): 1.X for client-go v0.X in helm's go.mod.
  gomod=$(go mod download -json "helm.sh/helm/v3@${HELM_VERSION}" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  k8s_minor=$(sed -n 's/^[[:space:]]*k8s.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$gomod")
  [ -n "$k8s_minor" ] || { echo "helm.sh: no k8s.io/client-go version in $gomod" >&2; exit 1; }
  ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}"
  for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    ldflags="$ldflags -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$k8s_minor"
  done
  # One package at a time and niced: developer machines are shared (~15 min under load); CI has the machine to itself.
  jobs="${HELM_BUILD_JOBS:-$([ "${CI:-}" = true ] && echo 2 || echo 1)}"
  GOBIN="$bin_dir" GOFLAGS="${GOFLAGS:-} -buildvcs=false -p=$jobs" nice -n 10 \
    go install -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}" >&2
fi
exec "$helm_bin" "$@"
