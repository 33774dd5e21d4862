#!/usr/bin/env bash
# Coverage-guided fuzzing of every @FuzzTest target (Jazzer), one target at a time (Jazzer fuzzes one per JVM).
# `make test` only replays the committed inputs; this explores. Usage:
#   scripts/fuzz.sh [TARGET...]        TARGET = module:Class#method, default: all of them
# Environment: FUZZ_TIME (per target, default 5m), FUZZ_MAX_LEN (bytes, default 65536), MVN.
# A finding fails the target and is written by Jazzer beside the seeds, as
#   MODULE/src/test/resources/PACKAGE/CLASSInputs/METHOD/crash-SHA1
# where `make test` replays it from then on: fix the code, rename the file to say what it tests, commit both.
# The corpus the fuzzer grows stays in MODULE/.cifuzz-corpus/ (git-ignored) and is reused by the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn -B -ntp}
FUZZ_TIME=${FUZZ_TIME:-5m}
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-65536}
ALL=(
  config:ConfigLoaderFuzzTest#configLoadsOrNamesEveryError
  waf:SecLangFuzzTest#ruleTextCompilesOrFailsNamingTheLine
  waf:BodyParsersFuzzTest#bodyProcessorsFailCleanlyInLinearTime
  proxy:RequestDecodingFuzzTest#requestBytesAreAnsweredOrRefusedCleanly
  proxy:RequestHeadDifferentialFuzzTest#ourHeadsReadAsNettysDo
  proxy:OriginResponseFuzzTest#originBytesDecodeCleanlyWhateverTheSplit
)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL[@]}")

$MVN -q -DskipTests install -pl config,waf -am # what the modules under test depend on
failed=()
for target in "${TARGETS[@]}"; do
  module=${target%%:*}
  test=${target#*:}
  echo "== fuzzing $test in $module for $FUZZ_TIME (inputs up to $FUZZ_MAX_LEN bytes)"
  # jazzer.internal.arg.N are libFuzzer's arguments (arg.0 stands for the program name)
  if ! JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$FUZZ_TIME" $MVN test -pl "$module" -Dtest="$test" \
      -Dsurefire.failIfNoSpecifiedTests=false \
      "-DargLine=-Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_len=$FUZZ_MAX_LEN" 2>&1 \
      | grep -E --line-buffered '^#[0-9]+[[:space:]]+(INITED|pulse|DONE)|Tests run:|crash-|Caused by|FuzzTestFinding|BUILD'; then
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (see the crash-* files named above)"
  exit 1
fi
echo "fuzzing found nothing in ${#TARGETS[@]} target(s), $FUZZ_TIME each"
