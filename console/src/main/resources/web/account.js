// Account page: change your own password, make an API token for scripts.
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
    post("/api/me/api-tokens", { name: document.getElementById("token-name").value }).then(r => {
      const p = document.getElementById("secret");
      p.textContent = "API token (shown once): " + r.token;
      p.classList.remove("hidden");
    }, fail);
  });

  FL.start("account");
})();
