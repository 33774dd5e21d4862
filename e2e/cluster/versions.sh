# Pinned versions of everything the e2e control plane is built from (sourced by build.sh, up.sh, down.sh, and by
# scripts/go.sh). The cache is keyed by these: bump a version and the next build.sh builds the new one beside the old.
# Go: the toolchain scripts/go.sh provides when the go on PATH is missing or older (~/.cache/tpp/go-<version>).
# At least the `go` line of the Kubernetes release's go.mod and of helm's (1.26.0 for both now).
GO_VERSION=${GO_VERSION:-1.26.8}
K8S_VERSION=${K8S_VERSION:-v1.37.2}     # kube-apiserver, kube-controller-manager, kube-scheduler
HELM_VERSION=${HELM_VERSION:-v3.22.0}   # shared with the chart tests: ~/.cache/tpp/helm-<version>/helm
KEDA_VERSION=${KEDA_VERSION:-v2.21.0}   # only its CRD files are used
PROM_OPERATOR_VERSION=${PROM_OPERATOR_VERSION:-v0.85.0}  # only its CRD files are used
# etcd: the version Kubernetes itself pins in its go.mod (go.etcd.io/etcd/server/v3), built in the same module
# graph so the two share compiled packages; build.sh records it as etcd-<version>.

TPP_CACHE=${TPP_CACHE:-$HOME/.cache/tpp}
K8S_BIN=$TPP_CACHE/kubernetes-$K8S_VERSION
HELM_BIN=$TPP_CACHE/helm-$HELM_VERSION/helm
E2E_STATE=${E2E_STATE:-${TMPDIR:-/tmp}/tpp-e2e}
