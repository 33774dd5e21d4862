#!/usr/bin/env bash
# Starts etcd, kube-apiserver, kube-controller-manager and kube-scheduler on loopback from the cache build.sh fills,
# with certificates, service-account keys, RBAC+Node authorization and the KEDA / Prometheus Operator / cert-manager
# CRDs.
# Writes $E2E_STATE/kubeconfig (admin, system:masters) and $E2E_STATE/pki/node-*.{crt,key} for the node agent
# (system:node:<name>, so the Node authorizer and NodeRestriction apply to it). Stop with down.sh (PID files).
set -euo pipefail
cd "$(dirname "$0")"
. ./versions.sh
ETCD_PORT=${ETCD_PORT:-12379}
API_PORT=${API_PORT:-16443}
NODE_NAME=${NODE_NAME:-tpp-node}
t0=$(date +%s.%N)
log() { printf '%s up.sh: %s\n' "$(date -u +%T)" "$*" >&2; }

./build.sh crds kubernetes kubectl etcd helm  # helm: scenario 1 installs the chart
export PATH=$K8S_BIN:$PATH  # kubectl at the control plane's version
ETCD=$(ls -d "$TPP_CACHE"/etcd-v*/etcd | sort -V | tail -1)
if [[ -f $E2E_STATE/pids/kube-apiserver.pid ]] && kill -0 "$(cat "$E2E_STATE/pids/kube-apiserver.pid")" 2>/dev/null; then
  log "already running (state in $E2E_STATE); run down.sh first"; exit 1
fi
rm -rf "$E2E_STATE"; mkdir -p "$E2E_STATE"/{pki,pids,logs,etcd}
PKI=$E2E_STATE/pki

# --- certificates: one CA; apiserver serving cert; client certs by identity; the service-account key pair ---
cert() { # name CN O [extensions]
  local name=$1 cn=$2 o=$3 ext=${4:-}
  printf '%s\n' "$ext" >"$PKI/$name.ext"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -subj "/O=$o/CN=$cn" -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 30 \
    -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
}
openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -subj "/CN=tpp-e2e-ca" -days 30 \
  -out "$PKI/ca.crt" 2>/dev/null
cert apiserver kube-apiserver tpp-e2e \
  "subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth"
cert admin admin system:masters "extendedKeyUsage=clientAuth"
cert controller-manager system:kube-controller-manager tpp-e2e "extendedKeyUsage=clientAuth"
cert scheduler system:kube-scheduler tpp-e2e "extendedKeyUsage=clientAuth"
cert "node-$NODE_NAME" "system:node:$NODE_NAME" system:nodes "extendedKeyUsage=clientAuth"
openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null

kubeconfig() { # file cert-name
  local f=$E2E_STATE/$1
  kubectl config --kubeconfig "$f" set-cluster e2e --server "https://127.0.0.1:$API_PORT" \
    --certificate-authority "$PKI/ca.crt" --embed-certs >/dev/null
  kubectl config --kubeconfig "$f" set-credentials u --client-certificate "$PKI/$2.crt" \
    --client-key "$PKI/$2.key" --embed-certs >/dev/null
  kubectl config --kubeconfig "$f" set-context e2e --cluster e2e --user u >/dev/null
  kubectl config --kubeconfig "$f" use-context e2e >/dev/null
}
kubeconfig kubeconfig admin
kubeconfig controller-manager.kubeconfig controller-manager
kubeconfig scheduler.kubeconfig scheduler
kubeconfig node.kubeconfig "node-$NODE_NAME"
export KUBECONFIG=$E2E_STATE/kubeconfig

start() { # name cmd...
  local name=$1; shift
  "$@" >"$E2E_STATE/logs/$name.log" 2>&1 &
  echo $! >"$E2E_STATE/pids/$name.pid"
}
wait_for() { # what timeout-seconds cmd...: polls cmd; gives up early when the process died
  local what=$1 limit=$2 pid; shift 2
  for ((i = 0; i < limit * 2; i++)); do
    "$@" >/dev/null 2>&1 && return
    pid=$(cat "$E2E_STATE/pids/$what.pid" 2>/dev/null || true)
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      log "$what exited:"; tail -3 "$E2E_STATE/logs/$what.log" >&2; exit 1
    fi
    sleep 0.5
  done
  log "$what not ready after ${limit}s; see $E2E_STATE/logs"; exit 1
}

start etcd "$ETCD" --name e2e --data-dir "$E2E_STATE/etcd" --unsafe-no-fsync \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
  --initial-cluster "e2e=http://127.0.0.1:$((ETCD_PORT + 1))" --listen-metrics-urls "http://127.0.0.1:$((ETCD_PORT + 2))"
wait_for etcd 30 curl -sf "http://127.0.0.1:$((ETCD_PORT + 2))/health"

start kube-apiserver "$K8S_BIN/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$ETCD_PORT" --bind-address 127.0.0.1 --advertise-address 127.0.0.1 \
  --secure-port "$API_PORT" --cert-dir "$PKI" --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
  --client-ca-file "$PKI/ca.crt" --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
  --service-cluster-ip-range 10.0.0.0/24 --allow-privileged=true --enable-priority-and-fairness=false \
  --profiling=false --endpoint-reconciler-type none  # a loopback advertise address is refused by the lease reconciler
wait_for kube-apiserver 120 kubectl get --raw /readyz

start kube-controller-manager "$K8S_BIN/kube-controller-manager" \
  --kubeconfig "$E2E_STATE/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$E2E_STATE/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$E2E_STATE/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false --controllers '*' \
  --use-service-account-credentials=true --root-ca-file "$PKI/ca.crt" \
  --service-account-private-key-file "$PKI/sa.key" --cluster-signing-cert-file "$PKI/ca.crt" \
  --cluster-signing-key-file "$PKI/ca.key" --service-cluster-ip-range 10.0.0.0/24
start kube-scheduler "$K8S_BIN/kube-scheduler" \
  --kubeconfig "$E2E_STATE/scheduler.kubeconfig" \
  --authentication-kubeconfig "$E2E_STATE/scheduler.kubeconfig" \
  --authorization-kubeconfig "$E2E_STATE/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false
# The service-account controller creating "default" shows the controller-manager is up and authorized.
wait_for kube-controller-manager 120 kubectl -n default get serviceaccount default

kubectl apply --server-side -f "$TPP_CACHE/crds/keda-$KEDA_VERSION" \
  -f "$TPP_CACHE/crds/prometheus-operator-$PROM_OPERATOR_VERSION" -f "$TPP_CACHE/crds/cert-manager-$CERT_MANAGER_VERSION" \
  >/dev/null
log "control plane up in $(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)")s: export KUBECONFIG=$KUBECONFIG"
