// Rows that add and remove in the page (GOV.UK's add-another pattern). Without this file "Add another
// row" and "Remove" are submit buttons that save the draft and come back with the rows changed.
//  - "Add another row" copies the last row empty, numbered after the highest, and moves the focus to
//    its first input;
//  - "Remove" takes the row out and moves the focus to the row above (or the add button);
//  - either one is saved at once by autosave, with the rows as they now stand.
const renumber = (row, key, from, to) => {
  const old = `${key}__${from}__`;
  const now = `${key}__${to}__`;
  for (const element of row.querySelectorAll("[id], [name], [for], [aria-describedby], [aria-labelledby]")) {
    for (const attribute of ["id", "name", "for", "aria-describedby", "aria-labelledby"]) {
      const value = element.getAttribute(attribute);
      if (value && value.includes(old)) element.setAttribute(attribute, value.split(old).join(now));
    }
  }
  row.id = `${key}__${to}`;
  row.dataset.row = String(to);
};

const empty = (row) => {
  for (const element of row.querySelectorAll("input, select, textarea")) {
    if (element.type === "checkbox" || element.type === "radio") element.checked = false;
    else if (element.type !== "hidden") element.value = "";
  }
  for (const group of row.querySelectorAll(".govuk-form-group--error")) group.classList.remove("govuk-form-group--error");
  for (const message of row.querySelectorAll(".govuk-error-message, .app-prefill")) message.remove();
};

const label = (container, row, number) => {
  const words = `${container.dataset.rowLabel}, row ${number}`;
  const legend = row.querySelector(".app-group-row__legend");
  if (legend) legend.textContent = words;
  const remove = row.querySelector(".app-remove-row .govuk-visually-hidden");
  if (remove) remove.textContent = ` ${words}`;
};

// A row added or removed is saved at once, as leaving a field is (autosave.js listens for both).
const changed = (form) => {
  form.dispatchEvent(new Event("input", { bubbles: true }));
  form.dispatchEvent(new Event("focusout"));
};

const rowsOf = (container) => [...container.querySelectorAll(":scope > .app-group-row")];

// A copy of the last row, empty, numbered `number`; returns the new row.
const addRow = (container, number) => {
  const all = rowsOf(container);
  const last = all[all.length - 1];
  const copy = last.cloneNode(true);
  renumber(copy, container.dataset.addAnother, last.dataset.row, number);
  empty(copy);
  label(container, copy, all.length + 1);
  last.after(copy);
  return copy;
};

for (const container of document.querySelectorAll("[data-add-another]")) {
  const form = container.closest("form");
  const add = container.querySelector(":scope > .app-add-row");

  add.addEventListener("click", (event) => {
    event.preventDefault();
    const highest = Math.max(...rowsOf(container).map((row) => Number(row.dataset.row)));
    const copy = addRow(container, highest + 1);
    copy.querySelector("input:not([type=hidden]), select, textarea")?.focus();
    changed(form);
  });

  container.addEventListener("click", (event) => {
    const remove = event.target.closest(".app-remove-row");
    if (!remove) return;
    event.preventDefault();
    const row = remove.closest(".app-group-row");
    const all = rowsOf(container);
    const before = all[all.indexOf(row) - 1];
    if (all.length === 1) empty(row); // the last row stays, empty, so another can be added
    else row.remove();
    rowsOf(container).forEach((each, index) => label(container, each, index + 1));
    (before?.querySelector("input:not([type=hidden]), select, textarea") ?? add).focus();
    changed(form);
  });
}

// Typing kept in this browser (autosave.js) may hold rows added here before a crash: make them
// again, so the typing has somewhere to go back to.
document.addEventListener("ics:restore", (event) => {
  for (const container of document.querySelectorAll("[data-add-another]")) {
    const prefix = `${container.dataset.addAnother}__`;
    const wanted = new Set();
    for (const name of Object.keys(event.detail)) {
      const number = name.startsWith(prefix) ? Number(name.slice(prefix.length).split("__")[0]) : NaN;
      if (Number.isInteger(number)) wanted.add(number);
    }
    const have = new Set(rowsOf(container).map((row) => Number(row.dataset.row)));
    for (const number of [...wanted].sort((a, b) => a - b)) {
      if (!have.has(number)) addRow(container, number);
    }
  }
});
