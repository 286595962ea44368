#!/usr/bin/env bash
# Fault drill (docs/benchmarks.md, "Fault drill"): real faults on this
# machine, measured from the fault to its ticket in GET /api/tickets and
# from the fix to the ticket resolved.
#
#   sudo bench/fault-drill.sh [RUNS (default 20)] [OUT_DIR]
#
# Faults, RUNS times each, one at a time:
#   readonly  a loop-mounted ext4 remounted read-only, then read-write
#   link      a veth whose peer (in a network namespace of the drill) goes down, then up
#   oom       a process (tail reading /dev/zero) killed by the OOM killer in a
#             32 MiB memory cgroup (v2, else v1)
#   segfault  a process (python3) dying of a real SIGSEGV (a read of address 0)
# The fault time is taken just before the command that causes it (for oom
# and segfault: when the process is started; it dies within milliseconds).
#
# It runs the real console and agent jars on 127.0.0.1, and changes the
# rules it exercises so that a run takes seconds, not minutes (the shipped
# values are in default-rules.yaml):
#   interface_down        for: 0s (ships with 30s), recover.for: 2s (30s)
#   filesystem_read_only  recover.for: 2s (30s)
#   oom_kill, process_crashed  quiet: 3s (10m)
# so "fix -> resolved" includes that hold of 2 s (3 s quiet for events).
#
# Where Debian's prometheus, prometheus-node-exporter and
# prometheus-alertmanager are installed, the read-only and link faults run
# through that pipeline too (1 s scrape and evaluation, for: 0s, group_wait
# 0s, a webhook receiver on loopback), measured from the fault to the
# webhook's firing and resolved notifications.
#
# Needs root, python3, curl, losetup, mkfs.ext4, ip, built jars
# (./mvnw -B -DskipTests package). Touches only loopback, its own loop
# device, cgroup, network namespace and veth pair, all removed on exit
# (also on failure or Ctrl-C). Every wait is bounded.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
out=${2:-$(mktemp -d /tmp/firstline-drill.XXXXXX)}
mkdir -p "$out"
console_jar=${CONSOLE_JAR:-$root/console/target/firstline-console.jar}
agent_jar=${AGENT_JAR:-$root/agent/target/firstline-agent.jar}
[ "$(id -u)" = 0 ] || { echo "the fault drill needs root (loop mounts, cgroups, veth)" >&2; exit 1; }
for f in "$console_jar" "$agent_jar"; do
    [ -e "$f" ] || { echo "missing $f (build with ./mvnw -B -DskipTests package)" >&2; exit 1; }
done

port_base=${PORT_BASE:-0}
free_port() {
    if [ "$port_base" != 0 ]; then echo $((port_base + $1)); return; fi
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
agent_port=$(free_port 0); http_port=$(free_port 1); exporter_port=$(free_port 2)
prom_port=$(free_port 3); am_port=$(free_port 4); hook_port=$(free_port 5); am_cluster_port=$(free_port 6)

tag=fd$$
ns=${tag}ns; veth=${tag}a; peer=${tag}b
mnt=$out/mnt
loop=""
cgroup=""
pids=()
cleanup() {
    set +e
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    mountpoint -q "$mnt" && umount -l "$mnt"
    [ -n "$loop" ] && losetup -d "$loop"
    ip link del "$veth" 2>/dev/null
    ip netns del "$ns" 2>/dev/null
    if [ -n "$cgroup" ] && [ -d "$cgroup" ]; then
        for p in $(cat "$cgroup/cgroup.procs" 2>/dev/null); do kill -9 "$p"; done
        sleep 0.2; rmdir "$cgroup"
    fi
}
trap cleanup EXIT INT TERM

# --- the console, its rules, an enrolled agent ---------------------------
data=$out/console-data
cat > "$out/console.yaml" <<YAML
dataDir: $data
agent:
  bind: 127.0.0.1
  port: $agent_port
http:
  bind: 127.0.0.1
  port: $http_port
sampleInterval: 10s
YAML
java -Xmx256m -jar "$console_jar" serve --config "$out/console.yaml" >"$out/console.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break; sleep 1; done
[ -s "$data/rules.yaml" ] || { echo "console did not start; see $out/console.log" >&2; exit 1; }
python3 - "$data/rules.yaml" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
def edit(rule_id, old, new):
    global text
    m = re.search(r"(  - id: %s\n(?:    .*\n)+)" % rule_id, text)
    block = m.group(1)
    assert old in block, (rule_id, old)
    text = text.replace(block, block.replace(old, new, 1))
edit("interface_down", "for: 30s", "for: 0s")
edit("interface_down", "recover: { threshold: 0, for: 30s }", "recover: { threshold: 0, for: 2s }")
edit("filesystem_read_only", "recover: { threshold: 1, for: 30s }", "recover: { threshold: 1, for: 2s }")
edit("oom_kill", "quiet: 10m", "quiet: 3s")
edit("process_crashed", "quiet: 10m", "quiet: 3s")
open(path + ".tmp", "w").write(text)
PY
mv "$data/rules.yaml.tmp" "$data/rules.yaml"

created=$(java -jar "$console_jar" token create --site drill --ttl 1h --max-uses 1 --data "$data")
echo "$created" | sed -n 's/^token: *//p' > "$out/token"
fingerprint=$(echo "$created" | sed -n 's/^CA fingerprint: *//p')
java -jar "$agent_jar" enroll --console "127.0.0.1:$agent_port" --token-file "$out/token" \
    --ca-fingerprint "$fingerprint" --state-dir "$out/agent-state" >"$out/enroll.log" 2>&1

# --- the faults' objects -------------------------------------------------
# The processes that die get names of their own (the kernel names a process
# after the file it executes), so other programs' crashes and OOM kills on
# this machine are not mistaken for the drill's.
ln -s "$(readlink -f "$(command -v tail)")" "$out/fldrill-oom"
ln -s "$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')" "$out/fldrill-segv"
truncate -s 64M "$out/fs.img"
mkfs.ext4 -q -F "$out/fs.img"
loop=$(losetup -f --show "$out/fs.img")
mkdir -p "$mnt"
mount "$loop" "$mnt"
ip netns add "$ns"
ip link add "$veth" type veth peer name "$peer" netns "$ns"
ip link set "$veth" up
ip -n "$ns" link set "$peer" up
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    cgroup=/sys/fs/cgroup/$tag
    mkdir "$cgroup"; echo 32M > "$cgroup/memory.max"; echo 0 > "$cgroup/memory.swap.max" 2>/dev/null || true
    cgroup_kind="v2"
elif [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
    cgroup=/sys/fs/cgroup/memory/$tag
    mkdir "$cgroup"; echo 32M > "$cgroup/memory.limit_in_bytes"; echo 0 > "$cgroup/memory.swappiness" 2>/dev/null || true
    cgroup_kind="v1"
else
    echo "no cgroup memory controller: the oom fault is left out" >&2
    cgroup_kind="none"
fi

java -jar "$agent_jar" run --console "127.0.0.1:$agent_port" --state-dir "$out/agent-state" >"$out/agent.log" 2>&1 &
pids+=($!)

# --- the Prometheus pipeline, where installed -----------------------------
prom=no
if command -v prometheus >/dev/null && command -v prometheus-node-exporter >/dev/null \
        && command -v prometheus-alertmanager >/dev/null; then
    prom=yes
    mkdir -p "$out/prom"
    cat > "$out/prom/prometheus.yml" <<YAML
global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [ "$out/prom/rules.yml" ]
alerting: { alertmanagers: [ { static_configs: [ { targets: [ "127.0.0.1:$am_port" ] } ] } ] }
scrape_configs: [ { job_name: node, static_configs: [ { targets: [ "127.0.0.1:$exporter_port" ] } ] } ]
YAML
    cat > "$out/prom/rules.yml" <<YAML
groups:
- name: drill
  rules:
  - alert: FilesystemReadOnly
    expr: node_filesystem_readonly{mountpoint="$mnt"} == 1
    for: 0s
  - alert: LinkDown
    expr: node_network_carrier{device="$veth"} == 0
    for: 0s
YAML
    cat > "$out/prom/alertmanager.yml" <<YAML
route: { receiver: hook, group_by: [alertname], group_wait: 0s, group_interval: 1s, repeat_interval: 1h }
receivers: [ { name: hook, webhook_configs: [ { url: "http://127.0.0.1:$hook_port/", send_resolved: true } ] } ]
YAML
    prometheus-node-exporter --web.listen-address="127.0.0.1:$exporter_port" >"$out/prom/node-exporter.log" 2>&1 &
    pids+=($!)
    prometheus-alertmanager --config.file="$out/prom/alertmanager.yml" --storage.path="$out/prom/am" \
        --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address="" >"$out/prom/alertmanager.log" 2>&1 &
    pids+=($!)
    prometheus --config.file="$out/prom/prometheus.yml" --storage.tsdb.path="$out/prom/tsdb" \
        --web.listen-address="127.0.0.1:$prom_port" >"$out/prom/prometheus.log" 2>&1 &
    pids+=($!)
fi

echo "drill: $runs runs per fault; output in $out"
python3 - "$out" "$runs" "$http_port" "$data" "$mnt" "$veth" "$ns" "$peer" "$cgroup" "$prom" "$hook_port" <<'PY'
import http.server, json, os, statistics, subprocess, sys, threading, time, urllib.request
out, runs, http_port, data, mnt, veth, ns, peer, cgroup, prom, hook_port = sys.argv[1:]
runs = int(runs)
base = f"http://127.0.0.1:{http_port}"
user, password = open(f"{data}/initial-admin-password").read().split()

def login(pw):
    req = urllib.request.Request(base + "/login", data=json.dumps({"username": user, "password": pw}).encode(),
                                 headers={"Content-Type": "application/json"})
    r = urllib.request.urlopen(req, timeout=30)
    return r.headers["Set-Cookie"].split(";")[0], json.load(r)["csrfToken"]

# The first start's password is one-time: replace it, as the console requires, and sign in again.
cookie, csrf = login(password)
chosen = password + "-drill"
urllib.request.urlopen(urllib.request.Request(base + "/api/me/password",
                                              data=json.dumps({"current": password, "password": chosen}).encode(),
                                              headers={"Content-Type": "application/json", "Cookie": cookie,
                                                       "X-CSRF-Token": csrf}), timeout=30)
cookie, _ = login(chosen)

def now():
    return time.monotonic()

def tickets():
    r = urllib.request.Request(base + "/api/tickets", headers={"Cookie": cookie})
    return json.load(urllib.request.urlopen(r, timeout=10))

def open_ticket(rule, resource):
    return any(t["ruleId"] == rule and t["resource"] == resource for t in tickets())

def wait(cond, limit=30.0, step=0.01):
    end = now() + limit
    while now() < end:
        if cond():
            return now()
        time.sleep(step)
    return None

def sh(*cmd):
    subprocess.run(cmd, check=True, timeout=30, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

# the agent online, and a sample that saw the file system writable and the link up
def online():
    r = urllib.request.Request(base + "/api/agents", headers={"Cookie": cookie})
    a = json.load(urllib.request.urlopen(r, timeout=10))
    return len(a) == 1 and a[0].get("status") == "online"
if wait(online, 90, 0.5) is None:
    sys.exit("the agent did not come online; see agent.log")
time.sleep(12)

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

results = {}
def record(name, fault_s, fix_s):
    results.setdefault(name, ([], []))
    if fault_s is not None: results[name][0].append(fault_s)
    if fix_s is not None: results[name][1].append(fix_s)

def drill_readonly(i):
    t0 = now(); sh("mount", "-o", "remount,ro", mnt)
    t1 = wait(lambda: open_ticket("filesystem_read_only", mnt))
    f0 = now(); sh("mount", "-o", "remount,rw", mnt)
    f1 = wait(lambda: not open_ticket("filesystem_read_only", mnt))
    return (t1 - t0 if t1 else None), (f1 - f0 if f1 else None)

def drill_link(i):
    t0 = now(); sh("ip", "-n", ns, "link", "set", peer, "down")
    t1 = wait(lambda: open_ticket("interface_down", veth))
    f0 = now(); sh("ip", "-n", ns, "link", "set", peer, "up")
    f1 = wait(lambda: not open_ticket("interface_down", veth))
    return (t1 - t0 if t1 else None), (f1 - f0 if f1 else None)

def drill_oom(i):
    t0 = now()
    p = subprocess.Popen(["sh", "-c", f"echo $$ > {cgroup}/cgroup.procs && exec {out}/fldrill-oom /dev/zero"])
    p.wait(timeout=30)
    killed = now()
    t1 = wait(lambda: open_ticket("oom_kill", "fldrill-oom"))
    f1 = wait(lambda: not open_ticket("oom_kill", "fldrill-oom"))
    return (t1 - t0 if t1 else None), (f1 - killed if f1 else None)

def drill_segfault(i):
    t0 = now()
    p = subprocess.Popen([f"{out}/fldrill-segv", "-c", "import ctypes; ctypes.string_at(0)"], stderr=subprocess.DEVNULL)
    p.wait(timeout=30)
    died = now()
    t1 = wait(lambda: open_ticket("process_crashed", "fldrill-segv"))
    f1 = wait(lambda: not open_ticket("process_crashed", "fldrill-segv"))
    return (t1 - t0 if t1 else None), (f1 - died if f1 else None)

drills = [("readonly", drill_readonly), ("link", drill_link), ("segfault", drill_segfault)]
if cgroup:
    drills.insert(2, ("oom", drill_oom))
log = open(f"{out}/runs.txt", "w")
for name, fn in drills:
    for i in range(runs):
        a, b = fn(i)
        record(name, a, b)
        print(f"{name} run {i+1}: fault->ticket {a if a is None else round(a*1000)} ms, fix->resolved {b if b is None else round(b*1000)} ms",
              file=log, flush=True)
        time.sleep(1.0)

# Prometheus + node_exporter + Alertmanager on the same faults
prom_results = {}
if prom == "yes":
    events = []
    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            for a in body.get("alerts", []):
                events.append((now(), a["labels"].get("alertname"), a["status"]))
            self.send_response(200); self.end_headers()
        def log_message(self, *a):
            pass
    server = http.server.HTTPServer(("127.0.0.1", int(hook_port)), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    def prom_up():
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{int(hook_port)-2}/-/ready", timeout=2).status == 200
        except Exception:
            return False
    time.sleep(8)  # prometheus, node_exporter and alertmanager up and a few scrapes in
    def seen(name, status, after):
        return any(t >= after and n == name and s == status for t, n, s in events)
    def run(name, alert, fault, fix):
        t0 = now(); fault()
        t1 = wait(lambda: seen(alert, "firing", t0), 20)
        f0 = now(); fix()
        f1 = wait(lambda: seen(alert, "resolved", f0), 20)
        prom_results.setdefault(name, ([], []))
        if t1: prom_results[name][0].append(t1 - t0)
        if f1: prom_results[name][1].append(f1 - f0)
        print(f"prometheus {name}: fault->firing {t1 and round((t1-t0)*1000)} ms, fix->resolved {f1 and round((f1-f0)*1000)} ms",
              file=log, flush=True)
        time.sleep(2)
    for i in range(runs):
        run("readonly", "FilesystemReadOnly", lambda: sh("mount", "-o", "remount,ro", mnt), lambda: sh("mount", "-o", "remount,rw", mnt))
    for i in range(runs):
        run("link", "LinkDown", lambda: sh("ip", "-n", ns, "link", "set", peer, "down"), lambda: sh("ip", "-n", ns, "link", "set", peer, "up"))
    server.shutdown()

def row(label, xs):
    if not xs:
        return "| %s | 0 | - | - | - |" % label
    return "| %s | %d | %.0f ms | %.0f ms | %.0f ms |" % (label, len(xs), pct(xs, 50) * 1000, pct(xs, 99) * 1000, max(xs) * 1000)
print("| fault (Firstline) | runs | p50 | p99 | max |")
print("|---|---|---|---|---|")
for name, (a, b) in results.items():
    print(row(name + ": fault -> ticket", a))
    print(row(name + ": fix -> resolved", b))
if prom_results:
    print()
    print("| fault (Prometheus 1 s + node_exporter + Alertmanager) | runs | p50 | p99 | max |")
    print("|---|---|---|---|---|")
    for name, (a, b) in prom_results.items():
        print(row(name + ": fault -> firing webhook", a))
        print(row(name + ": fix -> resolved webhook", b))
missing = sum(runs - len(a) for a, _ in results.values())
if missing:
    print(f"\n{missing} faults did not produce a ticket within 30 s; see {out}/runs.txt")
PY
echo "cgroup: $cgroup_kind; kernel $(uname -r); $(nproc) CPUs; $(date -u +%FT%TZ)"
