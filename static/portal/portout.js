// Port-out desk: live CSR countdowns (R1) and the printable page's print button.
document.addEventListener("DOMContentLoaded", () => {
  const pad = (n) => String(n).padStart(2, "0");
  const tick = () => {
    document.querySelectorAll("[data-countdown]").forEach((el) => {
      const due = Date.parse(el.dataset.countdown);
      if (Number.isNaN(due)) return;
      let seconds = Math.round((due - Date.now()) / 1000);
      const overdue = seconds < 0;
      seconds = Math.abs(seconds);
      const text = `${Math.floor(seconds / 3600)} h ${pad(Math.floor((seconds % 3600) / 60))} min`;
      el.textContent = overdue ? `overdue by ${text}` : `${text} left`;
      el.classList.toggle("countdown-overdue", overdue);
    });
  };
  if (document.querySelector("[data-countdown]")) {
    tick();
    window.setInterval(tick, 30000);
  }
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
