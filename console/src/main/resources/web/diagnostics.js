// Safe diagnostics on the host page (a panel with the actions this agent
// allows, each with a small form, and its recent results) and on the ticket
// page (a result under each diagnostic event of the timeline). Output is
// agent-supplied: it is only ever set as text.
"use strict";

const FLDiag = (() => {
  const { el, clear, api } = FL;

  /** One result: state and message, the text output (or a download link for pcap and zip). */
  function resultBlock(d) {
    const box = el("div", { class: "diag-result", "data-diagnostic": d.id, "data-state": d.state });
    const r = d.result;
    box.append(el("div", {},
      el("b", {}, d.action), " ", el("span", { class: "badge diag-" + d.state }, d.state.replace("_", " ")),
      " ", el("span", { class: "muted" }, Object.entries(d.params || {}).filter(([, v]) => v !== "").map(([k, v]) => k + "=" + v).join(" ")),
      " ", el("span", { class: "muted" }, d.requestedBy ? "by " + d.requestedBy : "")));
    if (r) {
      box.append(el("div", { class: "diag-message" }, r.message || ""));
      if (r.output !== undefined && r.output !== null) {
        box.append(el("pre", { class: "command diag-output" }, r.output));
      }
      if (r.download) {
        box.append(el("a", { href: r.download, class: "diag-download", download: "" },
          r.contentType.startsWith("application/vnd.tcpdump.pcap") ? "Download pcap" : r.contentType.startsWith("application/zip")
            ? "Download bundle (zip)" : "Download output"),
          " ", el("span", { class: "muted" }, FL.bytes(r.bytes) + (r.truncated ? " (truncated at the cap)" : "")));
      }
    }
    return box;
  }

  /** The form for one action: an input per parameter, a select for logs and interfaces the agent lists. */
  function form(action, allowed, onRun) {
    const inputs = {};
    const fields = el("span", { class: "diag-fields" });
    for (const p of action.params) {
      let input;
      if (p.kind === "log" && allowed.logs.length) {
        input = el("select", { name: p.name }, ...allowed.logs.map(l => el("option", { value: l }, l)));
      } else if (p.kind === "interface" && allowed.captureInterfaces.length) {
        input = el("select", { name: p.name }, ...allowed.captureInterfaces.map(i => el("option", { value: i }, i)));
      } else {
        input = el("input", { name: p.name, size: p.kind === "url" || p.kind === "path" || p.kind === "grep" ? 28 : 10,
          placeholder: p.name + (p.required ? "" : " (" + (p.default || "optional") + ")"),
          value: p.kind === "path" && allowed.diskRoots.length ? allowed.diskRoots[0] : null });
      }
      inputs[p.name] = input;
      fields.append(el("label", {}, p.name, " ", input), " ");
    }
    const run = el("button", { type: "submit", class: "diag-run" }, "Run");
    const f = el("form", { class: "diag-form", "data-action": action.name }, fields, run);
    f.addEventListener("submit", ev => {
      ev.preventDefault();
      const params = {};
      for (const [k, i] of Object.entries(inputs)) if (i.value.trim() !== "") params[k] = i.value.trim();
      onRun(action.name, params);
    });
    return f;
  }

  /** The host page's panel; refreshes itself every few seconds. */
  function hostPanel(node, agentId) {
    const path = "/api/agents/" + encodeURIComponent(agentId) + "/diagnostics";
    const status = el("p", { class: "muted", id: "diag-status" });
    const picker = el("select", { id: "diag-action" });
    const formBox = el("div", { id: "diag-form" });
    const results = el("div", { id: "diag-results" });
    let allowed = null;
    let shownActions = "";

    async function run(action, params) {
      status.textContent = "Sending " + action + "…";
      status.classList.remove("error");
      try {
        const r = await FL.post(path, { action, params });
        status.textContent = action + " accepted (#" + r.id + ")";
        refresh();
      } catch (e) {
        status.textContent = e.message;
        status.classList.add("error");
      }
    }

    function showForm() {
      const a = allowed && allowed.actions.find(x => x.name === picker.value);
      clear(formBox);
      if (a) formBox.append(form(a, allowed, run));
    }
    picker.addEventListener("change", showForm);

    async function refresh() {
      let d;
      try { d = await api(path); } catch (e) { status.textContent = e.message; return; }
      allowed = d.allowed;
      const names = d.online && allowed.enabled ? allowed.actions.filter(a => a.available).map(a => a.name) : [];
      if (names.join(",") !== shownActions) {
        shownActions = names.join(",");
        clear(picker).append(...names.map(n => el("option", { value: n }, n)));
        showForm();
      }
      const viewer = document.body.dataset.role === "viewer";
      picker.disabled = viewer || names.length === 0;
      formBox.classList.toggle("hidden", viewer || names.length === 0);
      if (!d.online) status.textContent = "The agent is offline: diagnostics run only on a connected agent.";
      else if (!allowed.enabled) status.textContent = "Diagnostics are off in this agent's config.";
      else if (viewer) status.textContent = "Viewers can see results but not run diagnostics.";
      clear(results).append(...d.recent.map(resultBlock));
      for (const box of results.querySelectorAll(".diag-result")) {
        const id = box.dataset.diagnostic;
        const s = box.dataset.state;
        if (s !== "pending" && s !== "running") {
          // The recent list has no output; fetch each finished one's.
          api("/api/diagnostics/" + id).then(full => box.replaceWith(resultBlock(full))).catch(() => {});
        }
      }
    }

    clear(node).append(el("div", { class: "toolbar" }, el("label", {}, "Action ", picker)), formBox, status, results);
    refresh();
    setInterval(refresh, 3000);
  }

  /** Under a timeline's diagnostic event: its result, fetched once it is final. */
  function timelineResult(diagnosticId) {
    const box = el("div", { class: "diag-timeline", "data-diagnostic": diagnosticId });
    api("/api/diagnostics/" + diagnosticId).then(d => box.append(resultBlock(d))).catch(e => box.append(el("span", { class: "error" }, e.message)));
    return box;
  }

  return { hostPanel, timelineResult, resultBlock };
})();
