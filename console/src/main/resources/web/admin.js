// Admin page: users (add, role, reset password, disable), API tokens, audit log.
"use strict";

(() => {
  const { el, clear, api, post } = FL;

  function showSecret(text) {
    const p = document.getElementById("secret");
    p.textContent = text;
    p.classList.remove("hidden");
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
      role.addEventListener("change", () => post("/api/users/" + encodeURIComponent(u.username) + "/role", { role: role.value })
        .then(refresh, fail));
      const reset = el("button", { onclick: () => post("/api/users/" + encodeURIComponent(u.username) + "/password-reset")
        .then(r => { showSecret("New one-time password for " + r.username + ": " + r.password); refresh(); }, fail) }, "Reset password");
      const toggle = el("button", { onclick: () => post("/api/users/" + encodeURIComponent(u.username) + (u.disabled ? "/enable" : "/disable"))
        .then(refresh, fail) }, u.disabled ? "Enable" : "Disable");
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

  function refresh() {
    document.getElementById("user-error").textContent = "";
    return Promise.all([loadUsers(), loadAudit()]).catch(fail);
  }

  document.getElementById("new-user").addEventListener("submit", e => {
    e.preventDefault();
    post("/api/users", { username: document.getElementById("new-name").value, role: document.getElementById("new-role").value })
      .then(r => { showSecret("User " + r.username + " created. One-time password: " + r.password); refresh(); }, fail);
  });
  document.getElementById("new-token").addEventListener("submit", e => {
    e.preventDefault();
    post("/api/me/api-tokens", { name: document.getElementById("token-name").value })
      .then(r => { showSecret("API token (shown once): " + r.token); refresh(); }, fail);
  });

  FL.start("admin").then(refresh);
})();
