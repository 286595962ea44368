// Account page: change your own password (required first after a one-time password),
// list, make and revoke your API tokens.
"use strict";

(() => {
  const { post } = FL;
  const error = document.getElementById("error");
  const fail = e => { error.textContent = e.message; };

  document.getElementById("my-password").addEventListener("submit", e => {
    e.preventDefault();
    error.textContent = "";
    post("/api/me/password", { current: document.getElementById("pw-current").value, password: document.getElementById("pw-new").value })
      .then(() => { location.href = "/login"; }, fail);
  });
  document.getElementById("new-token").addEventListener("submit", e => {
    e.preventDefault();
    error.textContent = "";
    const expiresIn = document.getElementById("token-expiry").value;
    post("/api/me/api-tokens", Object.assign({ name: document.getElementById("token-name").value }, expiresIn ? { expiresIn } : {}))
      .then(r => {
        const p = document.getElementById("secret");
        p.textContent = "API token (shown once): " + r.token;
        p.classList.remove("hidden");
        return loadTokens();
      }, fail);
  });

  async function loadTokens() {
    const tokens = await FL.api("/api/me/api-tokens");
    FL.apiTokenTable(document.getElementById("api-tokens"), tokens,
      { revokePrefix: "/api/me/api-tokens/", showOwner: false, onDone: loadTokens, onFail: fail });
  }

  FL.start("account").then(me => {
    if (me.mustChangePassword) {
      document.getElementById("one-time").classList.remove("hidden");
      return;
    }
    return loadTokens();
  }).catch(fail);
})();
