// Booking form. Without JavaScript every step works through the form's buttons; with it, choosing
// another venue shows its calendar at once, Enter in a detail field sends the booking (the form's
// first button, "Xem lịch trống", would otherwise take it), the error summary takes the focus
// and its links put the cursor in their fields.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector(".booking-form");
  if (!form) return;
  const show = form.querySelector("button.show-calendar");
  const send = form.querySelector("button.send-booking");
  const venue = form.querySelector("select[name=venue]");
  if (venue && show) {
    venue.addEventListener("change", () => form.requestSubmit(show));
  }
  form.addEventListener("keydown", (event) => {
    const field = event.target;
    if (event.key !== "Enter" || !send || !(field instanceof HTMLInputElement)) return;
    if (field.closest(".booking-start") || field.type === "submit") return;
    event.preventDefault();
    form.requestSubmit(send);
  });
  const summary = document.getElementById("loi");
  if (!summary) return;
  if (window.location.hash === "#loi") summary.focus();
  // A link of the summary puts the cursor in its field (the link alone only scrolls to it).
  summary.querySelectorAll('a[href^="#id_"]').forEach((link) => {
    link.addEventListener("click", () => {
      const field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) window.setTimeout(() => field.focus(), 0);
    });
  });
});
