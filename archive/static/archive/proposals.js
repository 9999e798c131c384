/* The item form's proposals read from the first page (archive.admin_pages.proposals_panel): a click
   on "Nhận" copies one proposal into its field, and nothing else; the cataloguer then saves. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-proposal-field]");
    if (!button) { return; }
    var field = document.getElementById("id_" + button.dataset.proposalField);
    if (!field) { return; }
    var value = button.dataset.proposalValue;
    if (field.tagName === "SELECT" && !Array.prototype.some.call(field.options, function (o) { return o.value === value; })) {
      field.appendChild(new Option(button.dataset.proposalShown, value, true, true));  // an autocomplete's choice
    }
    field.value = value;
    field.dispatchEvent(new Event("change", { bubbles: true }));
    button.disabled = true;
    button.textContent = button.dataset.proposalDone || "✓";
  });
})();
