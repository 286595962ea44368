// One knowledge-base article: its sections rendered from Markdown, the text
// for the endpoint's user, how often it was used and fixed things, and every
// change made to it.
"use strict";

(() => {
  const { el, clear, api } = FL;
  const id = decodeURIComponent(location.pathname.split("/")[2] || "");

  function describe(changes) {
    return Object.entries(changes || {}).map(([k, v]) => {
      if (k === "created") return "created";
      if (v && v.linesAdded !== undefined) return k + " +" + v.linesAdded + "/−" + v.linesRemoved + " lines";
      if (v && "from" in v) return k + ": " + [].concat(v.from).join(" ") + " → " + [].concat(v.to).join(" ");
      return k + ": " + JSON.stringify(v);
    }).join("; ");
  }

  async function load() {
    const search = new URLSearchParams(location.search).get("search");
    let a;
    try {
      a = await api("/api/kb/" + encodeURIComponent(id) + (search ? "?search=" + encodeURIComponent(search) : ""));
    } catch (e) {
      document.getElementById("article-error").textContent = e.message;
      return;
    }
    document.title = a.title + " · Firstline";
    const section = (title, key) => [el("h2", {}, title), FL.markdown(el("div", { class: "md", id: "md-" + key }), a.html[key])];
    clear(document.getElementById("article")).append(
      el("h1", { id: "article-title" }, a.title, " ", a.status === "draft" ? el("span", { class: "badge" }, "draft") : null),
      el("p", { class: "muted" }, a.id + (a.os.length ? " · " + a.os.join(", ") : " · any OS")
        + (a.tags.length ? " · tags: " + a.tags.join(", ") : "")
        + (a.rules.length ? " · rules: " + a.rules.join(", ") : ""),
        a.sourceTicketId ? el("span", {}, " · from ", el("a", { href: "/tickets?id=" + a.sourceTicketId }, "ticket #" + a.sourceTicketId)) : null),
      el("div", { class: "actions writer" }, el("a", { class: "button", id: "edit", href: "/kb/" + encodeURIComponent(a.id) + "/edit" }, "Edit")),
      ...section("Symptoms", "symptoms"), ...section("Likely causes", "cause"), ...section("Fix", "fix"),
      el("h2", {}, "For the endpoint's user"), el("p", { id: "article-user-text" }, a.userText || "–"));
    clear(document.getElementById("article-usage")).append(
      el("dt", {}, "Used on tickets"), el("dd", { id: "used-count" }, String(a.usedCount)),
      el("dt", {}, "Fixed"), el("dd", { id: "fixed-count" }, String(a.fixedCount)),
      el("dt", {}, "Waiting (reopen window)"), el("dd", { id: "pending-count" }, String(a.pendingCount)),
      el("dt", {}, "Version"), el("dd", {}, String(a.version)),
      el("dt", {}, "Last change"), el("dd", {}, FL.time(a.updatedAt) + " by " + a.updatedBy));
    const changes = await api("/api/kb/" + encodeURIComponent(id) + "/history");
    const ul = clear(document.getElementById("article-history"));
    for (const h of changes) {
      ul.append(el("li", {}, el("span", { class: "when" }, FL.time(h.at)), el("b", {}, "v" + h.version), " by " + h.actor,
        el("div", { class: "muted" }, describe(h.changes) + (h.note ? " — " + h.note : ""))));
    }
  }

  FL.start("kb").then(load);
})();
