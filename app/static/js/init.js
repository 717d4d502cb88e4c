// Progressive enhancement only: every page works without this file.
import { initAll } from "/assets/govuk/govuk-frontend.min.js";
initAll();

// Signing out forgets every draft kept in this browser: the next person here must not see them.
for (const signOut of document.querySelectorAll("form[action='/sign-out']")) {
  signOut.addEventListener("submit", () => {
    for (const name of Object.keys(localStorage)) if (name.startsWith("ics-draft:")) localStorage.removeItem(name);
  });
}
