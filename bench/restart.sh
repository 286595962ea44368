#!/usr/bin/env bash
# A console restart under a connected fleet (docs/benchmarks.md, "Restart"):
# the console jar (embedded SQLite, a data directory of its own) and the
# fleet simulator with AGENTS simulated agents on loopback, sampling every
# 10 s (INTERVAL) with faults flowing; once every agent is connected, the
# console is stopped (kill: SIGKILL; term: SIGTERM, the way systemd stops it)
# and started again on the same data and ports. Ends with one line:
#
#   agents=N mode=kill|term back_s=B handshake_timeouts=T overloaded=O stop_s=S down_s=D
#
# B: from the new console answering /healthz to every agent connected to it
#    again (firstline_agents_connected = AGENTS), in seconds.
# T: TLS handshakes the new console started and saw time out
#    (firstline_connections_rejected_total{reason="handshake_timeout"}): the
#    wasted work admission control exists to avoid; should be 0.
# O: connections it refused before TLS as overloaded, to come back later.
# S: from the signal to the old console's exit; D: from the signal to the
#    new console answering /healthz.
#
#   bench/restart.sh AGENTS [kill|term]
#
# The enrolled pool is bench/capacity.sh's (the same cache, made by it the
# first time: a 10 s capacity run). WARMUP (60): seconds the connected fleet
# runs before the restart, so that neither JVM is still compiling its hot
# code when the return starts. SIM_TLS (jdk): the simulated agents' TLS,
# jdk (the agent's own) or boringssl (the simulator's --tls: a client
# handshake at a fraction of the JDK's CPU, so that the return measures the
# console rather than 10,000 JDK clients sharing its two cores; the JDK
# client's own behaviour on a return is AdmissionTest's). Environment as for capacity.sh: INTERVAL,
# CONSOLE_JAVA_OPTS, SIM_JAVA_OPTS, FIRSTLINE_CAPACITY_CACHE, KEEP=1. Needs
# built jars, python3, curl. Bounded: connecting gives up after 15 min, the
# return after 5 min; everything it starts is stopped by PID on exit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: bench/restart.sh AGENTS [kill|term]"
agents=${1:?$usage}
mode=${2:-term}
[[ "$agents" =~ ^[0-9]+$ && "$agents" -ge 1 && "$agents" -le 100000 ]] || { echo "AGENTS must be from 1 to 100000, got $agents" >&2; exit 2; }
[[ "$mode" = kill || "$mode" = term ]] || { echo "$usage" >&2; exit 2; }
interval=${INTERVAL:-10s}
warmup=${WARMUP:-60}
[[ "$warmup" =~ ^[0-9]+$ ]] || { echo "WARMUP is whole seconds" >&2; exit 2; }
console_jar=${CONSOLE_JAR:-$root/console/target/firstline-console.jar}
sim_jar=${SIM_JAR:-$root/simulator/target/firstline-simulator.jar}
for f in "$console_jar" "$sim_jar"; do
    [ -e "$f" ] || { echo "missing $f (build with ./mvnw -B -DskipTests package)" >&2; exit 1; }
done
for t in python3 curl; do
    command -v "$t" >/dev/null || { echo "restart.sh needs $t" >&2; exit 1; }
done
read -r -a console_opts <<< "${CONSOLE_JAVA_OPTS:--Xms2g -Xmx2g}"
read -r -a sim_opts <<< "${SIM_JAVA_OPTS:--Xmx3g}"

need=$((agents + 2000))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
    ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
    [ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge "$need" ] || {
        echo "need $need open files, the hard limit is $(ulimit -Hn)" >&2; exit 1; }
fi

cache=${FIRSTLINE_CAPACITY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/firstline-capacity}/agents-$agents
if [ ! -s "$cache/seed/api-token" ] || [ ! -e "$cache/pool/$(printf 'sim-%06d' "$agents")/agent.crt" ]; then
    echo "no enrolled pool of $agents agents in $cache: making it with bench/capacity.sh $agents 10"
    "$root/bench/capacity.sh" "$agents" 10 >&2
fi

work=$(mktemp -d /tmp/firstline-restart.XXXXXX)
console_pid=""
sim_pid=""
cleanup() {
    set +e
    for p in $sim_pid $console_pid; do kill "$p" 2>/dev/null; done
    for p in $sim_pid $console_pid; do
        for _ in $(seq 1 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null
    done
    if [ "${KEEP:-0}" = 1 ]; then echo "run directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
agent_port=$(free_port)
http_port=$(free_port)
base=http://127.0.0.1:$http_port
cp -a "$cache/seed" "$work/data"
cat > "$work/console.yaml" <<YAML
dataDir: $work/data
agent:
  bind: 127.0.0.1
  port: $agent_port
http:
  bind: 127.0.0.1
  port: $http_port
sampleInterval: $interval
YAML

now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$2"; }

# Starts the console and waits for /healthz (60 s at most).
start_console() {
    java "${console_opts[@]}" -jar "$console_jar" serve --config "$work/console.yaml" >> "$work/console.log" 2>&1 &
    console_pid=$!
    for _ in $(seq 1 600); do
        if curl -fsS -o /dev/null "$base/healthz" 2>/dev/null; then return 0; fi
        kill -0 "$console_pid" 2>/dev/null || { echo "the console stopped; its log:" >&2; tail -20 "$work/console.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "the console was not ready within 60 s; its log: $work/console.log" >&2
    exit 1
}

# A sample of the console's /metrics, by the full name with labels (0 when absent).
metric() {
    curl -fsS "$base/metrics" 2>/dev/null | python3 -c '
import re, sys
want = sys.argv[1]
for line in sys.stdin:
    m = re.match(r"([a-z_]+)(\{[^}]*\})? (\S+)", line)
    if m and m.group(1) + re.sub(r",\}$", "}", m.group(2) or "") == want:
        print(int(float(m.group(3)))); break
else:
    print(0)' "$1"
}

start_console
java "${sim_opts[@]}" -jar "$sim_jar" run --console "$base" --api-token-file "$work/data/api-token" --agents "$agents" \
    --pool "$cache/pool" --agent-address "127.0.0.1:$agent_port" --interval "$interval" --tls "${SIM_TLS:-jdk}" > "$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 9000); do
    grep -q '^measuring:' "$work/sim.log" && break
    kill -0 "$sim_pid" 2>/dev/null || { echo "the simulator stopped:" >&2; tail -20 "$work/sim.log" >&2; exit 1; }
    sleep 0.1
done
grep -q '^measuring:' "$work/sim.log" || { echo "not every agent connected within 15 min" >&2; exit 1; }
# A fleet that has been running a while: both JVMs past their JIT warm-up, which would otherwise compete with the return.
echo "all $agents connected; running ${warmup} s before the restart (WARMUP)"
sleep "$warmup"
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "$(date -u +%FT%TZ) $agents agents connected; load average $load; $(nproc) cores; stopping the console ($mode)"

t_stop=$(now)
if [ "$mode" = kill ]; then kill -9 "$console_pid"; else kill -TERM "$console_pid"; fi
wait "$console_pid" 2>/dev/null || true
t_exit=$(now)
console_pid=""
grep -h 'stopping: told' "$work/console.log" || true
start_console
t_ready=$(now)
# The return, every 5 s: agents connected, handshakes (resumed/full), connections waiting for a handshake slot, refused.
progress() {
    echo "  +$1 s: $(metric firstline_agents_connected) connected;" \
        "handshakes $(metric 'firstline_agent_tls_handshakes_total{kind="resumed"}') resumed," \
        "$(metric 'firstline_agent_tls_handshakes_total{kind="full"}') full;" \
        "$(metric firstline_agent_handshakes_waiting) waiting for a slot;" \
        "$(metric 'firstline_connections_rejected_total{reason="overloaded"}') refused as overloaded"
}
return_start=$SECONDS
next_report=5
while [ $((SECONDS - return_start)) -lt 300 ]; do
    [ "$(metric firstline_agents_connected)" -ge "$agents" ] && break
    kill -0 "$sim_pid" 2>/dev/null || { echo "the simulator stopped:" >&2; tail -20 "$work/sim.log" >&2; exit 1; }
    if [ $((SECONDS - return_start)) -ge "$next_report" ]; then
        progress "$next_report"
        next_report=$((next_report + 5))
    fi
    sleep 0.1
done
t_back=$(now)
back=$(metric firstline_agents_connected)
echo "TLS handshakes on the new console: $(metric 'firstline_agent_tls_handshakes_total{kind="resumed"}') resumed," \
    "$(metric 'firstline_agent_tls_handshakes_total{kind="full"}') full"
[ "$back" -ge "$agents" ] || { echo "only $back of $agents agents back within 5 min" >&2; exit 1; }
timeouts=$(metric 'firstline_connections_rejected_total{reason="handshake_timeout"}')
overloaded=$(metric 'firstline_connections_rejected_total{reason="overloaded"}')
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "agents=$agents mode=$mode back_s=$(since "$t_ready" "$t_back") handshake_timeouts=$timeouts overloaded=$overloaded" \
    "stop_s=$(since "$t_stop" "$t_exit") down_s=$(since "$t_stop" "$t_ready")"
