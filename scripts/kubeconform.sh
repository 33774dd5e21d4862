#!/usr/bin/env bash
# Runs kubeconform (github.com/yannh/kubeconform), building it from its Go module on first use (no binary downloads
# on these machines) with the go on PATH when it is new enough, else with the pinned toolchain scripts/go.sh
# downloads. Cached under ~/.cache/tpp/kubeconform-<version> ($TPP_CACHE when set), like scripts/helm.sh.
# Usage: scripts/kubeconform.sh ARGS...   (helm/test.sh validates the chart's rendered objects with it)
set -euo pipefail
KUBECONFORM_VERSION="${KUBECONFORM_VERSION:-v0.8.0}"
bin_dir="${TPP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tpp}/kubeconform-${KUBECONFORM_VERSION}"
bin="$bin_dir/kubeconform"
if [ ! -x "$bin" ]; then
  mkdir -p "$bin_dir"
  exec 9>"$bin_dir.lock"   # one build at a time: a second caller waits, then finds the binary
  flock 9
fi
if [ ! -x "$bin" ]; then
  PATH="$("$(dirname "$0")/go.sh" --path):$PATH"; unset GOROOT
  echo "kubeconform.sh: building kubeconform ${KUBECONFORM_VERSION} into $bin_dir (first use only)" >&2
  GOBIN="$bin_dir" GOFLAGS="${GOFLAGS:-} -buildvcs=false -p=1" nice -n 10 \
    go install "github.com/yannh/kubeconform/cmd/kubeconform@${KUBECONFORM_VERSION}" >&2
fi
exec "$bin" "$@"
