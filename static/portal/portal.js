// Small progressive enhancements; no inline handlers so the CSP can forbid inline script.
document.addEventListener("DOMContentLoaded", () => {
  // "Select all" checkboxes for bulk actions in queues.
  document.querySelectorAll("[data-select-all]").forEach((box) => {
    box.addEventListener("change", () => {
      document.querySelectorAll(box.dataset.selectAll).forEach((el) => { el.checked = box.checked; });
    });
  });
  // "Show all": reveal the rows folded away in the same card (the order page's numbers),
  // then the control has nothing left to do.
  document.querySelectorAll("[data-show-all]").forEach((button) => {
    button.addEventListener("click", () => {
      const card = button.closest(".card") || document;
      card.querySelectorAll(button.dataset.showAll).forEach((el) => { el.hidden = false; });
      (button.closest("[data-numbers-fold]") || button).remove();
    });
  });
  // Confirm destructive actions.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (ev) => {
      if (!window.confirm(form.dataset.confirm)) ev.preventDefault();
    });
  });
});
