#!/usr/bin/env bash
# `make e2e`: start the control plane (build.sh first, cached), run the *E2E scenarios with failsafe, stop what
# was started even when a scenario fails. Expects proxy/target/tpp-proxy.jar and operator/target/tpp-operator.jar
# (the Makefile target packages them first). MVN overrides the Maven command.
set -euo pipefail
cd "$(dirname "$0")"
. ./versions.sh
MVN=${MVN:-mvn -B -ntp}
here=$(pwd)
trap '"$here/down.sh"' EXIT
./up.sh
export PATH=$K8S_BIN:$PATH  # the tests run kubectl as a user would: the one built beside the control plane
cd ../..
t0=$SECONDS rc=0
$MVN -pl e2e -Pe2e verify -De2e.state="$E2E_STATE" -De2e.helm="$HELM_BIN" "$@" || rc=$?
echo "e2e scenarios took $((SECONDS - t0))s (exit $rc)" >&2
exit $rc
