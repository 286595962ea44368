#!/bin/sh
# Console CPU per agent connection (docs/benchmarks.md, "Connection cost"):
# the agent port's TLS with each provider (JDK, BoringSSL where it loads),
# first handshakes and resumed ones, CONNECTIONS (default 2000) each,
# CONCURRENCY (default 8) at a time over loopback. JFR=1 also records a
# flight recording of the run to console/target/connection-cost.jfr.
# Other builds sharing the machine make the numbers worse; note the load.
set -eu
cd "$(dirname "$0")/.."
CONNECTIONS="${CONNECTIONS:-2000}"
CONCURRENCY="${CONCURRENCY:-8}"
ARGLINE=""
if [ "${JFR:-0}" = 1 ]; then
  ARGLINE="-XX:StartFlightRecording=filename=$(pwd)/console/target/connection-cost.jfr,settings=profile"
fi
./mvnw -B -q -pl console -am test \
  -Dfirstline.excludedGroups=none -Dgroups=benchmark -Dtest=ConnectionCostBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.connections="$CONNECTIONS" -Dbench.concurrency="$CONCURRENCY" \
  -Dsurefire.argLine="$ARGLINE" 2>&1 | grep -v -E '^[0-9:.]+ (INFO|DEBUG)'
