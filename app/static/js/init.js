// Progressive enhancement only: every page works without this file.
import { initAll } from "/assets/govuk/govuk-frontend.min.js";
initAll();

// Drafts kept in this browser belong to whoever typed them (ics-draft:<user>:<record>:<section>).
const forget = (keep) => {
  for (const name of Object.keys(localStorage)) {
    if (name.startsWith("ics-draft:") && !(keep && name.startsWith(`ics-draft:${keep}:`))) localStorage.removeItem(name);
  }
};
// Signing out forgets every draft: the next person here must not see them.
for (const signOut of document.querySelectorAll("form[action='/sign-out']")) {
  signOut.addEventListener("submit", () => forget(null));
}
// A session that expired keeps its typing for the same person to save after signing in again;
// the first page of anyone else signed in here forgets it (and any draft of the old, unkeyed kind).
const signedIn = document.body.dataset.userId;
if (signedIn) forget(signedIn);
