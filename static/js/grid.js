// Keyboard movement in the termly grid: arrow keys move between cells (left and right across
// a row, up and down a column), Enter moves down. In a band list, Up and Down still choose
// when Alt is held, so the arrows are free for moving.
(function () {
  const table = document.getElementById("grid");
  if (!table) return;
  const rows = Array.from(table.tBodies[0].rows).map((row) => Array.from(row.querySelectorAll(".grid-input")));

  function position(input) {
    for (let r = 0; r < rows.length; r++) {
      const c = rows[r].indexOf(input);
      if (c !== -1) return [r, c];
    }
    return null;
  }

  function focusAt(r, c) {
    if (r < 0 || r >= rows.length) return;
    const target = rows[r][Math.max(0, Math.min(c, rows[r].length - 1))];
    if (target) {
      target.focus();
      if (target.select && target.tagName === "INPUT") target.select();
    }
  }

  table.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!input.classList.contains("grid-input") || event.altKey) return;
    const at = position(input);
    if (!at) return;
    const [r, c] = at;
    const isText = input.tagName === "INPUT";
    switch (event.key) {
      case "ArrowDown":
      case "Enter":
        event.preventDefault();
        focusAt(r + 1, c);
        break;
      case "ArrowUp":
        event.preventDefault();
        focusAt(r - 1, c);
        break;
      case "ArrowRight":
        if (isText && input.selectionEnd < input.value.length) return;
        event.preventDefault();
        focusAt(r, c + 1);
        break;
      case "ArrowLeft":
        if (isText && input.selectionStart > 0) return;
        event.preventDefault();
        focusAt(r, c - 1);
        break;
      default:
        break;
    }
  });
})();
