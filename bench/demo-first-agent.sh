#!/usr/bin/env bash
# Measures how long the demo takes from `java -jar ... demo` to the first agent
# visible in /api/agents. Needs the built console jar and curl.
# Usage: bench/demo-first-agent.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jar=console/target/firstline-console.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 1; }
for i in $(seq "$runs"); do
  data=$(mktemp -d)
  http=$((18000 + RANDOM % 1000)); agent=$((19000 + RANDOM % 1000))
  start=$(date +%s%N)
  java -jar "$jar" demo --data "$data" --http-port "$http" --agent-port "$agent" >"$data/out" 2>"$data/err" &
  pid=$!
  # The API needs a login: the demo writes its API token to DATA/api-token.
  until [ -s "$data/api-token" ] && curl -sf -H "Authorization: Bearer $(cat "$data/api-token")" \
      "http://127.0.0.1:$http/api/agents" 2>/dev/null | grep -q '"status":"online"'; do
    sleep 0.02
    if (( ($(date +%s%N) - start) / 1000000 > 30000 )); then echo "run $i: timed out" >&2; break; fi
  done
  end=$(date +%s%N)
  echo "run $i: first agent online after $(( (end - start) / 1000000 )) ms"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
done
