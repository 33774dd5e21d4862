#!/usr/bin/env bash
# Builds (once) and caches the e2e control plane from Go modules:
#   $TPP_CACHE/kubernetes-<v>/{kube-apiserver,kube-controller-manager,kube-scheduler,kubectl}
#   $TPP_CACHE/etcd-<v>/etcd          (the etcd server version Kubernetes <v> pins)
#   $TPP_CACHE/helm-<v>/helm          (shared with the chart tests)
#   $TPP_CACHE/crds/{keda-<v>,prometheus-operator-<v>}/*.yaml  (copied from the modules' own files)
# Safe to run concurrently (flock) and to re-run (present binaries are skipped). Targets: all (default) or any of
# kubernetes kubectl etcd helm crds. Builds with the go on PATH when it is at least GO_VERSION (versions.sh), else with
# that toolchain, downloaded once by scripts/go.sh.
set -euo pipefail
cd "$(dirname "$0")"
. ./versions.sh
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN=local
PATH="$(../../scripts/go.sh --path):$PATH"; unset GOROOT
mkdir -p "$TPP_CACHE"
log() { printf '%s build.sh: %s\n' "$(date -u +%T)" "$*" >&2; }
timed() { local t0=$SECONDS; "$@"; log "$1 ${2:-} took $((SECONDS - t0))s"; }

# k8s.io/kubernetes is not meant to be required: its go.mod points ~30 staging modules at ./staging/src.
# Our own module requires it and replaces each staging module with its published v0.<minor>.<patch>.
k8s_module() {
  local dir=$TPP_CACHE/src/kubernetes-$K8S_VERSION staging=v0.${K8S_VERSION#v1.}
  [[ -f $dir/go.mod ]] && { echo "$dir"; return; }
  local gomod; gomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  mkdir -p "$dir.tmp"
  {
    echo "module tpp.dev/e2e/kubernetes-build"
    grep -E '^(go|godebug) ' "$gomod"
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo "replace ("
    sed -nE "s#^\s*(k8s.io/[^ ]+) => ./staging/src/.*#\t\1 => \1 $staging#p" "$gomod"
    echo ")"
  } > "$dir.tmp/go.mod"
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
  echo "$dir"
}

# -X flags so `kubectl version` and helm's kubeVersion checks see the release, not v0.0.0.
version_ldflags() {
  local minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  local ver="-X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1"
  ver+=" -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
  ver+=" -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1"
  echo "$ver -X k8s.io/client-go/pkg/version.gitMinor=$minor"
}

build_kubernetes() {
  local out=$K8S_BIN
  [[ -x $out/kube-apiserver && -x $out/kube-controller-manager && -x $out/kube-scheduler ]] && return
  local dir; dir=$(k8s_module)
  local ver; ver=$(version_ldflags)
  mkdir -p "$out.tmp"
  log "building Kubernetes $K8S_VERSION control plane (first time: long; cached in $out)"
  (cd "$dir" && timed go build -ldflags "-s -w $ver" -o "$out.tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler)
  rm -rf "$out"; mv "$out.tmp" "$out"
}

# kubectl at the control plane's own version: the one on a machine may be missing or outside the supported skew
# (±1 minor). Built on its own so existing caches gain it without rebuilding the three servers.
build_kubectl() {
  [[ -x $K8S_BIN/kubectl ]] && return
  local dir; dir=$(k8s_module)
  mkdir -p "$K8S_BIN"
  log "building kubectl $K8S_VERSION"
  (cd "$dir" && timed go build -ldflags "-s -w $(version_ldflags)" -o "$K8S_BIN/kubectl.tmp" k8s.io/kubernetes/cmd/kubectl)
  mv "$K8S_BIN/kubectl.tmp" "$K8S_BIN/kubectl"
}

etcd_version() { (cd "$(k8s_module)" && go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3); }

build_etcd() {
  local v; v=$(etcd_version); local out=$TPP_CACHE/etcd-$v
  [[ -x $out/etcd ]] && return
  mkdir -p "$out.tmp"
  log "building etcd $v"
  (cd "$(k8s_module)" && timed go build -ldflags "-s -w" -o "$out.tmp/etcd" go.etcd.io/etcd/server/v3)
  rm -rf "$out"; mv "$out.tmp" "$out"
}

# One recipe for helm (version, ldflags, build lock): scripts/helm.sh, which the chart tests use too.
build_helm() {
  [[ -x $HELM_BIN ]] && return
  log "building helm $HELM_VERSION"
  GOFLAGS= TPP_CACHE=$TPP_CACHE HELM_VERSION=$HELM_VERSION timed ../../scripts/helm.sh version --short >&2
}

# CRDs of the operators we write objects for, taken from the files in their Go modules.
fetch_crds() {
  local keda=$TPP_CACHE/crds/keda-$KEDA_VERSION prom=$TPP_CACHE/crds/prometheus-operator-$PROM_OPERATOR_VERSION dir
  if [[ ! -d $keda ]]; then
    dir=$(GOFLAGS= go mod download -json "github.com/kedacore/keda/v2@$KEDA_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
    mkdir -p "$keda.tmp"; cp "$dir"/config/crd/bases/*.yaml "$keda.tmp/"; chmod u+w "$keda.tmp"/*; mv "$keda.tmp" "$keda"
  fi
  if [[ ! -d $prom ]]; then
    dir=$(GOFLAGS= go mod download -json "github.com/prometheus-operator/prometheus-operator@$PROM_OPERATOR_VERSION" \
      | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
    mkdir -p "$prom.tmp"; cp "$dir"/example/prometheus-operator-crd/*.yaml "$prom.tmp/"; chmod u+w "$prom.tmp"/*
    mv "$prom.tmp" "$prom"
  fi
}

exec 9>"$TPP_CACHE/.build.lock"; flock 9
[[ $# -gt 0 ]] || set -- all
for what in "$@"; do
  case $what in
    kubernetes) build_kubernetes ;;
    kubectl) build_kubectl ;;
    etcd) build_etcd ;;
    helm) build_helm ;;
    crds) fetch_crds ;;
    all) fetch_crds; build_kubernetes; build_kubectl; build_etcd; build_helm ;;
    *) echo "usage: $0 [all|kubernetes|kubectl|etcd|helm|crds]..." >&2; exit 2 ;;
  esac
done
du -sh "$TPP_CACHE" >&2
