// sendtrack's own script. No inline script is allowed by the Content-Security-Policy, so
// behaviour that pages need lives here.
document.addEventListener("htmx:responseError", (event) => {
  const target = event.detail.target;
  if (target) {
    target.insertAdjacentHTML(
      "afterbegin",
      '<div class="alert alert-danger" role="alert">That request failed. Please try again.</div>'
    );
  }
});

// Wide tables scroll inside their own box, never the page (app.css keeps the first column in
// view). Templates wrap their tables in .table-responsive; a table left bare is wrapped here.
// A box that does scroll is a labelled region reachable by keyboard (arrow keys scroll it), as
// WCAG 2.1.1 asks of scrollable content; one that fits is left out of the tab order.
function inScrollBox(element) {
  for (let node = element.parentElement; node && node.tagName !== "MAIN"; node = node.parentElement) {
    const overflow = getComputedStyle(node).overflowX;
    if (overflow === "auto" || overflow === "scroll") return true;
  }
  return false;
}

function scrollBoxes(root) {
  root.querySelectorAll("main table").forEach((table) => {
    if (table.closest(".table-responsive, .no-scroll-box") || inScrollBox(table)) return;
    const box = document.createElement("div");
    box.className = "table-responsive";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
  });
  document.querySelectorAll("main .table-responsive").forEach((box) => {
    const scrolls = box.scrollWidth > box.clientWidth;
    box.classList.toggle("is-scrollable", scrolls);
    if (scrolls && !box.hasAttribute("tabindex")) {
      const caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", (caption ? caption.textContent.trim() : "Table") + " (scrolls sideways)");
      box.dataset.scrollBox = "set";
    } else if (!scrolls && box.dataset.scrollBox === "set") {
      ["tabindex", "role", "aria-label", "data-scroll-box"].forEach((name) => box.removeAttribute(name));
    }
  });
}
document.addEventListener("DOMContentLoaded", () => scrollBoxes(document));
document.addEventListener("htmx:afterSwap", (event) => scrollBoxes(event.detail.target));
let resizing;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => scrollBoxes(document), 150);
});

// A "tick every one" box (data-tick-all="name") ticks or clears every checkbox of that name in
// its form, and shows itself part-ticked when some are. Without script it stays hidden.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-tick-all]").forEach((all) => {
    const boxes = () => all.form.querySelectorAll(`input[type=checkbox][name="${all.dataset.tickAll}"]`);
    const show = () => {
      const ticked = [...boxes()].filter((box) => box.checked).length;
      all.checked = ticked > 0 && ticked === boxes().length;
      all.indeterminate = ticked > 0 && ticked < boxes().length;
    };
    all.hidden = false;
    all.addEventListener("change", () => {
      boxes().forEach((box) => { box.checked = all.checked; });
      show();
    });
    boxes().forEach((box) => box.addEventListener("change", show));
    show();
  });
});
