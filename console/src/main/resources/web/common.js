// Shared helpers of the Firstline pages. Agent-supplied text is only ever set
// with textContent (never innerHTML), so a host name like "<script>" stays text.
"use strict";

const FL = (() => {
  let me = null;

  /** Element builder: el("td", {class: "x"}, "text", child). Strings become text nodes. */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.substring(2), v);
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  async function api(path, options) {
    const opts = Object.assign({ credentials: "same-origin", headers: {} }, options || {});
    opts.headers = Object.assign({ "Accept": "application/json" }, opts.headers);
    if (opts.body !== undefined && typeof opts.body !== "string") {
      opts.body = JSON.stringify(opts.body);
      opts.headers["Content-Type"] = "application/json";
    }
    if (opts.method && opts.method !== "GET" && me) opts.headers["X-CSRF-Token"] = me.csrfToken;
    const r = await fetch(path, opts);
    if (r.status === 401) {
      location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
      throw new Error("signed out");
    }
    const text = await r.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = { error: text }; }
    if (!r.ok) {
      const err = new Error((body && body.error) || ("HTTP " + r.status));
      err.status = r.status;
      throw err;
    }
    return body;
  }

  const post = (path, body) => api(path, { method: "POST", body: body || {} });

  /** Loads the signed-in user and fills the page header. */
  async function start(activeNav) {
    me = await api("/api/me");
    const header = document.querySelector("header.top");
    if (header) {
      const nav = header.querySelector("nav");
      for (const a of nav.querySelectorAll("a")) {
        if (a.dataset.nav === activeNav) a.classList.add("active");
        if (a.dataset.nav === "admin" && me.role !== "admin") a.classList.add("hidden");
      }
      const who = header.querySelector(".who");
      clear(who).append(el("a", { class: "user", href: "/account", title: "my account" }, me.username + " (" + me.role + ")"),
        el("button", { id: "signout", onclick: signOut }, "Sign out"));
    }
    document.body.dataset.role = me.role;
    return me;
  }

  async function signOut() {
    try { await post("/logout"); } finally { location.href = "/login"; }
  }

  const pct = v => (typeof v !== "number" || isNaN(v)) ? "–" : (v * 100).toFixed(0) + "%";

  function bytes(n) {
    if (typeof n !== "number" || isNaN(n)) return "–";
    const u = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (Math.abs(n) >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n.toFixed(0) : n.toFixed(1)) + " " + u[i];
  }

  function ago(ms, now) {
    if (!ms) return "never";
    const s = Math.max(0, Math.round(((now || Date.now()) - ms) / 1000));
    if (s < 60) return s + " s ago";
    if (s < 3600) return Math.floor(s / 60) + " min ago";
    if (s < 86400) return Math.floor(s / 3600) + " h ago";
    return Math.floor(s / 86400) + " d ago";
  }

  function duration(ms) {
    const neg = ms < 0;
    let s = Math.floor(Math.abs(ms) / 1000);
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    const t = (h ? h + "h " : "") + (h || m ? m + "m " : "") + s + "s";
    return neg ? "-" + t : t;
  }

  const time = iso => iso ? new Date(iso).toLocaleString() : "–";

  /**
   * Fills a table with API tokens (never their secrets): name, owner when
   * showOwner, state, created, last used, expires, and a Revoke button for
   * active ones that DELETEs revokePrefix + id after a confirmation.
   */
  function apiTokenTable(table, tokens, { revokePrefix, showOwner, onDone, onFail }) {
    clear(table);
    const heads = ["Name"].concat(showOwner ? ["User"] : [], ["State", "Created", "Last used", "Expires", ""]);
    table.append(el("tr", {}, ...heads.map(h => el("th", {}, h))));
    for (const t of tokens) {
      const revoke = t.state === "active" ? el("button", { "data-api-token": t.id, onclick: () => {
        if (!confirm("Revoke API token \u201c" + t.name + "\u201d" + (showOwner ? " of " + t.username : "") + "? Scripts using it stop working.")) return;
        api(revokePrefix + t.id, { method: "DELETE" }).then(onDone, onFail);
      } }, "Revoke") : null;
      table.append(el("tr", {}, el("td", {}, t.name), showOwner ? el("td", {}, t.username) : null, el("td", {}, t.state),
        el("td", {}, time(t.createdAt)), el("td", {}, t.lastUsedAt ? time(t.lastUsedAt) : "never"),
        el("td", {}, t.expiresAt ? time(t.expiresAt) : "never"), el("td", {}, revoke)));
    }
    if (tokens.length === 0) table.append(el("tr", {}, el("td", { colspan: heads.length, class: "muted" }, "No API tokens.")));
  }


  /**
   * Shows HTML that the console rendered from article Markdown: raw HTML in
   * the Markdown was escaped and unsafe links removed on the server, and the
   * CSP runs no inline script. Parsed inertly, then moved into the page.
   */
  function markdown(node, html) {
    const doc = new DOMParser().parseFromString(String(html || ""), "text/html");
    clear(node).append(...doc.body.childNodes);
    return node;
  }

  return { el, clear, api, post, start, pct, bytes, ago, duration, time, apiTokenTable, markdown, me: () => me };
})();
