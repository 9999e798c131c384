// Booking form: choosing another venue shows its calendar at once (the button does the same without JavaScript).
document.addEventListener("DOMContentLoaded", () => {
  const chooser = document.querySelector(".venue-chooser");
  if (!chooser) return;
  const select = chooser.querySelector("select[name=venue]");
  const monthInput = chooser.querySelector("input[name=month]");
  if (select) {
    select.addEventListener("change", () => {
      if (monthInput) monthInput.value = "";
      chooser.submit();
    });
  }
});
