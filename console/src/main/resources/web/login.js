"use strict";

document.getElementById("login").addEventListener("submit", async e => {
  e.preventDefault();
  const error = document.getElementById("error");
  error.textContent = "";
  const r = await fetch("/login", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: document.getElementById("username").value, password: document.getElementById("password").value }),
  });
  if (r.ok) {
    const next = new URLSearchParams(location.search).get("next");
    // Only same-site paths: never follow ?next= to another origin.
    location.href = next && next.startsWith("/") && !next.startsWith("//") ? next : "/fleet";
    return;
  }
  let message = "HTTP " + r.status;
  try { message = (await r.json()).error || message; } catch (ignored) { /* not JSON */ }
  error.textContent = message;
});
