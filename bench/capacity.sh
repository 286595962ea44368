#!/usr/bin/env bash
# Console capacity (docs/benchmarks.md, "Capacity"): a real console (the jar,
# embedded SQLite, a data directory of its own) and the fleet simulator with
# AGENTS simulated agents on loopback, sampling every 10 s (INTERVAL), for
# SECONDS of steady state after every agent is connected. Ends with one line:
#
#   agents=N console_cpu_percent_of_one_core=X heap_per_agent_kib=Y ingest_p99_ms=Z
#
# X: the console process's own CPU (user + system, /proc/PID/stat) over the
#    steady phase, in % of one core.
# Y: the console's heap in use after a full GC (jcmd GC.run, GC.heap_info)
#    with the agents connected, minus the same console's before any agent
#    connected, divided by AGENTS, in KiB.
# Z: ingest p99 as the simulator measures it: a sample handed to the agent's
#    link to the console's Ack for it (sent only after the console committed
#    the sample), over the steady phase.
# Lines before it give CPU per sample, the fault-to-ticket times of the
# faults the simulator injects (one every 5 s), and the simulator's summary.
#
# Before the agents start, the console's CPU with none connected (but all
# enrolled, so the console-side rules walk them) is measured for BASELINE
# seconds: the idle cost every figure above includes. After every agent is
# connected and one interval has passed, the simulator runs WARMUP seconds
# more (the console's JIT settles) before the steady phase. The console's
# CPU over the steady phase is also split by thread (/proc/PID/task, threads
# grouped by name without their numbers), the busiest first.
#
#   bench/capacity.sh AGENTS SECONDS
#
# Environment: INTERVAL (10s), WARMUP (30), BASELINE (15), IO_COALESCING (the
# console's agent.ioCoalescing, e.g. 0s; unset: its default), MISBEHAVING=N
# (3N of the AGENTS misbehave once the rest are connected: N stall, N flood, N send
# oversized frames; the figures are the others', and a line gives the console's
# count of each by reason), CONSOLE_JAVA_OPTS
# (-Xms2g -Xmx2g: a fixed heap, as docs/operations.md advises for a large
# fleet), SIM_JAVA_OPTS (-Xmx3g), FIRSTLINE_CAPACITY_CACHE (the enrolled
# pools, one per AGENTS: ~/.cache/firstline-capacity), KEEP=1 keeps the run's
# directory (logs). JFR=1 records the steady phase with Flight Recorder
# (settings=profile) and prints the hottest methods; HISTO=1 prints the top
# of the console's class histogram after the final GC. Both files are kept
# in OUT (default: the current directory), named capacity-AGENTS-TIME.*.
#
# Enrollment is real and takes a while (tens of agents a second), so it is
# done once per AGENTS: a console's data directory with AGENTS enrolled
# agents and their identities are kept in the cache, and each run starts a
# console on a fresh copy of that directory. Needs built jars
# (./mvnw -B -DskipTests package), python3, curl, jcmd. Bounded: connecting
# gives up after 15 min, the steady phase lasts SECONDS; everything it starts
# is stopped by PID on exit (also on failure or Ctrl-C).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: bench/capacity.sh AGENTS SECONDS"
agents=${1:?$usage}
seconds=${2:?$usage}
[[ "$agents" =~ ^[0-9]+$ && "$agents" -ge 1 && "$agents" -le 100000 ]] || { echo "AGENTS must be from 1 to 100000, got $agents" >&2; exit 2; }
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 10 && "$seconds" -le 3600 ]] || { echo "SECONDS must be from 10 to 3600, got $seconds" >&2; exit 2; }
interval=${INTERVAL:-10s}
warmup=${WARMUP:-30}
baseline=${BASELINE:-15}
[[ "$warmup" =~ ^[0-9]+$ && "$baseline" =~ ^[0-9]+$ ]] || { echo "WARMUP and BASELINE are whole seconds" >&2; exit 2; }
out_dir=${OUT:-$PWD}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
console_jar=${CONSOLE_JAR:-$root/console/target/firstline-console.jar}
sim_jar=${SIM_JAR:-$root/simulator/target/firstline-simulator.jar}
for f in "$console_jar" "$sim_jar"; do
    [ -e "$f" ] || { echo "missing $f (build with ./mvnw -B -DskipTests package)" >&2; exit 1; }
done
for t in python3 curl jcmd; do
    command -v "$t" >/dev/null || { echo "capacity.sh needs $t" >&2; exit 1; }
done
read -r -a console_opts <<< "${CONSOLE_JAVA_OPTS:--Xms2g -Xmx2g}"
read -r -a sim_opts <<< "${SIM_JAVA_OPTS:--Xmx3g}"

# Each agent is one connection, so one descriptor on each side, plus the JVMs' own.
need=$((agents + 2000))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
    ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
    [ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge "$need" ] || {
        echo "need $need open files, the hard limit is $(ulimit -Hn) (raise it, e.g. in /etc/security/limits.conf)" >&2; exit 1; }
fi

cache_root=${FIRSTLINE_CAPACITY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/firstline-capacity}
cache=$cache_root/agents-$agents
work=$(mktemp -d /tmp/firstline-capacity.XXXXXX)
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

# start_console DATA_DIR LOG: the console jar on DATA_DIR, ready when /healthz answers.
start_console() {
    cat > "$work/console.yaml" <<YAML
dataDir: $1
agent:
  bind: 127.0.0.1
  port: $agent_port
$([ -z "${IO_COALESCING:-}" ] || echo "  ioCoalescing: $IO_COALESCING")
http:
  bind: 127.0.0.1
  port: $http_port
sampleInterval: $interval
YAML
    java "${console_opts[@]}" -jar "$console_jar" serve --config "$work/console.yaml" >> "$2" 2>&1 &
    console_pid=$!
    for _ in $(seq 1 600); do
        if curl -fsS -o /dev/null "$base/healthz" 2>/dev/null; then return 0; fi
        kill -0 "$console_pid" 2>/dev/null || { echo "the console stopped; its log:" >&2; tail -20 "$2" >&2; exit 1; }
        sleep 0.1
    done
    echo "the console was not ready within 60 s; its log: $2" >&2
    exit 1
}

stop_console() {
    kill "$console_pid"
    for _ in $(seq 1 300); do kill -0 "$console_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$console_pid" 2>/dev/null || true
    wait "$console_pid" 2>/dev/null || true
    console_pid=""
}

# Heap in use after a full GC, in KiB: the sum over the heap's "total NK, used NK" lines (one with G1,
# young and old generation with the parallel and serial collectors; Metaspace has no "total").
heap_after_gc() {
    jcmd "$console_pid" GC.run > /dev/null
    jcmd "$console_pid" GC.heap_info | grep -o 'total [0-9]*K, used [0-9]*K' | awk '{ sum += $4 + 0 } END { print sum }'
}

# CPU ticks (user + system) of the console so far.
cpu_ticks() {
    python3 - "$console_pid" <<'PY'
import sys
f = open(f"/proc/{sys.argv[1]}/stat").read().rsplit(")", 1)[1].split()
print(int(f[11]) + int(f[12]))
PY
}

# CPU ticks of each console thread so far, one "tid name user system" a line.
thread_ticks() {
    python3 - "$console_pid" <<'PY'
import os, sys
pid = sys.argv[1]
for tid in os.listdir(f"/proc/{pid}/task"):
    try:
        stat = open(f"/proc/{pid}/task/{tid}/stat").read()
    except OSError:
        continue
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    f = stat.rsplit(")", 1)[1].split()
    print(tid, name.replace(" ", "_"), int(f[11]), int(f[12]))
PY
}

# by_thread T0 T1 BEFORE AFTER: each thread group's CPU between two thread_ticks, busiest first:
# "name percent-of-one-core user-percent system-percent share-of-the-process".
by_thread() {
    python3 - "$clk" "$@" <<'PY'
import re, sys
clk, t0, t1 = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
def load(path):
    out = {}
    for line in open(path):
        tid, name, user, system = line.split()
        out[tid] = (name, int(user), int(system))
    return out
before, after = load(sys.argv[4]), load(sys.argv[5])
groups = {}
for tid, (name, user, system) in after.items():
    _, u0, s0 = before.get(tid, (name, 0, 0))
    key = re.sub(r"[-#]?[0-9]+(-[0-9]+)*$", "", name) or name
    g = groups.setdefault(key, [0, 0])
    g[0] += user - u0
    g[1] += system - s0
total = sum(u + s for u, s in groups.values()) or 1
pct = lambda ticks: 100 * ticks / clk / (t1 - t0)
for key, (u, s) in sorted(groups.items(), key=lambda kv: -sum(kv[1])):
    if u + s > 0:
        print(f"{key} {pct(u + s):.2f} {pct(u):.2f} {pct(s):.2f} {100 * (u + s) / total:.1f}")
PY
}

metric() {
    curl -fsS "$base/metrics" | awk -v m="$1" '!found && $1 == m { print $2; found = 1 }'
}

# --- the enrolled pool, made once per AGENTS --------------------------------
mkdir -p "$cache"
if [ ! -s "$cache/seed/api-token" ] || [ ! -e "$cache/pool/$(printf 'sim-%06d' "$agents")/agent.crt" ]; then
    echo "enrolling $agents agents once into $cache (later runs reuse them)"
    rm -rf "$cache/seed" "$cache/pool"
    # A smaller fleet enrolled before is the start: only the missing agents are enrolled.
    smaller=$(for d in "$cache_root"/agents-*; do
        m=${d##*-}
        [[ "$m" =~ ^[0-9]+$ ]] && [ "$m" -lt "$agents" ] && [ -s "$d/seed/api-token" ] && [ -e "$d/pool/$(printf 'sim-%06d' "$m")/agent.crt" ] && echo "$m"
    done | sort -n | tail -1 || true)
    if [ -n "$smaller" ]; then
        echo "starting from the $smaller agents enrolled in $cache_root/agents-$smaller"
        cp -a "$cache_root/agents-$smaller/seed" "$cache_root/agents-$smaller/pool" "$cache/"
    else
        mkdir -p "$cache/seed"
        start_console "$cache/seed" "$work/seed.log"
        stop_console
        java -jar "$console_jar" api-token create --user admin --name capacity --config "$work/console.yaml" > "$cache/seed/api-token.new"
        mv "$cache/seed/api-token.new" "$cache/seed/api-token"
    fi
    start_console "$cache/seed" "$work/seed.log"
    java "${sim_opts[@]}" -jar "$sim_jar" enroll --console "$base" --api-token-file "$cache/seed/api-token" \
        --agents "$agents" --pool "$cache/pool" --agent-address "127.0.0.1:$agent_port"
    stop_console
fi

# --- the run -----------------------------------------------------------------
cp -a "$cache/seed" "$work/data"
start_console "$work/data" "$work/console.log"
sleep 5
heap0=$(heap_after_gc)
echo "$(date -u +%FT%TZ) console pid $console_pid ready; heap after GC with no agent connected: $((heap0 / 1024)) MiB;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
clk=$(getconf CLK_TCK)
idle_pct=""
if [ "$baseline" -gt 0 ]; then
    sleep 15 # the start's own compiling settles first
    thread_ticks > "$work/idle0"
    b0=$(cpu_ticks); bt0=$(date +%s.%N)
    sleep "$baseline"
    b1=$(cpu_ticks); bt1=$(date +%s.%N)
    thread_ticks > "$work/idle1"
    idle_pct=$(python3 -c "print(f'{100 * ($b1 - $b0) / $clk / ($bt1 - $bt0):.2f}')")
    echo "baseline: console CPU with no agent connected ($agents enrolled) over ${baseline} s: ${idle_pct} % of one core;" \
        "by thread: $(by_thread "$bt0" "$bt1" "$work/idle0" "$work/idle1" | awk 'NR <= 4' | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}')"
fi

# The simulator warms up before it measures; one older than --warmup is given none, and the warm-up is slept here.
sim_warmup=()
if java -jar "$sim_jar" run --help 2>&1 | grep -q -- --warmup; then
    sim_warmup=(--warmup "${warmup}s")
fi
java "${sim_opts[@]}" -jar "$sim_jar" run --console "$base" --api-token-file "$work/data/api-token" --agents "$agents" \
    --pool "$cache/pool" --agent-address "127.0.0.1:$agent_port" --interval "$interval" "${sim_warmup[@]}" \
    ${MISBEHAVING:+--misbehaving "$MISBEHAVING"} > "$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 9600); do
    grep -q '^measuring:' "$work/sim.log" && break
    kill -0 "$sim_pid" 2>/dev/null || { echo "the simulator stopped:" >&2; tail -20 "$work/sim.log" >&2; exit 1; }
    sleep 0.1
done
grep -q '^measuring:' "$work/sim.log" || { echo "not every agent connected within 16 min:" >&2; tail -5 "$work/sim.log" >&2; exit 1; }
grep '^all .* connected after' "$work/sim.log" || true
[ ${#sim_warmup[@]} -gt 0 ] || sleep "$warmup"

if [ "${JFR:-0}" = 1 ]; then
    jfr_file=$out_dir/capacity-$agents-$stamp.jfr
    jcmd "$console_pid" JFR.start name=capacity settings=profile filename="$jfr_file" > /dev/null
fi
thread_ticks > "$work/threads0"
c0=$(cpu_ticks); s0=$(metric firstline_ingest_samples_total); r0=$(metric firstline_ingest_received_bytes_total); t0=$(date +%s.%N)
sleep "$seconds"
c1=$(cpu_ticks); s1=$(metric firstline_ingest_samples_total); r1=$(metric firstline_ingest_received_bytes_total); t1=$(date +%s.%N)
echo "steady phase from $(date -u -d "@$t0" +%FT%T.%3NZ) to $(date -u -d "@$t1" +%FT%T.%3NZ)"
thread_ticks > "$work/threads1"
if [ "${JFR:-0}" = 1 ]; then
    jcmd "$console_pid" JFR.stop name=capacity > /dev/null
fi
heap1=$(heap_after_gc)
load=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "${HISTO:-0}" = 1 ]; then
    histo_file=$out_dir/capacity-$agents-$stamp.histo
    jcmd "$console_pid" GC.class_histogram > "$histo_file"
fi

kill "$sim_pid"
for _ in $(seq 1 300); do kill -0 "$sim_pid" 2>/dev/null || break; sleep 0.1; done
wait "$sim_pid" 2>/dev/null || true
sim_pid=""
summary=$(grep '^simulator agents=' "$work/sim.log" || true)
[ -n "$summary" ] || { echo "the simulator printed no summary:" >&2; tail -20 "$work/sim.log" >&2; exit 1; }
echo "$summary"
grep '^misbehaving agents' "$work/sim.log" || true
p99=$(sed -n 's/.* ingest_p99_ms=\([^ ]*\).*/\1/p' <<< "$summary")

echo "console CPU by thread over the steady phase (% of one core: total = user + system; share of the console's):"
by_thread "$t0" "$t1" "$work/threads0" "$work/threads1" | awk 'NR <= 12' \
    | awk '{printf "  %-22s %6.2f = %5.2f + %5.2f  (%4.1f %%)\n", $1, $2, $3, $4, $5}'
if [ -n "${jfr_file:-}" ]; then
    echo "JFR recording of the steady phase: $jfr_file; hottest methods (top frame of the execution samples):"
    jfr print --events jdk.ExecutionSample --stack-depth 1 "$jfr_file" | python3 -c '
import collections, re, sys
c = collections.Counter(m.group(1) for m in re.finditer(r"stackTrace = \[\s*\n\s*(.+?)\s+line:", sys.stdin.read()))
n = sum(c.values()) or 1
for frame, k in c.most_common(20):
    print(f"  {100 * k / n:5.1f} %  {frame}")'
fi
if [ -n "${histo_file:-}" ]; then
    echo "class histogram after the final GC: $histo_file; its top:"
    sed -n '1,23p' "$histo_file" | sed 's/^/  /'
fi

python3 - "$agents" "$clk" "$c0" "$c1" "$t0" "$t1" "$s0" "$s1" "$heap0" "$heap1" "$p99" "$load" "$idle_pct" "${r0:-0}" "${r1:-0}" <<'PY'
import sys
agents, clk = int(sys.argv[1]), int(sys.argv[2])
c0, c1, t0, t1 = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
s0, s1, heap0, heap1 = float(sys.argv[7]), float(sys.argv[8]), int(sys.argv[9]), int(sys.argv[10])
p99, load, idle = sys.argv[11], sys.argv[12], sys.argv[13]
received = float(sys.argv[15]) - float(sys.argv[14])
cpu_s = (c1 - c0) / clk
samples = s1 - s0
above = ""
if idle:
    extra = cpu_s - float(idle) / 100 * (t1 - t0)
    above = f" ({1e6 * extra / max(samples, 1):.0f} µs above the no-agent baseline of {idle} %)"
print(f"steady phase {t1 - t0:.0f} s: console CPU {cpu_s:.1f} s for {samples:.0f} samples "
      f"({samples / (t1 - t0):.0f} per second, {received / max(samples, 1):.0f} bytes received on the agent link per sample), "
      f"{1e6 * cpu_s / max(samples, 1):.0f} µs of CPU per sample{above}; "
      f"heap after GC {heap0 // 1024} MiB idle, {heap1 // 1024} MiB with the agents; load average {load}")
print(f"agents={agents} console_cpu_percent_of_one_core={100 * cpu_s / (t1 - t0):.1f} "
      f"heap_per_agent_kib={(heap1 - heap0) / agents:.1f} ingest_p99_ms={p99}")
PY
