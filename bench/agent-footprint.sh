#!/usr/bin/env bash
# Agent footprint benchmark (docs/benchmarks.md, "Agent footprint").
#
# Runs, side by side for DURATION seconds on this machine:
#   - the real console (console/target/firstline-console.jar serve) on loopback,
#     and enrolls the agent with it through the real path (token create, enroll),
#   - the agent from the unpacked agent archive (bin/firstline-agent: its own
#     trimmed runtime, class-data archive and the shipped JVM flags),
#     streaming to it at a 10 s interval with every default collector,
#   - Debian's prometheus-node-exporter on loopback, scraped every 10 s with curl;
# and every 10 s reads both processes' RSS and CPU time from /proc. At the end
# it prints RSS and CPU for both, time per agent collector (median, p99) and
# bytes per sample (p50, p95, max) from the agent's log, where
# -Dorg.slf4j.simpleLogger.log.io.firstline.agent.samples=debug has it write one line per
# sample.
#
#   bench/agent-footprint.sh [DURATION_SECONDS (default 660)] [OUT_DIR]
#
# AGENT_JAVA_OPTS adds JVM options to the agent, e.g. a JDK Flight Recording
# to see where its CPU goes (a separate run: the recorder costs CPU itself):
#   AGENT_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/agent.jfr,settings=profile" bench/agent-footprint.sh 600
#
# It also reports the agent's start-up time: from starting bin/firstline-agent
# run to its first sample in the log.
#
# Needs: the console jar and the agent archive (./mvnw -B -DskipTests package; or
# CONSOLE_JAR= and AGENT_ARCHIVE= pointing at copies, so a rebuild during the run
# cannot touch them), python3, curl, tar, /usr/bin/prometheus-node-exporter.
# Uses only 127.0.0.1 and free ports.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
duration=${1:-660}
out=${2:-$(mktemp -d /tmp/firstline-footprint.XXXXXX)}
interval=10
warmup=60
if [ "$duration" -lt 180 ]; then
  echo "note: a run of $duration s leaves $((duration > warmup ? duration - warmup : 0)) s after the ${warmup} s warm-up;" \
       "the steady CPU figure needs at least 60 s of it (n/a otherwise) and means little under 180 s in all" >&2
fi
mkdir -p "$out"
console_jar=${CONSOLE_JAR:-$root/console/target/firstline-console.jar}
agent_archive=${AGENT_ARCHIVE:-$root/agent/target/firstline-agent-linux-x64.tar.gz}
exporter=${NODE_EXPORTER:-/usr/bin/prometheus-node-exporter}
for f in "$console_jar" "$agent_archive" "$exporter"; do
    [ -e "$f" ] || { echo "missing $f (build with ./mvnw -B -DskipTests package)" >&2; exit 1; }
done

# PORT_BASE=N uses ports N, N+1, N+2 instead of free ones.
free_port() {
    if [ -n "${PORT_BASE:-}" ]; then echo $((PORT_BASE + $1)); return; fi
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
agent_port=$(free_port 0); http_port=$(free_port 1); exporter_port=$(free_port 2)

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

cat > "$out/console.yaml" <<YAML
dataDir: $out/console-data
agent:
  bind: 127.0.0.1
  port: $agent_port
http:
  bind: 127.0.0.1
  port: $http_port
sampleInterval: ${interval}s
YAML
java -Xmx256m -jar "$console_jar" serve --config "$out/console.yaml" >"$out/console.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break
    sleep 1
done

[ -s "$out/console-data/initial-admin-password" ] || { echo "console did not start; see $out/console.log" >&2; exit 1; }

# Enroll the agent the way an admin does: a one-use token from the console's
# CLI, handed over in a file, and the console's CA fingerprint pinned.
created=$(java -jar "$console_jar" token create --site bench --ttl 1h --max-uses 1 --data "$out/console-data")
echo "$created" | sed -n 's/^token: *//p' >"$out/token"
fingerprint=$(echo "$created" | sed -n 's/^CA fingerprint: *//p')
mkdir -p "$out/agent-bundle"
tar -xzf "$agent_archive" -C "$out/agent-bundle"
agent=$out/agent-bundle/firstline-agent/bin/firstline-agent
"$agent" enroll --console "127.0.0.1:$agent_port" \
    --token-file "$out/token" --ca-fingerprint "$fingerprint" --state-dir "$out/agent-state" >"$out/enroll.log" 2>&1 \
    || { echo "enrollment failed; see $out/enroll.log" >&2; exit 1; }

"$exporter" --web.listen-address="127.0.0.1:$exporter_port" >"$out/node-exporter.log" 2>&1 &
exporter_pid=$!
pids+=($exporter_pid)
for _ in $(seq 1 30); do
    curl -fsS "http://127.0.0.1:$exporter_port/metrics" >/dev/null 2>&1 && break
    sleep 1
done

agent_started_ms=$(date +%s%3N)
FIRSTLINE_JAVA_OPTS="-Dorg.slf4j.simpleLogger.log.io.firstline.agent.samples=debug ${AGENT_JAVA_OPTS:-}" \
    "$agent" run --console "127.0.0.1:$agent_port" --state-dir "$out/agent-state" \
    --interval "${interval}s" >"$out/agent.log" 2>&1 &
agent_pid=$!
pids+=($agent_pid)

clk=$(getconf CLK_TCK)
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

echo "t_s agent_rss_kib agent_cpu_ticks exporter_rss_kib exporter_cpu_ticks scrape_bytes" >"$out/procs.txt"
start=$(date +%s)
t=0
while [ "$t" -le "$duration" ]; do
    scrape=$(curl -fsS "http://127.0.0.1:$exporter_port/metrics" | wc -c)
    echo "$t $(rss_kib $agent_pid) $(cpu_ticks $agent_pid) $(rss_kib $exporter_pid) $(cpu_ticks $exporter_pid) $scrape" >>"$out/procs.txt"
    sleep $(( interval - ( ($(date +%s) - start) % interval ) ))
    t=$(( $(date +%s) - start ))
done

python3 - "$out" "$clk" "$warmup" "$agent_started_ms" <<'PY'
import sys, statistics, re, datetime
out, clk, warmup, started_ms = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rows = [list(map(int, l.split())) for l in open(f"{out}/procs.txt").read().splitlines()[1:] if l.strip()]
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
def cpu(col, since):
    a = next(r for r in rows if r[0] >= since); b = rows[-1]
    return 100.0 * (b[col] - a[col]) / clk / max(1, b[0] - a[0])
span = rows[-1][0]
print(f"run: {span} s, {len(rows)} readings every 10 s, warm-up excluded from 'steady' figures: first {warmup} s")
print("| process | RSS max | RSS end | CPU whole run | CPU steady (after warm-up) |")
print("|---|---|---|---|---|")
for name, rc, cc in (("firstline-agent", 1, 2), ("prometheus-node-exporter", 3, 4)):
    steady = f"{cpu(cc, warmup):.3f} % of one core" if span - warmup >= 60 else "n/a (under 60 s after the warm-up)"
    print(f"| {name} | {max(r[rc] for r in rows)/1024:.1f} MiB | {rows[-1][rc]/1024:.1f} MiB | "
          f"{cpu(cc, 0):.3f} % of one core | {steady} |")
print(f"node-exporter scrape: {statistics.median(r[5] for r in rows)/1024:.1f} KiB per scrape (median)")
sizes, wire, runs = [], [], {}
for line in open(f"{out}/agent.log"):
    m = re.search(r"sample bytes=(\d+) wire<=(\d+) new_series=(\d+) runs:(.*)", line.strip())
    if not m: continue
    if not sizes:
        first = datetime.datetime.fromisoformat(line.split()[0].replace("Z", "+00:00"))
        print(f"start-up: {first.timestamp() * 1000 - started_ms:.0f} ms from starting bin/firstline-agent run to its first sample")
    sizes.append(int(m.group(1))); wire.append(int(m.group(2)))
    for part in m.group(4).split():
        k, v = part.split("="); runs.setdefault(k, []).append(int(v))
print(f"samples: {len(sizes)}; wire bytes per sample (frame + envelope): p50 {pct(wire,50)}, p95 {pct(wire,95)}, max {max(wire)}; "
      f"first sample (defines the series) {wire[0]}; p95 without the first {pct(wire[1:],95) if len(wire) > 1 else '-'}")
print("| collector | runs | median | p99 |")
print("|---|---|---|---|")
for k, v in runs.items():
    print(f"| {k} | {len(v)} | {statistics.median(v)/1000:.2f} ms | {pct(v,99)/1000:.2f} ms |")
PY
