#!/usr/bin/env bash
# The nullness check of `make test` (docs/architecture.md, "Nullness"): NullAway in JSpecify mode over config, waf
# and proxy, every finding an error. JSpecify mode needs javac >= 22, so this runs Maven on the newest JDK 22+ under
# /usr/lib/jvm (or $NULLNESS_JDK); the classes it writes are still Java 17 bytecode. The normal build stays on 17.
#   MVN="mvn -B -ntp" scripts/nullness.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jdk_version() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true; }
jdk=${NULLNESS_JDK:-}
if [ -z "$jdk" ]; then
  for candidate in /usr/lib/jvm/*; do
    v=$(jdk_version "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 22 ] && [ -x "$candidate/bin/javac" ]; then
      if [ -z "$jdk" ] || [ "$v" -gt "$(jdk_version "$jdk")" ]; then jdk=$candidate; fi
    fi
  done
fi
if [ -z "$jdk" ] || [ ! -x "$jdk/bin/javac" ]; then
  echo "nullness: no JDK 22 or later found under /usr/lib/jvm (NullAway's JSpecify mode needs javac >= 22);" \
    "install one (e.g. Temurin 25) or set NULLNESS_JDK=/path/to/jdk" >&2
  exit 2
fi
echo "nullness: NullAway (JSpecify mode, findings are errors) with $jdk"
# clean: an up-to-date class is not recompiled, so it would not be checked. google-java-format and checkstyle are
# the normal build's checks (the formatter refuses to run on JDK 25).
JAVA_HOME=$jdk ${MVN:-mvn -B -ntp} -Pnullaway -Dnullaway.level=ERROR -DskipTests -Dspotless.check.skip=true \
  -Dcheckstyle.skip=true clean compile -pl config,waf,proxy
