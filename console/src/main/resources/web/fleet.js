// Fleet page: every agent in a virtual table (only the visible rows exist in
// the DOM), kept live by server-sent events: a "reset" with every row, then
// "delta" events with the rows that changed.
"use strict";

(() => {
  const { el, pct, ago } = FL;
  const ROW = 30;
  const rows = new Map();       // id -> row from the server
  let view = [];                // filtered and sorted rows
  let sortKey = "health", sortDesc = true;
  const HEALTH_RANK = { critical: 3, warning: 2, offline: 1, ok: 0 };
  const table = document.getElementById("table");
  const spacer = document.getElementById("spacer");
  const pool = [];              // row elements reused while scrolling
  let dirty = true, renderQueued = false, lastChangeApplied = 0;

  const filters = {
    q: document.getElementById("search"),
    health: document.getElementById("f-health"),
    site: document.getElementById("f-site"),
    os: document.getElementById("f-os"),
  };

  function matches(r, q, health, site, os) {
    if (health && r.health !== health) return false;
    if (site && r.site !== site) return false;
    if (os && r.os !== os) return false;
    if (q) {
      const hay = (r.host + " " + r.id + " " + r.os + " " + r.site).toLowerCase();
      if (!hay.includes(q)) return false;
    }
    return true;
  }

  function compare(a, b) {
    let x, y;
    if (sortKey === "health") { x = HEALTH_RANK[a.health]; y = HEALTH_RANK[b.health]; }
    else { x = a[sortKey]; y = b[sortKey]; }
    if (x === null || x === undefined) x = typeof y === "string" ? "" : -1;
    if (y === null || y === undefined) y = typeof x === "string" ? "" : -1;
    // Plain comparisons, not localeCompare: ten times faster on 10,000 rows.
    let c = typeof x === "string" ? (x < y ? -1 : x > y ? 1 : 0) : x - y;
    if (c === 0) c = a.host < b.host ? -1 : a.host > b.host ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    else if (sortDesc) c = -c;
    return c;
  }

  function rebuild() {
    const q = filters.q.value.trim().toLowerCase();
    const health = filters.health.value, site = filters.site.value, os = filters.os.value;
    const counts = { ok: 0, warning: 0, critical: 0, offline: 0 };
    const sites = new Set(), oses = new Set();
    view = [];
    for (const r of rows.values()) {
      counts[r.health] = (counts[r.health] || 0) + 1;
      if (r.site) sites.add(r.site);
      if (r.os) oses.add(r.os);
      if (matches(r, q, health, site, os)) view.push(r);
    }
    view.sort(compare);
    for (const k of Object.keys(counts)) document.getElementById("n-" + k).textContent = counts[k];
    document.getElementById("n-shown").textContent = view.length;
    document.getElementById("n-total").textContent = rows.size;
    fillOptions(filters.site, sites);
    fillOptions(filters.os, oses);
    spacer.style.height = (view.length * ROW) + "px";
    dirty = false;
  }

  function fillOptions(select, values) {
    const have = new Set([...select.options].map(o => o.value));
    for (const v of [...values].sort()) if (!have.has(v)) select.appendChild(el("option", { value: v }, v));
  }

  /** Sets text only when it changed, so an unchanged row costs no DOM work. */
  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function setBar(cell, v, text) {
    const fillEl = cell.bar_.firstChild;
    const width = Math.round(Math.max(0, Math.min(1, v || 0)) * 100) + "%";
    if (fillEl.style.width !== width) fillEl.style.width = width;
    const cls = v >= 0.9 ? "hot" : v >= 0.75 ? "warm" : "";
    if (fillEl.className !== cls) fillEl.className = cls;
    setText(cell.text_, text);
  }

  // Each pooled row keeps its elements; filling it only changes text, classes and attributes.
  function makeRow() {
    const cells = [];
    const row = el("div", { class: "vt-row" });
    for (let i = 0; i < 9; i++) { const c = el("div"); cells.push(c); row.appendChild(c); }
    cells[0].dot_ = el("span", { class: "dot" });
    cells[0].text_ = el("span");
    cells[0].append(cells[0].dot_, cells[0].text_);
    cells[1].link_ = el("a", { class: "host" });
    cells[1].append(cells[1].link_);
    cells[7].link_ = el("a", { class: "tickets" });
    cells[7].append(cells[7].link_);
    for (const i of [4, 5, 6]) {
      cells[i].bar_ = el("span", { class: "bar" }, el("i"));
      cells[i].text_ = el("span");
      cells[i].append(cells[i].bar_, cells[i].text_);
    }
    row.cells_ = cells;
    spacer.appendChild(row);
    return row;
  }

  function fill(row, r, now) {
    const c = row.cells_;
    if (row.dataset.id !== r.id) row.dataset.id = r.id;
    if (row.dataset.health !== r.health) row.dataset.health = r.health;
    const dotClass = "dot h-" + r.health;
    if (c[0].dot_.className !== dotClass) c[0].dot_.className = dotClass;
    setText(c[0].text_, r.health);
    // Why the colour: the title of the ticket at the top of the desk for this host.
    const why = r.top ? r.top + (r.tickets > 1 ? " (+" + (r.tickets - 1) + " more)" : "") : null;
    if (c[0].getAttribute("title") !== why) { if (why) c[0].setAttribute("title", why); else c[0].removeAttribute("title"); }
    const href = "/hosts/" + encodeURIComponent(r.id);
    if (c[1].link_.getAttribute("href") !== href) { c[1].link_.setAttribute("href", href); c[1].link_.setAttribute("title", r.id); }
    setText(c[1].link_, r.host || r.id);
    setText(c[2], r.site || "–");
    setText(c[3], r.os);
    setBar(c[4], r.cpu, pct(r.cpu));
    setBar(c[5], r.mem, pct(r.mem));
    setBar(c[6], r.disk, pct(r.disk) + (r.mount ? " " + r.mount : ""));
    // The ticket count opens the desk filtered for this host.
    const desk = r.tickets ? "/tickets?agent=" + encodeURIComponent(r.id) : null;
    if (c[7].link_.getAttribute("href") !== desk) { if (desk) c[7].link_.setAttribute("href", desk); else c[7].link_.removeAttribute("href"); }
    setText(c[7].link_, r.tickets ? String(r.tickets) : "–");
    setText(c[8], ago(r.seen, now));
  }

  function render() {
    renderQueued = false;
    if (dirty) rebuild();
    const top = Math.max(0, table.scrollTop - 34);
    const first = Math.max(0, Math.floor(top / ROW) - 5);
    const count = Math.ceil(table.clientHeight / ROW) + 10;
    const now = Date.now();
    let i = 0;
    for (; i < count && first + i < view.length; i++) {
      const row = pool[i] || (pool[i] = makeRow());
      row.classList.remove("hidden");
      row.style.top = ((first + i) * ROW) + "px";
      fill(row, view[first + i], now);
    }
    for (; i < pool.length; i++) pool[i].classList.add("hidden");
    if (lastChangeApplied) {
      // For tests and the benchmark: when the rows first showed (ms since navigation start).
      if (!document.body.dataset.firstRender && rows.size > 0) document.body.dataset.firstRender = performance.now().toFixed(0);
      lastChangeApplied = 0;
    }
  }

  function schedule(changed) {
    if (changed) dirty = true;
    if (!renderQueued) { renderQueued = true; requestAnimationFrame(render); }
  }

  function apply(list, reset) {
    if (reset) rows.clear();
    for (const r of list) rows.set(r.id, r);
    lastChangeApplied = Date.now();
    schedule(true);
  }

  function connect() {
    const live = document.getElementById("live");
    const es = new EventSource("/live/fleet");
    es.addEventListener("reset", e => {
      if (!document.body.dataset.resetAt) document.body.dataset.resetAt = performance.now().toFixed(0);
      apply(JSON.parse(e.data).rows, true); live.textContent = "live"; document.body.dataset.live = "1"; });
    es.addEventListener("delta", e => apply(JSON.parse(e.data).rows, false));
    es.onerror = () => { live.textContent = "reconnecting…"; document.body.dataset.live = "0"; };
  }

  document.getElementById("head").addEventListener("click", e => {
    const key = e.target.dataset && e.target.dataset.key;
    if (!key) return;
    if (sortKey === key) sortDesc = !sortDesc; else { sortKey = key; sortDesc = key !== "host" && key !== "site" && key !== "os"; }
    for (const h of document.querySelectorAll(".vt-head div")) {
      h.classList.toggle("sorted", h.dataset.key === sortKey);
      h.classList.toggle("desc", h.dataset.key === sortKey && sortDesc);
    }
    schedule(true);
  });
  for (const f of Object.values(filters)) f.addEventListener("input", () => schedule(true));
  table.addEventListener("scroll", () => schedule(false), { passive: true });
  window.addEventListener("resize", () => schedule(false));
  setInterval(() => schedule(false), 1000);  // "last seen" keeps counting

  // The live connection does not wait for the user's details: one round trip less to the first rows.
  connect();
  FL.start("fleet").catch(e => { document.getElementById("live").textContent = e.message; });
})();
