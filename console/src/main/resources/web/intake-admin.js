// Admin page: intake tokens for Alertmanager (create, list, revoke). Every name is shown as text, never as HTML.
"use strict";

(() => {
  const { el, clear, api, post } = FL;

  function fail(e) {
    document.getElementById("intake-error").textContent = e.message;
  }

  async function load() {
    const list = await api("/api/intake-tokens");
    const t = clear(document.getElementById("intake-tokens"));
    t.append(el("tr", {}, ...["Id", "Name", "State", "Last used", "Created", "Created by", ""].map(h => el("th", {}, h))));
    for (const k of list) {
      const revoke = k.revokedAt ? null : el("button", { "data-intake-token": k.id, onclick: () => {
        if (window.confirm("Revoke intake token " + k.id + " (" + k.name + ")? Alertmanager posting with it gets 401.")) {
          api("/api/intake-tokens/" + encodeURIComponent(k.id), { method: "DELETE" }).then(load, fail);
        }
      } }, "Revoke");
      t.append(el("tr", {}, el("td", {}, k.id), el("td", {}, k.name), el("td", {}, k.revokedAt ? "revoked" : "active"),
        el("td", {}, k.lastUsedAt ? FL.time(k.lastUsedAt) : "never"), el("td", {}, FL.time(k.createdAt)),
        el("td", {}, k.createdBy), el("td", {}, revoke)));
    }
    if (list.length === 0) t.append(el("tr", {}, el("td", { colspan: 7, class: "muted" }, "No intake tokens.")));
  }

  document.getElementById("new-intake-token").addEventListener("submit", e => {
    e.preventDefault();
    document.getElementById("intake-error").textContent = "";
    post("/api/intake-tokens", { name: document.getElementById("intake-name").value }).then(r => {
      document.getElementById("intake-secret").textContent = "Intake token " + r.id + ": " + r.token;
      document.getElementById("intake-config").textContent = [
        "- url: " + location.origin + "/api/intake/alertmanager",
        "  http_config:",
        "    authorization:",
        "      credentials: " + r.token,
      ].join("\n");
      document.getElementById("intake-created").classList.remove("hidden");
      return load();
    }, fail);
  });

  load().catch(fail);
})();
