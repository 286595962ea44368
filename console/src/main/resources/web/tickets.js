// Ticket desk: the queue with filters and SLA timers, and the selected
// ticket with its actions and timeline. Refreshes every second.
"use strict";

(() => {
  const { el, clear, api, post, duration } = FL;
  const SEV_RANK = { critical: 3, warning: 2, info: 1 };
  const SOURCE_NAMES = { fault: "fault", user: "user report", alert: "alert", engineer: "opened by hand" };
  let tickets = [];
  const params = new URLSearchParams(location.search);
  let selected = Number(params.get("id")) || null;
  // ?agent=ID (the fleet page's ticket count links here): only that host's tickets, until cleared.
  let agentFilter = params.get("agent") || "";
  let me = null;
  let shownKey = null;
  const f = {
    q: document.getElementById("q"), state: document.getElementById("f-state"),
    severity: document.getElementById("f-severity"), site: document.getElementById("f-site"),
    assignee: document.getElementById("f-assignee"), source: document.getElementById("f-source"),
  };

  const lower = v => (v === null || v === undefined) ? "" : String(v).toLowerCase();
  const ms = v => v ? new Date(v).getTime() : null;

  /** The SLA clock that matters now: time to ack while open, to resolve while acknowledged. */
  function sla(t) {
    const state = lower(t.state);
    if (state === "open" && t.ackDueAt) return { label: "ack", due: ms(t.ackDueAt) };
    if ((state === "open" || state === "acknowledged") && t.resolveDueAt) return { label: "resolve", due: ms(t.resolveDueAt) };
    return null;
  }

  function slaCell(t, now) {
    const s = sla(t);
    if (!s) return el("span", { class: "muted" }, "–");
    const left = s.due - now;
    return el("span", { class: left < 0 ? "sla-late sla" : "sla", "data-due": s.due }, s.label + " " + (left < 0 ? "late " + duration(-left) : "in " + duration(left)));
  }

  function visible() {
    const q = f.q.value.trim().toLowerCase();
    const state = f.state.value, sev = f.severity.value, site = f.site.value, who = f.assignee.value, source = f.source.value;
    return tickets.filter(t => {
      const s = lower(t.state);
      if (state === "live" && !(s === "open" || s === "acknowledged")) return false;
      if (state !== "live" && state !== "all" && s !== state) return false;
      if (sev && lower(t.severity) !== sev) return false;
      if (site && t.site !== site) return false;
      if (agentFilter && t.agentId !== agentFilter) return false;
      if (source && (t.source || "fault") !== source) return false;
      if (who === "@me" && t.assignee !== me.username) return false;
      if (who === "@none" && t.assignee) return false;
      if (q && !((t.title || "") + " " + (t.hostname || "") + " " + (t.ruleId || "") + " " + (t.resource || "")).toLowerCase().includes(q)) return false;
      return true;
    }).sort((a, b) => (SEV_RANK[lower(b.severity)] || 0) - (SEV_RANK[lower(a.severity)] || 0) || ms(a.openedAt) - ms(b.openedAt));
  }

  /** "offline" next to a host that is not reporting, so nobody waits for a fault to clear on a dead machine. */
  function hostBadge(t) {
    return t.hostStatus === "offline" ? el("span", { class: "badge host-offline", title: "the host is not reporting" }, "offline") : null;
  }

  /** The "host: NAME ×" chip of the ?agent= filter. */
  function renderAgentFilter() {
    const chip = document.getElementById("f-agent");
    chip.classList.toggle("hidden", !agentFilter);
    if (!agentFilter) return;
    const t = tickets.find(x => x.agentId === agentFilter);
    document.getElementById("f-agent-name").textContent = "host: " + (t ? t.hostname || agentFilter : agentFilter);
  }

  function clearAgentFilter() {
    agentFilter = "";
    history.replaceState(null, "", selected ? "?id=" + selected : location.pathname);
    renderQueue();
  }

  function renderQueue() {
    renderAgentFilter();
    const now = Date.now();
    const rows = visible();
    document.getElementById("n-shown").textContent = rows.length;
    const sites = new Set(tickets.map(t => t.site).filter(Boolean));
    const have = new Set([...f.site.options].map(o => o.value));
    for (const s of [...sites].sort()) if (!have.has(s)) f.site.appendChild(el("option", { value: s }, s));
    const table = clear(document.getElementById("queue"));
    table.append(el("tr", {}, ...["#", "Severity", "Source", "Title", "Host", "State", "Assignee", "SLA"].map(h => el("th", {}, h))));
    for (const t of rows) {
      const tr = el("tr", { class: t.id === selected ? "selected ticket" : "ticket", "data-id": t.id, "data-state": lower(t.state) },
        el("td", {}, el("a", { href: "?id=" + t.id, onclick: e => { e.preventDefault(); select(t.id); } }, "#" + t.id)),
        el("td", {}, el("span", { class: "badge sev-" + lower(t.severity) }, lower(t.severity))),
        el("td", { class: "source" }, t.source || "fault"),
        el("td", { class: "title" }, t.title || t.ruleId || ""),
        el("td", {}, t.agentId ? el("a", { href: "/hosts/" + encodeURIComponent(t.agentId) }, t.hostname || t.agentId)
          : el("span", { class: "muted" }, t.hostname || "–"), hostBadge(t)),
        el("td", { class: "state" }, lower(t.state)),
        el("td", {}, t.assignee || "–"),
        el("td", {}, slaCell(t, now)));
      table.append(tr);
    }
    if (rows.length === 0) table.append(el("tr", {}, el("td", { colspan: 8, class: "muted" }, "No tickets match.")));
  }

  function actionButton(label, id, enabled, run) {
    return el("button", { id: "act-" + id, disabled: !enabled || me.role === "viewer",
      title: me.role === "viewer" ? "viewers cannot change tickets" : null, onclick: run }, label);
  }

  async function act(path, body) {
    const status = document.getElementById("action-status");
    try {
      await post("/api/tickets/" + selected + "/" + path, body);
      status.textContent = "";
      await refresh();
    } catch (e) {
      status.textContent = e.message;
    }
  }

  /** The report behind a user's ticket: their words, the probably related tickets, the snapshot as tables. */
  function reportSection(r) {
    if (!r) return null;
    const related = el("ul", { id: "related" });
    for (const x of (r.probablyRelated || [])) {
      related.append(el("li", {}, el("a", { href: "?id=" + x.id, onclick: e => { e.preventDefault(); select(x.id); } }, "#" + x.id),
        " ", x.title || "", " ", el("span", { class: "muted" }, "(" + lower(x.state) + ")")));
    }
    const tables = el("div", { id: "snapshot" });
    for (const tb of (r.tables || [])) {
      const table = el("table", { class: "t snapshot", "data-name": tb.name });
      table.append(el("tr", {}, ...(tb.columns || []).map(c => el("th", {}, c))));
      for (const row of (tb.rows || [])) table.append(el("tr", {}, ...row.map(c => el("td", {}, c))));
      tables.append(el("h3", {}, tb.name), table);
    }
    const events = el("ul", { class: "timeline", id: "report-events" });
    for (const e of (r.events || [])) events.append(el("li", {}, el("span", { class: "when" }, FL.time(e.at)), el("b", {}, e.kind), " ", e.text));
    return el("section", { id: "report" },
      el("h2", {}, "Reported by ", el("span", { id: "reporter" }, r.reporter)),
      el("p", { class: "muted" }, "Made " + FL.time(r.createdAt) + (r.receivedAt && ms(r.receivedAt) - ms(r.createdAt) > 60000
        ? ", reached the console " + FL.time(r.receivedAt) + " (the agent could not reach it before)" : "")),
      el("pre", { id: "report-text", class: "report-text" }, r.text),
      el("h3", {}, "Probably related"), (r.probablyRelated || []).length ? related : el("p", { class: "muted" }, "No open fault tickets on this machine."),
      (r.events || []).length ? el("h3", {}, "Fault events in the hour before") : null, (r.events || []).length ? events : null,
      el("h3", {}, "The machine when it was reported"), tables);
  }

  async function renderDetail() {
    const node = document.getElementById("detail");
    if (!selected) return;
    let t;
    try { t = await api("/api/tickets/" + selected); } catch (e) { clear(node).append(el("p", { class: "error" }, e.message)); return; }
    // Only redraw when the ticket changed, so buttons and typed text stay put.
    const key = t.id + "/" + t.updatedAt + "/" + (t.timeline || []).length + "/" + t.hostStatus;
    if (key === shownKey) return;
    shownKey = key;
    const state = lower(t.state);
    const live = state === "open" || state === "acknowledged";
    const text = el("input", { id: "action-text", placeholder: "comment, note or reason", size: 40 });
    const replyText = el("textarea", { id: "reply-text", rows: 3, cols: 48, placeholder: "reply to the user, or an internal note" });
    const replyPublic = el("input", { id: "reply-public", type: "checkbox", checked: t.source === "user" });
    const assignee = el("input", { id: "assignee", placeholder: "assignee", size: 14, value: t.assignee || me.username });
    const timeline = el("ul", { class: "timeline", id: "timeline" });
    for (const e of (t.timeline || [])) {
      let detail = "";
      try {
        const d = typeof e.detail === "string" ? JSON.parse(e.detail || "{}") : (e.detail || {});
        detail = Object.entries(d).filter(([, v]) => v !== null && v !== "").map(([k, v]) => k + ": " + (typeof v === "object" ? JSON.stringify(v)
          : /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(String(v)) ? FL.time(v) : v)).join(", ");
      } catch (ignored) { detail = String(e.detail); }
      const kind = e.kind === "replied" ? ((e.detail || {}).public ? "public reply" : "internal note") : e.kind;
      const d = (e.kind === "diagnostic" && e.detail && typeof e.detail === "object") ? e.detail : null;
      // A finished diagnostic shows its result (output, or the pcap or bundle to download) under its event.
      const result = d && d.diagnosticId && !["pending", "running"].includes(d.state) ? FLDiag.timelineResult(d.diagnosticId) : null;
      timeline.append(el("li", {}, el("span", { class: "when" }, FL.time(e.at)), el("b", {}, kind), " ", e.actor ? "by " + e.actor : "",
        detail ? el("div", { class: "muted" }, detail) : null, result));
    }
    clear(node).append(
      el("h2", {}, el("span", { class: "badge sev-" + lower(t.severity) }, lower(t.severity)), " #" + t.id + " ", t.title || t.ruleId || ""),
      el("dl", { class: "kv" },
        el("dt", {}, "State"), el("dd", { id: "detail-state" }, state),
        el("dt", {}, "Source"), el("dd", { id: "detail-source" }, SOURCE_NAMES[t.source] || "fault"),
        el("dt", {}, "Host"), el("dd", { id: "detail-host" }, t.agentId
          ? el("a", { href: "/hosts/" + encodeURIComponent(t.agentId) }, t.hostname || t.agentId) : (t.hostname || "–"),
          " ", t.hostStatus === "offline" ? hostBadge(t) : el("span", { class: "muted" }, t.agentId ? t.hostStatus || "" : "")),
        el("dt", {}, "Site"), el("dd", {}, t.site || "–"),
        el("dt", {}, "Rule"), el("dd", {}, (t.ruleId || "") + (t.resource ? " on " + t.resource : "")),
        el("dt", {}, "Assignee"), el("dd", {}, t.assignee || "–"),
        el("dt", {}, "Escalation"), el("dd", {}, String(t.escalationLevel || 0)),
        el("dt", {}, "Recurrences"), el("dd", {}, String(t.recurrences || 0)),
        el("dt", {}, "Fault"), el("dd", {}, t.faultActive ? "active" : "cleared"),
        el("dt", {}, "Opened"), el("dd", {}, FL.time(t.openedAt)),
        el("dt", {}, "SLA"), el("dd", {}, slaCell(t, Date.now())),
        el("dt", {}, "Knowledge base"), el("dd", { id: "detail-kb" }, (t.kbArticles || []).length ? t.kbArticles.join(", ") : "–")),
      t.description ? el("p", {}, t.description) : null,
      t.userText ? el("div", { class: "user-text", id: "detail-user-text" }, el("div", { class: "muted" }, "The endpoint's user is told:"),
        el("p", {}, t.userText)) : null,
      el("div", { class: "actions" },
        actionButton("Acknowledge", "ack", state === "open", () => act("ack", {})),
        actionButton("Resolve", "resolve", live, () => act("resolve", { note: text.value })),
        actionButton("Escalate", "escalate", live, () => act("escalate", { reason: text.value })),
        actionButton("Reopen", "reopen", !live, () => act("reopen", { reason: text.value })),
        actionButton("Comment", "comment", true, () => text.value.trim() && act("comment", { text: text.value }))),
      el("div", { class: "actions" }, text),
      el("div", { class: "actions" }, assignee, actionButton("Assign", "assign", live, () => act("assign", { assignee: assignee.value }))),
      el("div", { class: "actions reply" }, replyText, el("label", {}, replyPublic, " public (the user sees it with firstline-agent status)"),
        actionButton("Reply", "reply", true, () => replyText.value.trim() && act("reply", { text: replyText.value, public: replyPublic.checked }))),
      el("p", { id: "action-status", class: "error" }),
      reportSection(t.report),
      ...articles(t, live, text),
      el("h2", {}, "Timeline"), timeline);
  }

  /** Suggested knowledge-base articles, ranked with the reason; resolve with one; turn a resolved ticket into one. */
  function articles(t, live, text) {
    const tell = el("input", { type: "checkbox", id: "tell-user", checked: true });
    const list = el("div", { id: "suggestions" });
    for (const s of (t.suggestedArticles || [])) {
      list.append(el("div", { class: "suggestion", "data-id": s.id },
        el("div", { class: "what" }, el("a", { href: "/kb/" + encodeURIComponent(s.id), target: "_blank" }, s.title),
          el("div", { class: "reason" }, s.reason + " · score " + s.score)),
        actionButton("Resolve with this", "resolve-with-" + s.id, live,
          () => act("resolve", { articleId: s.id, comment: text.value, sendUserText: tell.checked }))));
    }
    if (!list.firstChild) list.append(el("p", { class: "muted" }, "No article matches this ticket yet."));
    const resolved = !live && me.role !== "viewer";
    return [el("h2", {}, "Suggested articles"), list,
      el("label", { class: "muted" }, tell, " resolving with an article also tells the user its plain-language text"),
      resolved ? el("div", { class: "actions" }, el("button", { id: "act-to-article", onclick: async () => {
        try {
          const a = await post("/api/kb", { fromTicket: t.id });
          location.href = "/kb/" + encodeURIComponent(a.id) + "/edit";
        } catch (e) { document.getElementById("action-status").textContent = e.message; }
      } }, "Turn into article")) : null];
  }

  function select(id) {
    selected = id;
    history.replaceState(null, "", "?id=" + id + (agentFilter ? "&agent=" + encodeURIComponent(agentFilter) : ""));
    renderQueue();
    renderDetail();
  }

  async function refresh() {
    try {
      tickets = await api("/api/tickets?state=all");
      document.getElementById("status").textContent = "";
      renderQueue();
      if (selected && !document.activeElement.matches("#action-text, #assignee, #reply-text")) await renderDetail();
    } catch (e) {
      document.getElementById("status").textContent = e.message;
    }
  }

  /**
   * The "New ticket" form: a ticket an engineer opens by hand (a phone call,
   * a problem seen elsewhere), optionally about one machine. Posted as JSON
   * to POST /api/tickets; the new ticket is selected when it is stored.
   */
  const form = {
    node: document.getElementById("new-ticket-form"), title: document.getElementById("nt-title"),
    description: document.getElementById("nt-description"), severity: document.getElementById("nt-severity"),
    agent: document.getElementById("nt-agent"), status: document.getElementById("nt-status"),
    submit: document.getElementById("nt-submit"),
  };

  async function openForm() {
    form.node.classList.remove("hidden");
    form.status.textContent = "";
    form.title.focus();
    try {
      const agents = await api("/api/agents");
      const chosen = form.agent.value || agentFilter;
      clear(form.agent).append(el("option", { value: "" }, "None (not about one machine)"));
      for (const a of agents) {
        form.agent.append(el("option", { value: a.id }, (a.hostname || a.id) + (a.site ? " · " + a.site : "") + " (" + a.id + ")"));
      }
      form.agent.value = chosen && agents.some(a => a.id === chosen) ? chosen : "";
    } catch (e) {
      form.status.textContent = "cannot list machines: " + e.message;
    }
  }

  function closeForm() {
    form.node.classList.add("hidden");
    form.node.reset();
  }

  async function submitForm(e) {
    e.preventDefault();
    const body = { title: form.title.value.trim(), description: form.description.value.trim(), severity: form.severity.value };
    if (form.agent.value) body.agentId = form.agent.value;
    if (!body.title) { form.status.textContent = "a title is required"; form.title.focus(); return; }
    form.submit.disabled = true;
    try {
      const t = await post("/api/tickets", body);
      closeForm();
      await refresh();
      select(t.id);
    } catch (err) {
      form.status.textContent = err.message;
    } finally {
      form.submit.disabled = false;
    }
  }

  document.getElementById("new-ticket").addEventListener("click", () => form.node.classList.contains("hidden") ? openForm() : closeForm());
  document.getElementById("nt-cancel").addEventListener("click", closeForm);
  form.node.addEventListener("submit", submitForm);

  // "change" too: a select changed by a script or a test driver may fire only that.
  for (const x of Object.values(f)) for (const kind of ["input", "change"]) x.addEventListener(kind, renderQueue);
  document.getElementById("f-agent-clear").addEventListener("click", clearAgentFilter);
  FL.start("tickets").then(m => {
    me = m;
    // Viewers change nothing: no form for them (the server refuses them too).
    document.getElementById("new-ticket").classList.toggle("hidden", me.role === "viewer");
    refresh();
    setInterval(refresh, 1000);
  });
})();
