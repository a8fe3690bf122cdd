// The admin's CSV import page: polls the run's JSON status, moves the progress bar and shows
// the result (the page itself, reloaded) when the run is finished. No inline script: CSP.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-import-status-url]");
  if (!box) return;
  const bar = box.querySelector("[data-import-bar]");
  const meter = box.querySelector("[role=progressbar]");
  const label = box.querySelector("[data-import-label]");
  const rows = box.querySelector("[data-import-rows]");
  const number = (n) => n.toLocaleString("en-US");
  const show = (state) => {
    bar.style.width = `${state.percent}%`;
    meter.setAttribute("aria-valuenow", String(state.percent));
    label.textContent = state.status_label;
    rows.textContent = state.rows_total && state.rows_done >= state.rows_total
      ? `${number(state.rows_total)} rows checked, saving…`
      : `${number(state.rows_done)} of ${number(state.rows_total)} rows checked`;
  };
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.importStatusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const state = await response.json();
        show(state);
        if (state.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A dropped request is retried on the next tick.
    }
    window.setTimeout(poll, 1000);
  };
  bar.style.width = `${meter.getAttribute("aria-valuenow")}%`;
  poll();
});
