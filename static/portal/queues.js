// Work queues: selection count, bulk buttons enabled only with a selection, confirmations.
// Loaded as a file with the page's CSP nonce; no inline handlers.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form.queue-form").forEach((form) => {
    const boxes = () => form.querySelectorAll("input[name=ids]");
    const counter = form.querySelector("[data-selected-count]");
    const needsSelection = form.querySelectorAll("[data-needs-selection]");
    const refresh = () => {
      const n = Array.from(boxes()).filter((box) => box.checked).length;
      if (counter) counter.textContent = `${n} selected`;
      needsSelection.forEach((button) => { button.disabled = n === 0; });
    };
    form.addEventListener("change", (ev) => {
      if (ev.target.matches("input[name=ids], [data-select-all]")) {
        // portal.js ticks the rows of a "select all" box; count after it has run.
        window.setTimeout(refresh, 0);
      }
    });
    form.querySelectorAll("button[data-confirm]").forEach((button) => {
      button.addEventListener("click", (ev) => {
        if (!window.confirm(button.dataset.confirm)) ev.preventDefault();
      });
    });
    refresh();
  });
});
