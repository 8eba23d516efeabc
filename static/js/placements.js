// Placements: "select all" for bulk moves, and the print button of the roster. No inline scripts (CSP).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-select-all]").forEach((box) => {
    box.addEventListener("change", () => {
      box.closest("form").querySelectorAll('input[name="placements"]').forEach((el) => {
        el.checked = box.checked;
      });
    });
  });
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  // The pipeline board: fold and unfold a column; a scroll bar above the board when it is wider than the screen.
  const board = document.querySelector("[data-testid=pipeline-board]");
  const top = document.querySelector("[data-testid=board-scroll-top]");
  if (board && top) {
    const inner = top.firstElementChild;
    const sync = () => {
      inner.style.width = `${board.scrollWidth}px`;
      top.hidden = board.scrollWidth <= board.clientWidth;
    };
    top.addEventListener("scroll", () => { board.scrollLeft = top.scrollLeft; });
    board.addEventListener("scroll", () => { top.scrollLeft = board.scrollLeft; });
    board.querySelectorAll("[data-fold-toggle]").forEach((button) => {
      button.addEventListener("click", () => {
        const column = button.closest("[data-column]");
        const folded = column.classList.toggle("is-folded");
        button.setAttribute("aria-expanded", folded ? "false" : "true");
        sync();
      });
    });
    window.addEventListener("resize", sync);
    sync();
  }
});
