// Warns before the idle logout (issue 19). The server decides: every response says how many
// seconds are left (X-Session-Idle-Left); polls (htmx) do not count as activity, so the
// countdown keeps running on a tablet nobody touches. At zero the page reloads, the server
// logs the session out and the login page replaces what was on the screen.
(() => {
  const box = document.getElementById("idle-warning");
  if (!box) return;
  const warnMs = Number(box.dataset.warnSeconds) * 1000;
  const left = box.querySelector("[data-idle-left]");
  const form = box.querySelector("form");
  let deadline = Date.now() + Number(box.dataset.idleSeconds) * 1000;

  const format = (ms) => {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  };
  const tick = () => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      window.location.reload();
      return;
    }
    box.hidden = remaining > warnMs;
    left.textContent = format(remaining);
  };
  const follow = (secondsLeft) => {
    if (secondsLeft !== null && secondsLeft !== "") {
      deadline = Date.now() + Number(secondsLeft) * 1000;
      tick();
    }
  };

  document.body.addEventListener("htmx:afterRequest", (event) => {
    follow(event.detail.xhr.getResponseHeader("X-Session-Idle-Left"));
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then((response) => {
        if (response.status !== 204) throw new Error("logged out");
        follow(response.headers.get("X-Session-Idle-Left"));
      })
      .catch(() => window.location.reload());
  });
  tick();
  window.setInterval(tick, 1000);
})();
