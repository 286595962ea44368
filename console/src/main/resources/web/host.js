// Host page: what the console knows of one agent, with uPlot charts of the
// last hour, refreshed every few seconds.
"use strict";

(() => {
  const { el, clear, pct, bytes, api } = FL;
  const id = decodeURIComponent(location.pathname.substring("/hosts/".length));
  const charts = {};
  const REFRESH_MS = 3000;
  /** Inventory rows shown at once; the filter finds the others (a desktop can have thousands of packages). */
  const INVENTORY_ROWS = 100;
  let inventory = [];
  let inventoryShown = null;

  /** The host-wide value or text of a metric (undefined when the agent has not reported it). */
  const valueOf = (list, metric) => {
    const v = (list || []).find(x => x.metric === metric && !x.resource);
    return v ? v.value : undefined;
  };

  /** "/127.0.0.1:53122" or "/[::1]:53122" (Java's form) without the port: where the agent's connection comes from. */
  function withoutPort(remote) {
    if (!remote) return null;
    remote = remote.substring(remote.lastIndexOf("/") + 1);
    const v6 = /^\[(.*)\]:\d+$/.exec(remote);
    if (v6) return v6[1];
    const i = remote.lastIndexOf(":");
    return i > 0 && remote.indexOf(":") === i ? remote.substring(0, i) : remote;
  }

  /** 3 d 4 h, 4 h 5 min, 12 min: an uptime at a glance. */
  function days(seconds) {
    const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60);
    return d ? d + " d " + h + " h" : h ? h + " h " + m + " min" : m + " min";
  }

  /** Every address of every interface but loopback, as "eth0 192.0.2.2/24". */
  function addresses(texts) {
    return (texts || []).filter(t => t.metric === "net.addresses" && t.resource && t.resource !== "lo" && t.value)
      .map(t => t.resource + " " + t.value).join("; ") || null;
  }

  function kv(dl, pairs) {
    clear(dl);
    for (const [k, v] of pairs) dl.append(el("dt", {}, k), el("dd", {}, v === null || v === undefined ? "–" : String(v)));
  }

  function table(node, head, rows) {
    clear(node).append(el("tr", {}, ...head.map(h => el("th", {}, h))));
    if (rows.length === 0) node.append(el("tr", {}, el("td", { colspan: head.length, class: "muted" }, "none reported")));
    for (const r of rows) node.append(el("tr", {}, ...r.map(c => el("td", {}, c === null || c === undefined ? "–" : String(c)))));
  }

  function byResource(values, prefix) {
    const m = new Map();
    for (const v of values) {
      if (!v.metric.startsWith(prefix) || !v.resource) continue;
      if (!m.has(v.resource)) m.set(v.resource, {});
      m.get(v.resource)[v.metric.substring(prefix.length)] = v.value;
    }
    return m;
  }

  function showAgent(a) {
    document.getElementById("hostname").textContent = a.hostname || a.id;
    document.getElementById("agent-id").textContent = a.id;
    document.getElementById("health").className = "dot h-" + (a.status === "online" ? "ok" : "offline");
    document.title = (a.hostname || a.id) + " · Firstline";
    const uptime = valueOf(a.values, "os.uptime_seconds");
    const boot = valueOf(a.values, "os.boot_time_seconds");
    kv(document.getElementById("overview"), [
      ["Status", a.status], ["Site", a.site || null], ["OS", a.os], ["Architecture", a.arch], ["CPUs", a.host && a.host.logicalCpus],
      ["Memory", bytes(a.host && a.host.memoryBytes)], ["CPU used", pct(a.cpuUsage)], ["Memory used", pct(a.memoryUsed)],
      ["Uptime", uptime === undefined ? null : days(uptime)],
      ["Last boot", boot === undefined ? null : FL.time(new Date(boot * 1000).toISOString())],
      ["Users", valueOf(a.texts, "os.users") || (valueOf(a.values, "os.sessions") === 0 ? "nobody signed in" : null)],
      ["Addresses", addresses(a.texts)], ["Connected from", withoutPort(a.remoteAddress)],
      ["Agent version", a.agentVersion], ["Last seen", FL.time(a.lastSeen)], ["Last sample", FL.time(a.sampleTime)],
    ]);
    for (const dd of document.querySelectorAll("#overview dd")) dd.id = "ov-" + dd.previousSibling.textContent.toLowerCase().replace(/ /g, "-");
    const fs = byResource(a.values, "fs.");
    const texts = a.texts || [];
    table(document.getElementById("filesystems"), ["Mount", "Type", "Size", "Free", "Used", "Inodes used"],
      [...fs.entries()].map(([mount, f]) => {
        const t = texts.find(x => x.metric === "fs.type" && x.resource === mount);
        return [mount, t ? t.value : "", bytes(f.size_bytes), bytes(f.free_bytes), pct(f.used_ratio), pct(f.inodes_used_ratio)];
      }));
    const net = byResource(a.values, "net.");
    table(document.getElementById("interfaces"), ["Interface", "Up", "In /s", "Out /s", "Errors /s", "Speed"],
      [...net.entries()].map(([name, n]) => [name, n.up === undefined ? "" : (n.up ? "yes" : "no"),
        bytes(n.rx_bytes_per_second), bytes(n.tx_bytes_per_second), n.errors_per_second,
        n.speed_bits_per_second ? (n.speed_bits_per_second / 1e6).toFixed(0) + " Mbit/s" : ""]));
    // Top processes: the agent reports slots cpu1..cpu5 (by CPU) and mem1..mem5 (by memory).
    const procs = byResource(a.values, "process.");
    for (const t of (a.texts || []).filter(x => x.metric.startsWith("process.") && x.resource)) {
      if (!procs.has(t.resource)) procs.set(t.resource, {});
      procs.get(t.resource)[t.metric.substring("process.".length)] = t.value;
    }
    for (const [kind, title] of [["cpu", "By CPU"], ["mem", "By memory"]]) {
      const slots = [...procs.entries()].filter(([slot]) => slot.startsWith(kind) && /^\d+$/.test(slot.substring(kind.length)))
        .sort((x, y) => Number(x[0].substring(kind.length)) - Number(y[0].substring(kind.length)));
      table(document.getElementById("top-" + kind), [title, "PID", "User", "CPU", "Memory"],
        slots.map(([, p]) => [p.name, p.pid, p.user, pct(p.cpu_ratio), bytes(p.rss_bytes)]));
    }
    // Every collector's latest outcome: slow and unsupported ones report in few samples.
    table(document.getElementById("collectors"), ["Collector", "Outcome", "Duration", "Last run", "Error"],
      (a.collectors || []).map(c => [c.name, c.outcome, (c.durationMicros / 1000).toFixed(1) + " ms", FL.ago(c.at ? new Date(c.at).getTime() : 0),
        c.error || ""]));
    inventory = (a.inventory || []).map(i => ({ kind: i.kind, name: i.name,
      details: Object.entries(i.attributes || {}).map(([k, v]) => k + "=" + v).join(", ") }));
    showInventory();
  }

  /** The inventory, collapsed until opened; hardware first, then packages; filtered, and at most INVENTORY_ROWS rows. */
  function showInventory() {
    const q = document.getElementById("inventory-filter").value.trim().toLowerCase();
    const key = inventory.length + "/" + (inventory[0] && inventory[0].name) + "/" + q;
    if (key === inventoryShown) return;
    inventoryShown = key;
    const apps = inventory.filter(i => i.kind === "app").length;
    document.getElementById("inventory-count").textContent = inventory.length + " items" + (apps ? ", " + apps + " of them installed packages" : "");
    const matching = inventory.filter(i => !q || (i.kind + " " + i.name + " " + i.details).toLowerCase().includes(q))
      .sort((x, y) => (x.kind === "app") - (y.kind === "app"));
    table(document.getElementById("inventory"), ["Kind", "Name", "Details"],
      matching.slice(0, INVENTORY_ROWS).map(i => [i.kind, i.name, i.details]));
    document.getElementById("inventory-shown").textContent = matching.length > INVENTORY_ROWS
      ? "showing " + INVENTORY_ROWS + " of " + matching.length + "; filter to find the others" : matching.length + " shown";
  }

  /**
   * Width of a y axis whose labels are at most as wide as {@code widest}: the
   * text in uPlot's axis font, plus its ticks (10 px) and gap (5 px) and a margin.
   */
  function axisSize(widest) {
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';
    return Math.ceil(Math.max(...widest.map(w => ctx.measureText(w).width))) + 22;
  }

  function chart(key, node, series, data, yFormat, ratio, widest) {
    const width = Math.max(300, node.clientWidth - 28);
    if (!charts[key]) {
      const opts = {
        width, height: 170,
        scales: ratio ? { x: { time: true }, y: { range: [0, 1] } } : { x: { time: true } },
        axes: [{}, { values: (u, vals) => vals.map(yFormat), size: axisSize(widest) }],
        series: [{}].concat(series.map(s => ({ label: s.label, stroke: s.color, width: 1.5, fill: s.fill,
          value: (u, v) => v === null ? "–" : yFormat(v) }))),
      };
      charts[key] = new uPlot(opts, data, node);
    } else {
      charts[key].setData(data);
    }
    node.dataset.points = String(data[0].length);
  }

  function showHistory(h) {
    const t = h.times, s = h.series;
    const ratio = v => (v * 100).toFixed(0) + "%";
    const PERCENT = ["100%"];
    // bytes() never gives more than four digits before its unit changes.
    const RATES = ["1023.9 B/s", "1023.9 KiB/s", "1023.9 MiB/s", "1023.9 GiB/s", "1023.9 TiB/s"];
    chart("cpu", document.getElementById("chart-cpu"), [{ label: "CPU", color: "#2f5bd3", fill: "rgba(47,91,211,.08)" }], [t, s.cpu], ratio, true, PERCENT);
    chart("memory", document.getElementById("chart-memory"), [{ label: "Memory", color: "#7c3aed", fill: "rgba(124,58,237,.08)" }], [t, s.memory], ratio, true, PERCENT);
    chart("disk", document.getElementById("chart-disk"), [{ label: "Used", color: "#d97706", fill: "rgba(217,119,6,.08)" }], [t, s.disk], ratio, true, PERCENT);
    chart("net", document.getElementById("chart-net"), [{ label: "In", color: "#1f9d55" }, { label: "Out", color: "#d92d20" }],
      [t, s.netRx, s.netTx], v => bytes(v) + "/s", false, RATES);
  }

  function showTickets(list) {
    const node = document.getElementById("tickets");
    const mine = list.filter(t => t.agentId === id);
    // Health as on the fleet page: offline, else the worst open ticket, else ok.
    const live = mine.filter(t => t.state === "open" || t.state === "acknowledged");
    const dot = document.getElementById("health");
    if (dot.className !== "dot h-offline") {
      dot.className = "dot h-" + (live.some(t => t.severity === "critical") ? "critical" : live.length ? "warning" : "ok");
    }
    clear(node);
    if (mine.length === 0) { node.textContent = "No tickets."; return; }
    node.classList.remove("muted");
    const tbl = el("table", { class: "t" });
    clear(tbl).append(el("tr", {}, ...["#", "State", "Severity", "Title", "Opened"].map(h => el("th", {}, h))));
    for (const t of mine) {
      tbl.append(el("tr", {},
        el("td", {}, el("a", { href: "/tickets?id=" + t.id }, "#" + t.id)),
        el("td", {}, t.state), el("td", {}, el("span", { class: "badge sev-" + t.severity }, t.severity)),
        el("td", {}, t.title || t.ruleId || ""), el("td", {}, FL.time(t.openedAt))));
    }
    node.append(tbl);
  }

  async function refresh() {
    // Tickets show even when the agent itself cannot be shown; they colour the health dot after the agent does.
    const tickets = api("/api/tickets?state=all&agent=" + encodeURIComponent(id)).catch(() => null);
    try {
      const [a, h] = await Promise.all([api("/api/agents/" + encodeURIComponent(id)), api("/api/agents/" + encodeURIComponent(id) + "/history")]);
      showAgent(a);
      showHistory(h);
      document.getElementById("error").classList.add("hidden");
    } catch (e) {
      const err = document.getElementById("error");
      err.textContent = e.message;
      err.classList.remove("hidden");
    }
    const list = await tickets;
    if (list) showTickets(list);
  }

  document.getElementById("inventory-filter").addEventListener("input", showInventory);
  FL.start("fleet").then(() => {
    refresh();
    setInterval(refresh, REFRESH_MS);
    FLDiag.hostPanel(document.getElementById("diagnostics"), id);
  });
})();
