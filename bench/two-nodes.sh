#!/usr/bin/env bash
# Two console nodes on one PostgreSQL (docs/benchmarks.md, "Two nodes on one
# PostgreSQL"): the console jar twice, on a new database made for the run
# (dropped after it), and the fleet simulator with AGENTS simulated agents
# given both nodes' agent ports, each agent starting at another node in turn,
# so half are on each node (and each fails over to the other as a real agent
# does). SECONDS of steady state after every agent is connected. Ends with:
#
#   nodes=2 agents=N agents_node_a=NA agents_node_b=NB fault_to_ticket_p99_ms=F ingest_p99_ms=I
#     console_cpu_percent_of_one_core_a=CA console_cpu_percent_of_one_core_b=CB postgres_cpu_percent_of_one_core=P
#
# NA, NB: firstline_agents_connected of each node at the end of the steady
#    phase (agents with a connection to that node).
# F: the simulator's fault-to-ticket p99 (a file system turned read-only on a
#    random agent every 5 s, on either node, timed to its open ticket, which
#    the simulator polls through node A's API).
# I: ingest p99 as the simulator measures it: a sample handed to the link to
#    the Ack of the node it is connected to (sent once the sample committed).
# CA, CB, P: CPU (user + system, /proc/PID/stat) of each console process and
#    of every postgres server process together, over the steady phase, in %
#    of one core.
#
#   bench/two-nodes.sh AGENTS SECONDS
#
# The enrolled identities are bench/capacity.sh's pool for AGENTS (made by a
# short capacity.sh run when missing): each run copies that console's data
# directory, starts it once on SQLite (so its schema is this version's),
# moves its store into the new database with `migrate-store`, copies its CA
# to node B, and starts both nodes on PostgreSQL. Environment: INTERVAL (10s),
# CONSOLE_JAVA_OPTS (-Xmx1g, per node), SIM_JAVA_OPTS (-Xmx3g),
# FIRSTLINE_BENCH_POSTGRES (jdbc:postgresql://127.0.0.1:5432; trust
# authentication), FIRSTLINE_BENCH_POSTGRES_USER (postgres),
# FIRSTLINE_CAPACITY_CACHE (as capacity.sh), KEEP=1 keeps the run's directory
# and database. Needs built jars, python3, curl, psql. Bounded: connecting
# gives up after 15 min, the steady phase lasts SECONDS; everything it
# starts is stopped by PID on exit (also on failure or Ctrl-C).
set -euo pipefail
umask 077   # the nodes' data directories are private, as the console expects

root=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: bench/two-nodes.sh AGENTS SECONDS"
agents=${1:?$usage}
seconds=${2:?$usage}
[[ "$agents" =~ ^[0-9]+$ && "$agents" -ge 2 && "$agents" -le 100000 ]] || { echo "AGENTS must be from 2 to 100000, got $agents" >&2; exit 2; }
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 10 && "$seconds" -le 3600 ]] || { echo "SECONDS must be from 10 to 3600, got $seconds" >&2; exit 2; }
interval=${INTERVAL:-10s}
console_jar=${CONSOLE_JAR:-$root/console/target/firstline-console.jar}
sim_jar=${SIM_JAR:-$root/simulator/target/firstline-simulator.jar}
for f in "$console_jar" "$sim_jar"; do
    [ -e "$f" ] || { echo "missing $f (build with ./mvnw -B -DskipTests package)" >&2; exit 1; }
done
for t in python3 curl psql; do
    command -v "$t" >/dev/null || { echo "two-nodes.sh needs $t" >&2; exit 1; }
done
read -r -a console_opts <<< "${CONSOLE_JAVA_OPTS:--Xmx1g}"
read -r -a sim_opts <<< "${SIM_JAVA_OPTS:--Xmx3g}"
pg_server=${FIRSTLINE_BENCH_POSTGRES:-jdbc:postgresql://127.0.0.1:5432}
pg_user=${FIRSTLINE_BENCH_POSTGRES_USER:-postgres}
pg_hostport=${pg_server#jdbc:postgresql://}
pg_host=${pg_hostport%:*}
pg_port=${pg_hostport##*:}
psql_admin() {
    psql -X -q -v ON_ERROR_STOP=1 -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres "$@"
}
psql_admin -Atc 'SELECT 1' > /dev/null || { echo "cannot reach PostgreSQL at $pg_host:$pg_port as $pg_user" >&2; exit 1; }

need=$((agents + 2000))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
    ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
    [ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge "$need" ] || {
        echo "need $need open files, the hard limit is $(ulimit -Hn) (raise it, e.g. in /etc/security/limits.conf)" >&2; exit 1; }
fi

cache=${FIRSTLINE_CAPACITY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/firstline-capacity}/agents-$agents
if [ ! -s "$cache/seed/api-token" ] || [ ! -e "$cache/pool/$(printf 'sim-%06d' "$agents")/agent.crt" ]; then
    echo "no enrolled pool of $agents agents in $cache yet: making it with a short bench/capacity.sh run"
    "$root/bench/capacity.sh" "$agents" 10 > /dev/null
fi

work=$(mktemp -d /tmp/firstline-two-nodes.XXXXXX)
db=firstline_two_nodes_$$
url=$pg_server/$db
pids=()
sim_pid=""
stop_pid() {
    kill "$1" 2>/dev/null || return 0
    for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
cleanup() {
    set +e
    for p in $sim_pid "${pids[@]}"; do stop_pid "$p"; done
    if [ "${KEEP:-0}" = 1 ]; then
        echo "run directory kept: $work; database kept: $url" >&2
    else
        rm -rf "$work"
        psql_admin -c "DROP DATABASE IF EXISTS $db" 2>/dev/null
    fi
}
trap cleanup EXIT INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# write_config NAME [STORE]: DIR/NAME.yaml for node NAME (data in DIR/NAME-data), on PostgreSQL when STORE is given.
declare -A agent_port http_port
write_config() {
    agent_port[$1]=${agent_port[$1]:-$(free_port)}
    http_port[$1]=${http_port[$1]:-$(free_port)}
    cat > "$work/$1.yaml" <<YAML
dataDir: $work/$1-data
agent:
  bind: 127.0.0.1
  port: ${agent_port[$1]}
http:
  bind: 127.0.0.1
  port: ${http_port[$1]}
sampleInterval: $interval
YAML
    if [ -n "${2:-}" ]; then
        printf 'store:\n  url: "%s"\n  user: %s\n' "$2" "$pg_user" >> "$work/$1.yaml"
    fi
}

# start_node NAME: the console jar on DIR/NAME.yaml, ready when /healthz answers; its PID in $started.
started=""
start_node() {
    java "${console_opts[@]}" -jar "$console_jar" serve --config "$work/$1.yaml" >> "$work/$1.log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    started=$pid
    for _ in $(seq 1 600); do
        if curl -fsS -o /dev/null "http://127.0.0.1:${http_port[$1]}/healthz" 2>/dev/null; then return 0; fi
        kill -0 "$pid" 2>/dev/null || { echo "node $1 stopped; its log:" >&2; tail -20 "$work/$1.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "node $1 was not ready within 60 s; its log: $work/$1.log" >&2
    exit 1
}

# ticks PID...: CPU ticks (user + system) of the processes so far, summed.
ticks() {
    python3 - "$@" <<'PY'
import sys
total = 0
for pid in sys.argv[1:]:
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += int(f[11]) + int(f[12])
    except OSError:
        pass
print(total)
PY
}

# awk reads to the end: one that exits at the match leaves curl writing into a closed pipe (curl: (23)), and with
# pipefail that ended the run once the metrics page outgrew the pipe's buffer.
connected() {
    curl -fsS "http://127.0.0.1:${http_port[$1]}/metrics" | awk '!found && $1 == "firstline_agents_connected" { print $2; found = 1 }'
}

# --- node A on a copy of the pool's console, its store moved into a new database ---
cp -a "$cache/seed" "$work/a-data"
chmod -R go-rwx "$work/a-data"
write_config a
start_node a   # once on SQLite: the copied store gets this version's schema
stop_pid "$started"
psql_admin -c "CREATE DATABASE $db"
java -jar "$console_jar" migrate-store --config "$work/a.yaml" --to "$url" --user "$pg_user" > "$work/migrate.log" 2>&1 || {
    echo "migrate-store failed:" >&2; tail -20 "$work/migrate.log" >&2; exit 1; }
write_config a "$url"
start_node a
pid_a=$started
# --- node B: the same CA (docs/operations.md, "Several console nodes"), the same database ---
mkdir -m 700 -p "$work/b-data/pki"
cp -p "$work/a-data/pki/ca.crt" "$work/a-data/pki/ca.key" "$work/b-data/pki/"
write_config b "$url"
start_node b
pid_b=$started
echo "$(date -u +%FT%TZ) nodes ready: A pid $pid_a (agents on ${agent_port[a]}), B pid $pid_b (agents on ${agent_port[b]}), store $url;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"

java "${sim_opts[@]}" -jar "$sim_jar" run --console "http://127.0.0.1:${http_port[a]}" --api-token-file "$cache/seed/api-token" \
    --agents "$agents" --pool "$cache/pool" --agent-address "127.0.0.1:${agent_port[a]},127.0.0.1:${agent_port[b]}" \
    --interval "$interval" > "$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 9600); do
    grep -q '^measuring:' "$work/sim.log" && break
    kill -0 "$sim_pid" 2>/dev/null || { echo "the simulator stopped:" >&2; tail -20 "$work/sim.log" >&2; exit 1; }
    sleep 0.1
done
grep -q '^measuring:' "$work/sim.log" || { echo "not every agent connected within 16 min:" >&2; tail -5 "$work/sim.log" >&2; exit 1; }
grep '^all .* connected after' "$work/sim.log" || true

clk=$(getconf CLK_TCK)
# The server and its backends as they are now: the nodes' pools hold their connections, so the set stays the same.
pg_pids=$(pgrep -d ' ' -x postgres || true)
a0=$(ticks "$pid_a"); b0=$(ticks "$pid_b"); p0=$(ticks $pg_pids); t0=$(date +%s.%N)
sleep "$seconds"
a1=$(ticks "$pid_a"); b1=$(ticks "$pid_b"); p1=$(ticks $pg_pids); t1=$(date +%s.%N)
on_a=$(connected a); on_b=$(connected b)
load=$(cut -d' ' -f1-3 /proc/loadavg)

stop_pid "$sim_pid"
sim_pid=""
summary=$(grep '^simulator agents=' "$work/sim.log" || true)
[ -n "$summary" ] || { echo "the simulator printed no summary:" >&2; tail -20 "$work/sim.log" >&2; exit 1; }
echo "$summary"
for n in a b; do
    warnings=$(grep -c ' WARN \| ERROR ' "$work/$n.log" || true)
    echo "node $n: $warnings warnings or errors in its log"
done

python3 - "$agents" "$clk" "$a0" "$a1" "$b0" "$b1" "$p0" "$p1" "$t0" "$t1" "$on_a" "$on_b" "$load" "$summary" <<'PY'
import re, sys
agents, clk = int(sys.argv[1]), int(sys.argv[2])
a0, a1, b0, b1, p0, p1 = (int(x) for x in sys.argv[3:9])
t0, t1 = float(sys.argv[9]), float(sys.argv[10])
on_a, on_b, load, summary = sys.argv[11], sys.argv[12], sys.argv[13], sys.argv[14]
field = lambda k: re.search(rf"\b{k}=(\S+)", summary).group(1)
pct = lambda d: 100 * d / clk / (t1 - t0)
print(f"steady phase {t1 - t0:.0f} s, load average {load}")
print(f"nodes=2 agents={agents} agents_node_a={float(on_a):.0f} agents_node_b={float(on_b):.0f}"
      f" fault_to_ticket_p99_ms={field('fault_to_ticket_p99_ms')} ingest_p99_ms={field('ingest_p99_ms')}"
      f" console_cpu_percent_of_one_core_a={pct(a1 - a0):.1f} console_cpu_percent_of_one_core_b={pct(b1 - b0):.1f}"
      f" postgres_cpu_percent_of_one_core={pct(p1 - p0):.1f}")
PY
