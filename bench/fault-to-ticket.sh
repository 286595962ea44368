#!/bin/sh
# Fault -> ticket latency benchmark (docs/benchmarks.md, "Fault to ticket").
# Runs a real agent and a real console over loopback and injects
# FAULTS (default 250) faults one at a time. Other builds sharing the
# machine make the numbers worse; note the load when you record them.
set -eu
cd "$(dirname "$0")/.."
FAULTS="${FAULTS:-250}"
./mvnw -B -q -pl console -am test \
  -Dfirstline.excludedGroups=none -Dgroups=benchmark -Dtest=FaultToTicketBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.faults="$FAULTS" \
  -Dsurefire.argLine= 2>&1 | grep -v -E '^[0-9:.]+ (INFO|DEBUG)'
