#!/usr/bin/env bash
# Stops what up.sh (and the node agent, if it wrote a PID file there) started: SIGTERM by PID file, then SIGKILL
# after 10s. Keeps $E2E_STATE (logs, certificates) for a post-mortem; up.sh starts from a clean one.
set -uo pipefail
cd "$(dirname "$0")"
. ./versions.sh
for name in node-agent kube-scheduler kube-controller-manager kube-apiserver etcd; do
  f=$E2E_STATE/pids/$name.pid
  [[ -f $f ]] || continue
  pid=$(cat "$f")
  if kill "$pid" 2>/dev/null; then
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    echo "stopped $name ($pid)"
  fi
  rm -f "$f"
done
