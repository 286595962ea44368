#!/bin/sh
# Reports over a large store (docs/benchmarks.md, "Reports"): TICKETS tickets
# (default 200000) over 180 days on 10,000 machines in a real SQLite store,
# then the common-problems report over 7, 30 and 90 days and the service
# report over 30 days. Other builds sharing the machine make the numbers
# worse; note the load when you record them.
set -eu
cd "$(dirname "$0")/.."
TICKETS="${TICKETS:-200000}"
./mvnw -B -q -pl console -am test \
  -Dfirstline.excludedGroups=none -Dgroups=benchmark -Dtest=ReportsBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.tickets="$TICKETS" \
  -Dsurefire.argLine= 2>&1 | grep -v -E '^[0-9:.]+ (INFO|DEBUG)'
