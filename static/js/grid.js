// The termly grid (templates/assessment/grid.html and _grid_targets.html).
//
// Without this script the grid is a plain form that posts every box. With it:
// - Tab and Shift+Tab move box to box; the arrow keys move across a row and up and down a column
//   (Left and Right move within a number until its start or end); Enter moves down;
//   Ctrl+S (or Cmd+S) saves from anywhere on the page.
// - A changed box is marked and the save bar counts the unsaved changes; leaving the page with
//   unsaved changes asks first.
// - Saving sends only the changed cells, as JSON, with the version each was loaded at: the
//   server refuses to overwrite a cell someone else changed meanwhile and says so.
// No inline script or style: the Content-Security-Policy allows neither.
(function () {
  "use strict";
  const form = document.getElementById("grid-form");
  const table = document.getElementById("grid");
  if (!form || !table) return;

  const mode = form.dataset.mode; // "assessments" or "targets"
  const boxPrefixes = mode === "targets" ? ["t", "p"] : ["a", "g", "n"];
  const saveButton = document.getElementById("grid-save");
  const count = document.getElementById("grid-count");
  const message = document.getElementById("grid-message");
  const problemList = document.getElementById("grid-problems");
  const versionsField = form.elements.namedItem("versions");
  // Each row as its columns, left to right: a box of the school's scheme fills one column; the
  // one box of a pupil on another framework fills its subject's three (so Up and Down keep to
  // the subject); an Engagement Model cell, with no box, leaves its columns empty (null).
  const rows = Array.from(table.tBodies[0].rows).map((row) => {
    const slots = [];
    for (const cell of Array.from(row.cells).slice(1)) {
      const inputs = Array.from(cell.querySelectorAll("input"));
      if (inputs.length === 1 && cell.colSpan > 1) {
        for (let i = 0; i < cell.colSpan; i++) slots.push(inputs[0]);
      } else if (inputs.length) {
        slots.push(...inputs);
      } else {
        for (let i = 0; i < cell.colSpan; i++) slots.push(null);
      }
    }
    return slots;
  });
  const cells = new Map(); // "pupil-subject" -> [its boxes]
  const versions = new Map(); // "pupil-subject" -> version loaded
  let saving = false;

  // -- set up ---------------------------------------------------------------------------------
  for (const row of rows) {
    for (const input of new Set(row)) {
      if (!input) continue;
      const key = input.name.slice(2);
      if (!cells.has(key)) cells.set(key, []);
      cells.get(key).push(input);
      input.autocomplete = "off";
      input.spellcheck = false;
      if (input.name[0] === "a" || input.name[0] === "t") input.setAttribute("list", "grid-a");
      else if (input.name[0] === "g") input.setAttribute("list", "grid-g");
      else if (input.name[0] !== "f") input.inputMode = "decimal"; // a framework's box says its own
    }
  }
  if (versionsField) {
    for (const item of versionsField.value.split(" ")) {
      const [key, version] = item.split(":");
      if (key) versions.set(key, version);
    }
  }
  if (count) count.hidden = false;
  // The second header row sits under the first, however tall the first has wrapped.
  const firstHead = table.tHead && table.tHead.rows[0];
  if (firstHead) table.style.setProperty("--grid-head-1", firstHead.getBoundingClientRect().height + "px");

  // -- what has changed -----------------------------------------------------------------------
  function isChanged(key) {
    return cells.get(key).some((input) => input.value.trim() !== input.defaultValue.trim());
  }
  function changedKeys() {
    return Array.from(cells.keys()).filter(isChanged);
  }
  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }
  let announce = null;
  function updateCount() {
    if (!count) return;
    const n = changedKeys().length;
    // A live region: wait until typing pauses, so that it is read once, not at every key.
    clearTimeout(announce);
    announce = setTimeout(() => {
      count.textContent = n ? plural(n, "unsaved change") : "No unsaved changes";
    }, 500);
  }
  function markCell(key) {
    const changed = isChanged(key);
    for (const input of cells.get(key)) input.parentElement.classList.toggle("grid-changed", changed);
  }

  table.addEventListener("input", (event) => {
    const input = event.target;
    if (input.tagName !== "INPUT") return;
    markCell(input.name.slice(2));
    updateCount();
  });
  // Band codes are shown as the scheme writes them ("ot" becomes "OT") once the box is left.
  table.addEventListener("change", (event) => {
    const input = event.target;
    const list = input.list;
    if (!list) return;
    const typed = input.value.trim().toUpperCase();
    for (const option of list.options) {
      if (option.value.toUpperCase() === typed) input.value = option.value;
    }
    markCell(input.name.slice(2));
  });

  // -- moving by keyboard ---------------------------------------------------------------------
  function position(input) {
    for (let r = 0; r < rows.length; r++) {
      const c = rows[r].indexOf(input);
      if (c !== -1) return [r, c];
    }
    return null;
  }
  function focusAt(r, c, step) {
    // Up or down (step -1 or 1): the box in that column of the nearest row that has one.
    for (; r >= 0 && r < rows.length; r += step) {
      const target = rows[r][Math.max(0, Math.min(c, rows[r].length - 1))];
      if (target) {
        target.focus();
        target.select();
        return;
      }
    }
  }
  function across(r, c, step) {
    // Left or right (step -1 or 1): the next box in the row that is not this one.
    const here = rows[r][c];
    for (let i = c + step; i >= 0 && i < rows[r].length; i += step) {
      const target = rows[r][i];
      if (target && target !== here) {
        target.focus();
        target.select();
        return;
      }
    }
  }
  table.addEventListener("keydown", (event) => {
    const input = event.target;
    if (input.tagName !== "INPUT" || event.altKey || event.ctrlKey || event.metaKey) return;
    const at = position(input);
    if (!at) return;
    const [r, c] = at;
    switch (event.key) {
      case "ArrowDown":
      case "Enter":
        event.preventDefault();
        focusAt(r + 1, c, 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        focusAt(r - 1, c, -1);
        break;
      case "ArrowRight":
        if (input.selectionEnd < input.value.length) return;
        event.preventDefault();
        across(r, c, 1);
        break;
      case "ArrowLeft":
        if (input.selectionStart > 0) return;
        event.preventDefault();
        across(r, c, -1);
        break;
      default:
        break;
    }
  });
  // A box that takes focus by Tab has its value selected, so typing replaces it.
  table.addEventListener("focusin", (event) => {
    if (event.target.tagName === "INPUT") event.target.select();
  });
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
      event.preventDefault();
      if (saveButton) form.requestSubmit(saveButton);
    }
  });

  // Leaving the page with unsaved changes asks first (the browser words the question).
  window.addEventListener("beforeunload", (event) => {
    if (!saving && changedKeys().length) event.preventDefault();
  });

  // -- saving ---------------------------------------------------------------------------------
  function clearNotes(key) {
    for (const input of cells.get(key)) {
      const td = input.parentElement;
      td.classList.remove("grid-bad", "grid-conflict");
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
    const last = cells.get(key).at(-1).parentElement;
    for (const note of last.querySelectorAll(".grid-note")) note.remove();
  }
  function addNote(key, text, kind) {
    const boxes = cells.get(key);
    const note = document.createElement("small");
    note.className = "grid-note" + (kind === "grid-bad" ? " grid-error-note" : "");
    note.id = "note-" + key;
    note.textContent = text;
    boxes.at(-1).parentElement.appendChild(note);
    for (const input of boxes) {
      input.parentElement.classList.add(kind);
      input.setAttribute("aria-describedby", note.id);
      if (kind === "grid-bad") input.setAttribute("aria-invalid", "true");
    }
  }
  // The live region holds one sentence; the list of cells to correct sits beside it, outside the
  // live region, so that a screen reader announces the sentence and not the whole list.
  function say(text, problems) {
    message.textContent = text;
    problemList.replaceChildren();
    if (problems && problems.length) {
      const list = document.createElement("ul");
      for (const problem of problems) {
        const item = document.createElement("li");
        const go = document.createElement("button");
        go.type = "button";
        go.className = "btn btn-link btn-sm";
        go.textContent = problem.message;
        go.addEventListener("click", () => {
          const boxes = cells.get(problem.key);
          if (boxes) boxes[0].focus();
        });
        item.appendChild(go);
        list.appendChild(item);
      }
      problemList.appendChild(list);
    }
  }
  function refusedWithoutAnswer(status) {
    if (status === 403) return "You can no longer save this grid (your role or classes may have changed). Nothing was saved.";
    if (status === 413) return "This save is too large to send in one go. Nothing was saved: save after fewer changes.";
    if (status === 400) return "The server could not read this save. Nothing was saved: reload the grid and try again.";
    if (status === 404) return "This grid no longer exists (the point or class may have been removed). Nothing was saved.";
    return "Something went wrong on the server. Your changes are still here: try saving again in a moment.";
  }

  function fields(keys) {
    const sent = {};
    for (const key of keys) {
      for (const input of cells.get(key)) sent[input.name] = input.value.trim();
      if (mode !== "targets") sent["v-" + key] = versions.get(key) || "0";
    }
    return sent;
  }

  function applied(result) {
    for (const [key, version] of Object.entries(result.saved || {})) {
      if (!cells.has(key)) continue;
      versions.set(key, String(version));
      clearNotes(key);
      for (const input of cells.get(key)) {
        input.defaultValue = input.value.trim();
        input.value = input.defaultValue;
      }
      markCell(key);
    }
    for (const conflict of result.conflicts || []) {
      if (!cells.has(conflict.key)) continue;
      clearNotes(conflict.key);
      versions.set(conflict.key, String(conflict.version));
      const theirs = conflict.shown || [conflict.a || "—", conflict.g || "—", conflict.n || "—"].join(" / ");
      addNote(
        conflict.key,
        "Changed by " + conflict.by + " at " + conflict.at + " to " + theirs + ". Yours is shown: save again to keep it.",
        "grid-conflict"
      );
    }
    for (const problem of result.errors || []) {
      if (!cells.has(problem.key)) continue;
      clearNotes(problem.key);
      addNote(problem.key, problem.message, "grid-bad");
    }
    if (versionsField) {
      versionsField.value = Array.from(versions.entries())
        .filter(([, v]) => v && v !== "0")
        .map(([k, v]) => k + ":" + v)
        .join(" ");
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (saving) return;
    const keys = changedKeys();
    if (!keys.length) {
      say("Nothing to save: no box has changed since the grid was opened or last saved.");
      return;
    }
    saving = true;
    saveButton.disabled = true;
    const label = saveButton.textContent;
    saveButton.textContent = "Saving…";
    try {
      const response = await fetch(form.action || window.location.href, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": form.elements.namedItem("csrfmiddlewaretoken").value,
        },
        body: JSON.stringify({ fields: fields(keys) }),
      });
      let result = null;
      if ((response.headers.get("Content-Type") || "").includes("application/json")) {
        result = await response.json();
      }
      if (response.redirected && new URL(response.url).pathname.startsWith("/accounts/login")) {
        say("You have been signed out. Nothing was saved: sign in again in another tab, then save again here (your changes are still here).");
      } else if (!result || typeof result.message !== "string") {
        say(refusedWithoutAnswer(response.status));
      } else {
        applied(result);
        say(result.message, result.errors);
        const first = (result.errors || [])[0];
        if (first && cells.has(first.key)) cells.get(first.key)[0].focus();
      }
    } catch (error) {
      say("The server could not be reached. Your changes are still here: try saving again.");
    } finally {
      saving = false;
      saveButton.disabled = false;
      saveButton.textContent = label;
      updateCount();
    }
  });
})();
