// Warn before the idle sign-out, so a worker on a long phone call can stay signed in.
// Without JavaScript nothing is lost either: the next save keeps the text and asks for sign-in.
const body = document.body;
const idleMinutes = Number(body.dataset.idleMinutes || 0);
const banner = document.getElementById("idle-warning");
if (idleMinutes > 0 && banner) {
  const warnAfterMs = Math.max(idleMinutes - 2, 1) * 60 * 1000;
  let timer = null;
  const reset = () => {
    clearTimeout(timer);
    banner.hidden = true;
    timer = setTimeout(() => { banner.hidden = false; banner.focus(); }, warnAfterMs);
  };
  banner.querySelector("button")?.addEventListener("click", async () => {
    await fetch("/api/me", { credentials: "same-origin" });  // any signed-in request resets the clock
    reset();
  });
  // Only real requests reset the server's clock: page loads and saves (autosave says so).
  document.addEventListener("ics:server-contact", reset);
  reset();
}
