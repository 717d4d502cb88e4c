// Never lose a keystroke. Progressive enhancement of a section form that already works without
// JavaScript ("Save and continue", "Save draft"):
//  - every keystroke is copied to this browser's local storage at once (survives a crash);
//  - about 2 seconds after typing stops, and on leaving a field, the form is saved to the server
//    (the same form post as without JavaScript, answered in JSON);
//  - a stale revision is refused by the server and the worker is shown both versions;
//  - if the session has expired the text stays here, the worker signs in, and the save completes
//    when the page comes back;
//  - the server's answer says which fields and sections apply now (live pathways: one evaluator).
const DEBOUNCE_MS = 2000;

const form = document.querySelector("form[data-autosave]");
const userId = document.body.dataset.userId;
if (form && userId) {
  // Keyed by who typed it: a draft is only ever restored into the same person's form.
  const key = `ics-draft:${userId}:${form.dataset.recordId}:${form.dataset.sectionId}`;
  const status = document.getElementById("autosave-status");
  let timer = null;
  let saving = null;
  let dirty = false;
  let retryMs = 2000;

  const say = (text) => { if (status) status.textContent = text; };
  const revisionInput = () => form.querySelector("input[name=base_revision]");

  const snapshot = () => {
    const values = {};
    for (const [name, value] of new FormData(form).entries()) {
      if (name === "csrf_token" || typeof value !== "string") continue;
      (values[name] ??= []).push(value);
    }
    return values;
  };

  const backup = () => {
    const entry = { revision: revisionInput().value, values: snapshot(), at: Date.now() };
    try { localStorage.setItem(key, JSON.stringify(entry)); } catch (e) { /* storage full: the server save still runs */ }
  };

  const fill = (values) => {
    for (const element of form.elements) {
      if (!element.name || element.name === "csrf_token" || element.name === "base_revision") continue;
      const given = values[element.name];
      if (given === undefined) {
        if (element.type === "checkbox" || element.type === "radio") element.checked = false;
        continue;
      }
      if (element.type === "checkbox" || element.type === "radio") element.checked = given.includes(element.value);
      else element.value = given[0];
    }
  };

  const restore = () => {
    const raw = localStorage.getItem(key);
    if (!raw) return;
    const entry = JSON.parse(raw);
    // rows.js makes again any rows added in the page before the typing was kept
    document.dispatchEvent(new CustomEvent("ics:restore", { detail: entry.values }));
    fill(entry.values);
    // Save against the revision the typing started from, so the server can spot a newer save.
    revisionInput().value = entry.revision;
    const banner = document.getElementById("autosave-restored");
    if (banner) banner.hidden = false;
    dirty = true;
    save();
  };

  const applyVisibility = (visible) => {
    if (!visible) return;
    for (const element of form.querySelectorAll("[data-field-id]")) {
      const shown = visible.fields[element.dataset.fieldId];
      if (shown !== undefined) element.hidden = !shown;
    }
    for (const element of document.querySelectorAll("[data-section-nav]")) {
      const shown = visible.sections[element.dataset.sectionNav];
      if (shown !== undefined) element.hidden = !shown;
    }
  };

  const showConflict = (html) => {
    const panel = document.getElementById("autosave-conflict");
    if (!panel) return;
    panel.innerHTML = html; // rendered and escaped by the server's templates
    panel.hidden = false;
    panel.focus();
  };

  async function save() {
    if (saving) { await saving; }
    if (!dirty) return;
    dirty = false;
    saving = send().finally(() => { saving = null; });
    await saving;
  }

  // What the census still needs from this section, as the server now says (records/_census.html).
  function showCensus(problems) {
    const panel = document.getElementById("census-problems");
    if (!panel || !Array.isArray(problems)) return;
    const items = problems.map((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      return item;
    });
    panel.querySelector("ul").replaceChildren(...items);
    panel.hidden = items.length === 0;
  }

  async function send() {
    say("Saving…");
    const body = new FormData(form);
    body.set("action", "autosave");
    let response;
    try {
      response = await fetch(form.getAttribute("action"), {
        method: "POST", body, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-Requested-With": "autosave" },
      });
    } catch (error) {
      dirty = true;
      say("Not saved yet: no connection. Your typing is kept on this computer; trying again.");
      setTimeout(save, retryMs);
      retryMs = Math.min(retryMs * 2, 60000);
      return;
    }
    retryMs = 2000;
    if (response.status === 401 || response.redirected) {
      dirty = true;
      const next = encodeURIComponent(location.pathname);
      say("");
      const expired = document.getElementById("autosave-signed-out");
      if (expired) {
        expired.querySelector("a").href = `/sign-in?expired=1&next=${next}`;
        expired.hidden = false;
      }
      return;
    }
    const data = await response.json().catch(() => ({}));
    if (response.status === 409) {
      say("Not saved: someone else saved this section first.");
      showConflict(data.html || "");
      return;
    }
    if (!response.ok) {
      say(data.message || "Not saved: there is a problem with an answer.");
      applyVisibility(data.visible);
      showCensus(data.census);
      return;
    }
    revisionInput().value = data.revision;
    localStorage.removeItem(key);
    document.dispatchEvent(new Event("ics:server-contact"));
    applyVisibility(data.visible);
    showCensus(data.census);
    say(`Saved at ${new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })}`);
  }

  const changed = () => {
    dirty = true;
    backup();
    clearTimeout(timer);
    timer = setTimeout(save, DEBOUNCE_MS);
  };

  form.addEventListener("input", changed);
  form.addEventListener("change", (event) => {
    changed();
    // Answers that decide which questions apply are saved at once, so the page follows them.
    if (event.target.closest("[data-pathway-trigger]")) { clearTimeout(timer); save(); }
  });
  form.addEventListener("focusout", () => { if (dirty) { clearTimeout(timer); save(); } });
  window.addEventListener("pagehide", backup);
  restore();
}

