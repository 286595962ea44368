// Reports: the common-problems report with its chart (uPlot), filters,
// server-side sorting and the CSV/JSON downloads. Every name shown comes from
// agents and is set as text only.
"use strict";

(() => {
  const { el, clear, api } = FL;
  const DIMS = [["rule", "Rule"], ["os", "OS"], ["hardware", "Hardware"], ["agentVersion", "Agent"], ["site", "Site"]];
  const FIGURES = [["tickets", "Tickets"], ["machines", "Machines"], ["previousTickets", "Before"], ["change", "Trend"],
    ["mttrSeconds", "Mean to resolve"], ["p90ResolveSeconds", "p90 to resolve"], ["recurrenceRate", "Came back"]];
  const COLORS = ["#2f5bd3", "#d92d20", "#1f9d55", "#d97706", "#7c3aed"];
  const params = new URLSearchParams(location.search);
  const days = document.getElementById("days");
  const groups = [...document.querySelectorAll("input.group")];
  const filters = [...document.querySelectorAll("#filters input")];
  let sort = params.get("sort") || "tickets";
  let order = params.get("order") || "";
  let chart = null;
  let loading = 0;

  // The page's state lives in its URL, so a view can be bookmarked and sent to the product team.
  if (["7", "30", "90"].includes(params.get("days"))) days.value = params.get("days");
  if (params.get("groupBy")) for (const g of groups) g.checked = params.get("groupBy").split(",").includes(g.value);
  for (const f of filters) f.value = params.get(f.dataset.field) || "";

  function query(extra) {
    const q = new URLSearchParams({ days: days.value });
    const g = groups.filter(x => x.checked).map(x => x.value);
    if (g.length !== groups.length) q.set("groupBy", g.join(","));
    for (const f of filters) if (f.value.trim()) q.set(f.dataset.field, f.value.trim());
    if (sort !== "tickets") q.set("sort", sort);
    if (order) q.set("order", order);
    for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
    return q;
  }

  const secs = v => v === null || v === undefined ? "–" : FL.duration(v * 1000);
  const pct = v => v === null || v === undefined ? "–" : Math.round(v * 100) + "%";

  function trendCell(r) {
    const text = r.trend === "new" ? "new" : r.trend === "gone" ? "gone"
      : r.change === null ? "–" : (r.change > 0 ? "+" : "") + Math.round(r.change * 100) + "%";
    return el("span", { class: "trend trend-" + r.trend, title: r.previousTickets + " in the period before" }, text);
  }

  function label(r, dims) {
    return dims.map(d => r[d] === "" ? "unknown" : r[d]).join(" · ");
  }

  function renderTable(report) {
    const dims = report.groupBy;
    const table = clear(document.getElementById("cp-table"));
    const heads = DIMS.filter(([k]) => dims.includes(k)).concat(FIGURES);
    table.append(el("tr", {}, ...heads.map(([k, name]) => el("th", {
      class: "sortable" + (k === sort ? " sorted" + (effectiveOrder() === "desc" ? " desc" : "") : ""), "data-sort": k,
      onclick: () => { order = k === sort ? (effectiveOrder() === "desc" ? "asc" : "desc") : ""; sort = k; load(); },
    }, name))));
    for (const r of report.rows) {
      const tr = el("tr", { class: "cp-row" });
      for (const [k] of DIMS) {
        if (!dims.includes(k)) continue;
        tr.append(el("td", { class: "dim", "data-field": k }, r[k] === "" ? el("span", { class: "muted" }, "unknown") : r[k]));
      }
      tr.append(el("td", { "data-field": "tickets" }, String(r.tickets)), el("td", { "data-field": "machines" }, String(r.machines)),
        el("td", { "data-field": "previousTickets" }, String(r.previousTickets)), el("td", { "data-field": "trend" }, trendCell(r)),
        el("td", { "data-field": "mttrSeconds" }, secs(r.mttrSeconds)), el("td", { "data-field": "p90ResolveSeconds" }, secs(r.p90ResolveSeconds)),
        el("td", { "data-field": "recurrenceRate" }, pct(r.recurrenceRate)));
      table.append(tr);
    }
    if (report.rows.length === 0) table.append(el("tr", {}, el("td", { colspan: heads.length, class: "muted" }, "No tickets in this period.")));
  }

  function effectiveOrder() {
    return order || (DIMS.some(([k]) => k === sort) ? "asc" : "desc");
  }

  /** Tickets per day of the five largest groups, as lines over the period. */
  function renderChart(report) {
    const node = document.getElementById("cp-chart");
    const top = report.rows.filter(r => r.tickets > 0).slice().sort((a, b) => b.tickets - a.tickets).slice(0, 5);
    const start = Date.parse(report.from) / 1000;
    const x = Array.from({ length: report.days }, (_, i) => start + i * 86400);
    const data = [x].concat(top.map(r => r.daily));
    if (chart) { chart.destroy(); chart = null; }
    clear(node);
    node.dataset.series = String(top.length);
    if (top.length === 0) { node.append(el("p", { class: "muted" }, "Nothing to chart.")); return; }
    const width = Math.max(320, node.clientWidth || 900);
    chart = new uPlot({
      width, height: 220,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [{}, { values: (u, vals) => vals.map(v => Number.isInteger(v) ? String(v) : "") }],
      series: [{}].concat(top.map((r, i) => ({ label: label(r, report.groupBy).slice(0, 60), stroke: COLORS[i], width: 1.5,
        points: { show: report.days <= 31 } }))),
    }, data, node);
  }

  function fillLists(report) {
    for (const [k] of DIMS) {
      const list = clear(document.getElementById("l-" + k));
      const values = [...new Set(report.rows.map(r => r[k]).filter(v => v))].sort();
      for (const v of values.slice(0, 200)) list.append(el("option", { value: v }));
    }
  }

  async function load() {
    const q = query();
    history.replaceState(null, "", "?" + q.toString());
    document.getElementById("csv").href = "/api/reports/common-problems.csv?" + q.toString();
    document.getElementById("json").href = "/api/reports/common-problems?" + q.toString();
    const mine = ++loading;
    const status = document.getElementById("status");
    status.textContent = "loading…";
    try {
      const report = await api("/api/reports/common-problems?" + query({ daily: "true", limit: "500" }).toString());
      if (mine !== loading) return;
      status.textContent = "";
      const before = report.previousTickets;
      document.getElementById("summary").textContent = report.tickets + " tickets in " + report.totalRows + " groups from "
        + FL.time(report.from) + " to " + FL.time(report.to) + "; " + before + " in the " + report.days + " days before"
        + (report.totalRows > report.rows.length ? " (the first " + report.rows.length + " groups shown; the CSV has them all)" : "") + ".";
      document.body.dataset.loaded = q.toString();
      renderTable(report);
      renderChart(report);
      fillLists(report);
    } catch (e) {
      if (mine === loading) status.textContent = e.message;
    }
  }

  // ---- the service report ---------------------------------------------------------------
  let service = null;
  const svBy = document.getElementById("sv-by");

  function tile(label, value, title) {
    return el("div", { class: "tile", title: title || null }, el("div", { class: "value" }, value), el("div", { class: "muted" }, label));
  }

  function renderServiceTimes() {
    const table = clear(document.getElementById("sv-times"));
    const by = svBy.value;
    const key = { bySeverity: "severity", bySite: "site", byAssignee: "assignee" }[by];
    table.append(el("tr", {}, ...[svBy.options[svBy.selectedIndex].text, "Tickets", "Acknowledged", "p50 to ack", "p90 to ack",
      "Resolved", "p50 to resolve", "p90 to resolve"].map(h => el("th", {}, h))));
    const ack = service.timeToAcknowledge[by], res = service.timeToResolve[by];
    for (let i = 0; i < ack.length; i++) {
      const name = ack[i][key] || (key === "assignee" ? "nobody" : "unknown");
      table.append(el("tr", { class: "sv-row" }, el("td", {}, name), el("td", {}, String(ack[i].tickets)),
        el("td", {}, String(ack[i].count)), el("td", {}, secs(ack[i].p50Seconds)), el("td", {}, secs(ack[i].p90Seconds)),
        el("td", {}, String(res[i].count)), el("td", {}, secs(res[i].p50Seconds)), el("td", {}, secs(res[i].p90Seconds))));
    }
    if (ack.length === 0) table.append(el("tr", {}, el("td", { colspan: 8, class: "muted" }, "No tickets in this period.")));
  }

  function renderService(r) {
    service = r;
    const a = r.timeToAcknowledge.all, res = r.timeToResolve.all;
    clear(document.getElementById("sv-tiles")).append(
      tile("tickets", String(r.tickets)),
      tile("to acknowledge, p50 / p90", secs(a.p50Seconds) + " / " + secs(a.p90Seconds), a.count + " acknowledged; mean " + secs(a.meanSeconds)),
      tile("to resolve, p50 / p90", secs(res.p50Seconds) + " / " + secs(res.p90Seconds), res.count + " resolved; mean " + secs(res.meanSeconds)),
      tile("breached an SLA", pct(r.slaBreaches.rate), r.slaBreaches.ack + " missed the ack target, " + r.slaBreaches.resolve + " the resolve target"),
      tile("resolved automatically", pct(r.resolvedAutomatically.share), r.resolvedAutomatically.count + " of " + r.resolved + " resolved"),
      tile("reopened", pct(r.reopened.rate), r.reopened.count + " tickets"),
      tile("escalations", String(r.escalations)));
    renderServiceTimes();
    const noisy = clear(document.getElementById("sv-noisy"));
    noisy.append(el("tr", {}, ...["Rule", "Raises", "Flaps", "Tickets", "Machines"].map(h => el("th", {}, h))));
    for (const n of r.noisiestRules) {
      noisy.append(el("tr", { class: "sv-noisy" }, el("td", {}, n.rule), el("td", {}, String(n.raises)), el("td", {}, String(n.flaps)),
        el("td", {}, String(n.tickets)), el("td", {}, String(n.machines))));
    }
    if (!r.noisiestRules.length) noisy.append(el("tr", {}, el("td", { colspan: 5, class: "muted" }, "No raises in this period.")));
    const machines = clear(document.getElementById("sv-machines"));
    machines.append(el("tr", {}, ...["Host", "Site", "Tickets"].map(h => el("th", {}, h))));
    for (const m of r.busiestMachines) {
      machines.append(el("tr", { class: "sv-machine" }, el("td", {}, el("a", { href: "/tickets?agent=" + encodeURIComponent(m.agentId) }, m.hostname || m.agentId)),
        el("td", {}, m.site || "–"), el("td", {}, String(m.tickets))));
    }
    if (!r.busiestMachines.length) machines.append(el("tr", {}, el("td", { colspan: 3, class: "muted" }, "No tickets in this period.")));
  }

  async function loadService() {
    try {
      renderService(await api("/api/reports/service?days=" + days.value));
      document.body.dataset.serviceLoaded = days.value;
    } catch (e) {
      document.getElementById("status").textContent = e.message;
    }
  }

  svBy.addEventListener("change", () => service && renderServiceTimes());
  days.addEventListener("change", loadService);
  days.addEventListener("change", load);
  for (const g of groups) g.addEventListener("change", load);
  let typing = null;
  for (const f of filters) f.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(load, 300); });
  document.getElementById("f-clear").addEventListener("click", () => { for (const f of filters) f.value = ""; load(); });
  // ---- the weekly digest (admins) --------------------------------------------------------
  async function loadDigest() {
    const d = await api("/api/reports/digest");
    document.getElementById("digest-text").textContent = d.digest.text;
    document.getElementById("digest").classList.remove("hidden");
  }

  document.getElementById("digest-send").addEventListener("click", async () => {
    const status = document.getElementById("digest-status");
    if (!confirm("Send the digest to every generic webhook now?")) return;
    try {
      const sent = await FL.post("/api/reports/digest");
      status.textContent = sent.targets.length ? "queued for " + sent.targets.join(", ") : "no webhook is configured";
    } catch (e) {
      status.textContent = e.message;
    }
  });

  FL.start("reports").then(me => {
    load();
    loadService();
    if (me.role === "admin") loadDigest().catch(e => { document.getElementById("status").textContent = e.message; });
  });
})();
