// Admin page: users (add, role, reset password, disable), enrollment tokens, API tokens, rules, maintenance windows, audit log.
"use strict";

(() => {
  const { el, clear, api, post } = FL;

  function showSecret(text) {
    const p = document.getElementById("secret");
    p.textContent = text;
    p.classList.remove("hidden");
  }

  /**
   * Asks before an action that locks someone out or changes what they may do;
   * runs {@code action} only when confirmed. The browser's own dialog: no inline script.
   */
  function confirmed(question, action) {
    return () => { if (window.confirm(question)) action(); };
  }

  function fail(e) {
    document.getElementById("user-error").textContent = e.message;
  }

  async function loadUsers() {
    const users = await api("/api/users");
    const t = clear(document.getElementById("users"));
    t.append(el("tr", {}, ...["User", "Role", "State", ""].map(h => el("th", {}, h))));
    for (const u of users) {
      const role = el("select", { "aria-label": "role of " + u.username },
        ...["admin", "engineer", "viewer"].map(r => el("option", { value: r, selected: r === u.role }, r)));
      role.addEventListener("change", () => {
        if (!window.confirm("Make " + u.username + " " + (role.value === "admin" ? "an " : "a ") + role.value + " (now " + u.role + ")?")) {
          role.value = u.role;
          return;
        }
        post("/api/users/" + encodeURIComponent(u.username) + "/role", { role: role.value }).then(refresh, fail);
      });
      const reset = el("button", { "data-reset": u.username, onclick: confirmed("Reset the password of " + u.username
        + "? Their current password stops working, their API tokens are revoked, and they get a new one-time password.",
        () => post("/api/users/" + encodeURIComponent(u.username) + "/password-reset")
          .then(r => { showSecret("New one-time password for " + r.username + ": " + r.password); refresh(); }, fail)) }, "Reset password");
      const path = "/api/users/" + encodeURIComponent(u.username) + (u.disabled ? "/enable" : "/disable");
      const toggle = el("button", { "data-toggle": u.username, onclick: u.disabled ? () => post(path).then(refresh, fail)
        : confirmed("Disable " + u.username + "? They are signed out and cannot sign in until enabled again.",
          () => post(path).then(refresh, fail)) }, u.disabled ? "Enable" : "Disable");
      t.append(el("tr", {}, el("td", {}, u.username), el("td", {}, role), el("td", {}, u.disabled ? "disabled" : "active"),
        el("td", {}, reset, " ", toggle)));
    }
  }

  async function loadAudit() {
    const events = await api("/api/audit?limit=100");
    const t = clear(document.getElementById("audit"));
    t.append(el("tr", {}, ...["When", "Who", "What", "Outcome", "From"].map(h => el("th", {}, h))));
    for (const e of events) {
      const d = (e.detail && typeof e.detail === "object") ? e.detail : {};
      const rest = Object.entries(d).filter(([k]) => k !== "outcome" && k !== "remote").map(([k, v]) => k + "=" + v).join(" ");
      t.append(el("tr", {}, el("td", {}, FL.time(e.at)), el("td", {}, e.actor),
        el("td", {}, e.action + (e.subject ? " " + e.subject : "") + (rest ? " (" + rest + ")" : "")),
        el("td", {}, d.outcome || ""), el("td", {}, d.remote || "")));
    }
  }

  async function loadRules() {
    const r = await api("/api/rules");
    const status = document.getElementById("rules-status");
    status.textContent = (r.valid ? "The rules file is valid" : "The rules file has an error; the last good rules stay active")
      + " (" + r.file + ", version " + r.activeVersion + ", checked " + FL.time(r.checkedAt) + ").";
    status.className = r.valid ? "muted" : "error";
    const box = document.getElementById("rules-error");
    box.classList.toggle("hidden", r.valid || !r.error);
    if (!r.valid && r.error) {
      const kv = clear(document.getElementById("rules-error-kv"));
      for (const k of ["message", "file", "line", "rule", "field", "problem"]) {
        if (r.error[k] !== undefined && r.error[k] !== null && r.error[k] !== "") kv.append(el("dt", {}, k), el("dd", {}, String(r.error[k])));
      }
    }
    const t = clear(document.getElementById("rules"));
    t.append(el("tr", {}, ...["Rule", "Runs on", "Metric", "Condition", "For", "Recover", "Severity", "Title"].map(h => el("th", {}, h))));
    for (const x of r.rules || []) {
      t.append(el("tr", {}, el("td", {}, x.id), el("td", {}, x.runsOn), el("td", {}, x.metric + (x.resource ? " " + x.resource : "")),
        el("td", {}, x.condition), el("td", {}, x.for), el("td", {}, x.recoverThreshold + " for " + x.recoverFor),
        el("td", {}, el("span", { class: "badge sev-" + x.severity }, x.severity)), el("td", {}, x.title || "")));
    }
  }

  async function loadConfigFiles() {
    const files = await api("/api/config-files");
    const t = clear(document.getElementById("config-files"));
    t.append(el("tr", {}, ...["File", "State", "Checked", "Error"].map(h => el("th", {}, h))));
    for (const f of files) {
      const state = !f.valid ? "rejected: the last good settings stay active" : f.present ? "in force" : "absent: built-in defaults";
      t.append(el("tr", {}, el("td", {}, f.file), el("td", { class: f.valid ? "" : "error" }, state),
        el("td", {}, FL.time(f.checkedAt)), el("td", { class: "error" }, f.error ? f.error.message : "")));
    }
  }

  async function loadWindows() {
    const list = await api("/api/maintenance-windows");
    const t = clear(document.getElementById("windows"));
    t.append(el("tr", {}, ...["Scope", "From", "Until", "Reason", "By", ""].map(h => el("th", {}, h))));
    for (const w of list) {
      t.append(el("tr", {}, el("td", {}, w.scope + " " + w.value), el("td", {}, FL.time(w.startsAt)), el("td", {}, FL.time(w.endsAt)),
        el("td", {}, w.reason || ""), el("td", {}, w.createdBy || ""),
        el("td", {}, el("button", { onclick: () => post("/api/maintenance-windows/" + w.id + "/end").then(refresh, windowFail) }, "End now"))));
    }
    if (list.length === 0) t.append(el("tr", {}, el("td", { colspan: 6, class: "muted" }, "No maintenance windows.")));
  }

  function windowFail(e) {
    document.getElementById("mw-error").textContent = e.message;
  }

  function tokenFail(e) {
    document.getElementById("tok-error").textContent = e.message;
  }

  async function loadTokens() {
    const list = await api("/api/tokens");
    const t = clear(document.getElementById("tokens"));
    t.append(el("tr", {}, ...["Id", "Site", "State", "Uses", "Expires", "Created by", ""].map(h => el("th", {}, h))));
    for (const k of list) {
      const revoke = k.state === "active" ? el("button", { "data-token": k.id, onclick: confirmed("Revoke enrollment token " + k.id
        + " for site " + k.site + "? Agents not yet enrolled with it can no longer enroll.",
        () => api("/api/tokens/" + encodeURIComponent(k.id), { method: "DELETE" }).then(refresh, tokenFail)) }, "Revoke") : null;
      t.append(el("tr", {}, el("td", {}, k.id), el("td", {}, k.site), el("td", {}, k.state), el("td", {}, k.uses + " / " + k.maxUses),
        el("td", {}, FL.time(k.expiresAt)), el("td", {}, k.createdBy || ""), el("td", {}, revoke)));
    }
    if (list.length === 0) t.append(el("tr", {}, el("td", { colspan: 7, class: "muted" }, "No enrollment tokens.")));
  }

  /**
   * The one-line install command for a new token. It carries a single-use
   * install code (valid for 30 minutes), not the token: install/agent/install.sh
   * trades the code for the token once, over POST /install/token, and keeps
   * the token in a 0600 file, out of every command line and shell history.
   * The CA fingerprint comes from this page, so the agent pins the real console.
   */
  function installCommand(r) {
    const host = r.agentHost || location.hostname;
    const addr = (host.indexOf(":") >= 0 && host[0] !== "[" ? "[" + host + "]" : host) + ":" + r.agentPort;
    const origin = location.origin;
    return "curl -fsSL " + origin + "/install/agent.sh | sudo sh -s -- --url " + origin + " --console " + addr
      + " --ca-fingerprint " + r.caFingerprint + " --code " + r.installCode;
  }

  function showToken(r) {
    document.getElementById("tok-secret").textContent = "Token " + r.id + " for site " + r.site + ": " + r.token;
    document.getElementById("tok-command").textContent = installCommand(r);
    document.getElementById("tok-copied").textContent = "";
    document.getElementById("tok-created").classList.remove("hidden");
  }

  document.getElementById("tok-copy").addEventListener("click", () => {
    const text = document.getElementById("tok-command").textContent;
    const note = document.getElementById("tok-copied");
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(() => { note.textContent = "Copied."; },
        () => { note.textContent = "The browser refused; select the text and copy it."; });
    } else {
      const range = document.createRange();
      range.selectNodeContents(document.getElementById("tok-command"));
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      note.textContent = document.execCommand && document.execCommand("copy") ? "Copied." : "Selected: press Ctrl+C to copy.";
    }
  });

  document.getElementById("new-token").addEventListener("submit", e => {
    e.preventDefault();
    document.getElementById("tok-error").textContent = "";
    post("/api/tokens", { site: document.getElementById("tok-site").value, ttl: document.getElementById("tok-ttl").value,
      maxUses: Number(document.getElementById("tok-uses").value) })
      .then(r => { showToken(r); refresh(); }, tokenFail);
  });

  async function loadApiTokens() {
    const tokens = await api("/api/api-tokens");
    FL.apiTokenTable(document.getElementById("api-tokens"), tokens, { revokePrefix: "/api/api-tokens/", showOwner: true,
      onDone: refresh, onFail: e => { document.getElementById("api-token-error").textContent = e.message; } });
  }

  function refresh() {
    document.getElementById("user-error").textContent = "";
    document.getElementById("mw-error").textContent = "";
    return Promise.all([loadUsers(), loadAudit(), loadRules(), loadConfigFiles(), loadWindows(), loadTokens().catch(tokenFail), loadApiTokens()]).catch(fail);
  }

  document.getElementById("new-window").addEventListener("submit", e => {
    e.preventDefault();
    post("/api/maintenance-windows", { scope: document.getElementById("mw-scope").value, value: document.getElementById("mw-value").value,
      duration: document.getElementById("mw-duration").value, reason: document.getElementById("mw-reason").value })
      .then(refresh, windowFail);
  });

  document.getElementById("new-user").addEventListener("submit", e => {
    e.preventDefault();
    post("/api/users", { username: document.getElementById("new-name").value, role: document.getElementById("new-role").value })
      .then(r => { showSecret("User " + r.username + " created. One-time password: " + r.password); refresh(); }, fail);
  });

  FL.start("admin").then(refresh);
})();
