// Knowledge base: search as you type with filters, and what the knowledge
// base is missing (most useful, never used, searches with no answer).
"use strict";

(() => {
  const { el, clear, api } = FL;
  const f = {
    q: document.getElementById("kb-q"), tag: document.getElementById("kb-tag"), rule: document.getElementById("kb-rule"),
    os: document.getElementById("kb-os"), status: document.getElementById("kb-status"),
  };
  const params = new URLSearchParams(location.search);
  for (const [k, input] of Object.entries(f)) if (params.get(k)) input.value = params.get(k);
  let timer = null;
  let generation = 0;

  function badges(a) {
    return [a.status === "draft" ? el("span", { class: "badge" }, "draft") : null,
      ...(a.os || []).map(o => el("span", { class: "badge" }, o))];
  }

  /** The snippet's parts as text, matched words in <mark>. */
  function snippet(parts) {
    return el("div", { class: "snippet" }, ...(parts || []).map(p => p.match ? el("mark", {}, p.text) : p.text));
  }

  async function search() {
    const mine = ++generation;
    const q = new URLSearchParams();
    for (const [k, input] of Object.entries(f)) if (input.value.trim()) q.set(k, input.value.trim());
    history.replaceState(null, "", q.toString() ? "?" + q : location.pathname);
    q.set("limit", "100");
    const status = document.getElementById("kb-status-text");
    let r;
    try {
      r = await fetch("/api/kb?" + q, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (r.status === 401) { location.href = "/login?next=/kb"; return; }
      if (!r.ok) throw new Error((await r.json()).error || "HTTP " + r.status);
    } catch (e) { status.textContent = e.message; return; }
    const list = await r.json();
    if (mine !== generation) return; // a newer search is on its way
    status.textContent = "";
    const searchId = r.headers.get("X-Search-Id");
    document.getElementById("kb-total").textContent = r.headers.get("X-Total-Count") || list.length;
    const ul = clear(document.getElementById("kb-results"));
    for (const a of list) {
      const href = "/kb/" + encodeURIComponent(a.id) + (searchId ? "?search=" + searchId : "");
      ul.append(el("li", { class: "kb-result", "data-id": a.id },
        el("a", { href, class: "kb-title" }, a.title), " ", ...badges(a),
        a.snippet && a.snippet.length ? snippet(a.snippet) : null,
        el("div", { class: "meta" }, a.id + " · used " + a.usedCount + " · fixed " + a.fixedCount
          + ((a.tags || []).length ? " · " + a.tags.join(", ") : ""))));
    }
    if (list.length === 0) ul.append(el("li", { class: "muted" }, f.q.value.trim()
      ? "No article matches. The search is counted, so the team sees what is missing." : "No articles."));
  }

  async function filters() {
    const all = await api("/api/kb?limit=500");
    const fill = (select, values) => {
      const have = new Set([...select.options].map(o => o.value));
      for (const v of [...values].sort()) if (!have.has(v)) select.append(el("option", { value: v }, v));
      if (params.get(select.id.substring(3))) select.value = params.get(select.id.substring(3));
    };
    fill(f.tag, new Set(all.flatMap(a => a.tags || [])));
    fill(f.rule, new Set(all.flatMap(a => a.rules || [])));
  }

  async function stats() {
    const s = await api("/api/kb/stats");
    const link = a => el("a", { href: "/kb/" + encodeURIComponent(a.id) }, a.title);
    const useful = clear(document.getElementById("kb-useful"));
    for (const a of s.mostUseful) useful.append(el("li", {}, link(a), el("span", { class: "muted" }, " fixed " + a.fixedCount + ", used " + a.usedCount)));
    if (!s.mostUseful.length) useful.append(el("li", { class: "muted" }, "No article has been used on a ticket yet."));
    const unanswered = clear(document.getElementById("kb-unanswered"));
    for (const u of s.unansweredSearches) unanswered.append(el("li", { class: "unanswered" }, el("b", {}, u.query),
      el("span", { class: "muted" }, " ×" + u.count + (u.lastResults === 0 ? ", no results" : ", nothing opened"))));
    if (!s.unansweredSearches.length) unanswered.append(el("li", { class: "muted" }, "None."));
    const never = clear(document.getElementById("kb-never"));
    for (const a of s.neverUsed.slice(0, 15)) never.append(el("li", {}, link(a)));
    if (s.neverUsed.length > 15) never.append(el("li", { class: "muted" }, "and " + (s.neverUsed.length - 15) + " more"));
  }

  f.q.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 150); });
  for (const s of [f.tag, f.rule, f.os, f.status]) s.addEventListener("change", search);
  FL.start("kb").then(async () => { await filters(); await search(); await stats(); });
})();
