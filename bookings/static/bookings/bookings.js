// Booking form. Without JavaScript every step works through the form's buttons; with it, choosing
// another venue shows its calendar at once, Enter in a detail field sends the booking (the form's
// first button, "Xem lịch trống", would otherwise take it), and the error summary takes the focus.
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
  if (summary && window.location.hash === "#loi") summary.focus();
});
