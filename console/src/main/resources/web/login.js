"use strict";

document.getElementById("login").addEventListener("submit", async e => {
  e.preventDefault();
  const error = document.getElementById("error");
  error.textContent = "";
  const r = await fetch("/login", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      username: document.getElementById("username").value,
      password: document.getElementById("password").value,
      next: new URLSearchParams(location.search).get("next") || "",
    }),
  });
  if (r.ok) {
    // The console decides where to go: ?next= only when it names one of its pages,
    // the account page while the password is one-time.
    const body = await r.json();
    location.href = body.redirect;
    return;
  }
  let message = "HTTP " + r.status;
  try { message = (await r.json()).error || message; } catch (ignored) { /* not JSON */ }
  error.textContent = message;
});
