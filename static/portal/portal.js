// Small progressive enhancements; no inline handlers so the CSP can forbid inline script.
document.addEventListener("DOMContentLoaded", () => {
  // "Select all" checkboxes for bulk actions in queues.
  document.querySelectorAll("[data-select-all]").forEach((box) => {
    box.addEventListener("change", () => {
      document.querySelectorAll(box.dataset.selectAll).forEach((el) => { el.checked = box.checked; });
    });
  });
  // Confirm destructive actions.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (ev) => {
      if (!window.confirm(form.dataset.confirm)) ev.preventDefault();
    });
  });
});
