// The article editor: every field, a preview rendered by the console the way
// readers will see it, and saving with the version it started from, so two
// people editing at once cannot silently overwrite each other.
"use strict";

(() => {
  const { el, clear, api } = FL;
  const id = decodeURIComponent(location.pathname.split("/")[2] || "");
  const creating = id === "new";
  const $ = name => document.getElementById("f-" + name);
  const TEXTS = ["title", "symptoms", "cause", "fix", "userText"];
  let version = null;

  const words = v => v.split(/[\s,]+/).filter(Boolean);

  function fill(a) {
    for (const k of TEXTS) $(k).value = a[k] || "";
    $("status").value = a.status || "draft";
    $("tags").value = (a.tags || []).join(" ");
    $("rules").value = (a.rules || []).join(" ");
    for (const o of ["linux", "windows", "macos"]) $("os-" + o).checked = (a.os || []).includes(o);
  }

  function body() {
    const b = {};
    for (const k of TEXTS) b[k] = $(k).value;
    b.status = $("status").value;
    b.tags = words($("tags").value);
    b.rules = words($("rules").value);
    b.os = ["linux", "windows", "macos"].filter(o => $("os-" + o).checked);
    b.note = $("note").value;
    return b;
  }

  async function preview() {
    const pane = clear(document.getElementById("preview-pane"));
    pane.append(el("h1", {}, $("title").value));
    for (const [k, title] of [["symptoms", "Symptoms"], ["cause", "Likely causes"], ["fix", "Fix"]]) {
      const r = await FL.post("/api/kb/preview", { markdown: $(k).value });
      pane.append(el("h2", {}, title), FL.markdown(el("div", { id: "preview-" + k }), r.html));
    }
    pane.append(el("h2", {}, "For the endpoint's user"), el("p", {}, $("userText").value));
  }

  async function save(e) {
    e.preventDefault();
    const error = document.getElementById("edit-error");
    try {
      let a;
      if (creating) {
        const b = body();
        if ($("id").value.trim()) b.id = $("id").value.trim();
        a = await FL.post("/api/kb", b);
      } else {
        a = await api("/api/kb/" + encodeURIComponent(id), { method: "PUT", body: Object.assign(body(), { version }) });
      }
      location.href = "/kb/" + encodeURIComponent(a.id);
    } catch (x) {
      error.textContent = x.status === 409
        ? x.message + " — open the article in another tab to see the newer version; your text here is kept."
        : x.message;
    }
  }

  document.getElementById("preview").addEventListener("click", () => preview().catch(x => {
    document.getElementById("edit-error").textContent = x.message;
  }));
  document.getElementById("edit-form").addEventListener("submit", save);

  FL.start("kb").then(async () => {
    if (creating) {
      document.getElementById("edit-heading").textContent = "New article";
      return;
    }
    $("id").value = id;
    $("id").disabled = true;
    document.getElementById("cancel").href = "/kb/" + encodeURIComponent(id);
    const a = await api("/api/kb/" + encodeURIComponent(id));
    version = a.version;
    document.getElementById("edit-heading").textContent = "Edit " + a.id + " (version " + a.version + ")";
    fill(a);
  }).catch(x => { document.getElementById("edit-error").textContent = x.message; });
})();
