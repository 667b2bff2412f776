// The pupil picker (pupils/picker.py, templates/pupils/_picker.html). htmx fetches the matches as
// the user types; this script keeps the "chosen" list in step with the ticked boxes and tells
// screen readers only what changed: the number of matches, or the pupil added or removed.
(() => {
  if (window.pupilPickerReady) {
    return;
  }
  window.pupilPickerReady = true;

  const pickerOf = (element) => element && element.closest && element.closest("[data-pupil-picker]");

  const announce = (picker, text) => {
    const status = picker.querySelector("[data-picker-status]");
    // Cleared first, so that the same words said twice are announced twice.
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = text;
    }, 60);
  };

  const searchNow = (picker) => {
    const box = picker.querySelector("input[type=search]");
    window.htmx.trigger(box, "search");
  };

  // Enter in the search box searches now; it does not submit the form.
  document.addEventListener("keydown", (event) => {
    const picker = pickerOf(event.target);
    if (picker && event.key === "Enter" && event.target.type === "search") {
      event.preventDefault();
      searchNow(picker);
    }
  });

  // With JavaScript the Search button searches in place instead of posting the form.
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-pupil-picker] button[value]");
    if (button && window.htmx) {
      event.preventDefault();
      searchNow(pickerOf(button));
    }
  });

  const labelOf = (input) => (input.labels && input.labels[0] ? input.labels[0].textContent.trim() : "");

  const copyToChosen = (picker, input) => {
    const list = picker.querySelector("[data-picker-chosen]");
    const item = input.closest("li").cloneNode(true);
    const copy = item.querySelector("input");
    copy.id = `${input.name}-chosen-${input.value}`;
    item.querySelector("label").htmlFor = copy.id;
    copy.checked = true;
    if (input.type === "radio") {
      list.replaceChildren(item);
    } else {
      list.append(item);
    }
  };

  document.addEventListener("change", (event) => {
    const input = event.target;
    const picker = pickerOf(input);
    if (!picker || (input.type !== "checkbox" && input.type !== "radio")) {
      return;
    }
    const list = picker.querySelector("[data-picker-chosen]");
    const same = picker.querySelectorAll(`input[name="${input.name}"][value="${input.value}"]`);
    if (input.checked && !list.contains(input) && !list.querySelector(`input[value="${input.value}"]`)) {
      copyToChosen(picker, input);
    } else if (input.type === "checkbox") {
      same.forEach((other) => {
        other.checked = input.checked;
      });
    }
    const chosen = list.querySelectorAll("input:checked").length;
    picker.querySelector("[data-picker-none]").hidden = chosen > 0;
    if (input.type === "radio") {
      announce(picker, `Chosen: ${labelOf(input)}.`);
    } else {
      const count = chosen === 1 ? "1 pupil chosen" : `${chosen} pupils chosen`;
      announce(picker, `${input.checked ? "Added" : "Removed"} ${labelOf(input)}. ${count}.`);
    }
  });

  // After a search, say how many pupils match: the list itself is not read out.
  document.addEventListener("htmx:afterSwap", (event) => {
    const picker = pickerOf(event.detail.target);
    if (picker) {
      const summary = event.detail.target.querySelector("[data-picker-summary]");
      announce(picker, summary ? summary.textContent.trim() : "");
    }
  });
})();
