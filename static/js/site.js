/* Menus and drawers that are open on wide screens and folded behind a button on phones
   (<details data-wide-open>). The stylesheet shows their content on wide screens already where the
   browser can style ::details-content; this opens them where it cannot. Without JavaScript each is
   a plain <details> that opens and closes with its button. */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 901px)");
  var folds = document.querySelectorAll("details[data-wide-open]");

  function fit() {
    Array.prototype.forEach.call(folds, function (fold) { fold.open = wide.matches; });
  }

  fit();
  if (wide.addEventListener) { wide.addEventListener("change", fit); }
})();

/* A print button (<button data-print hidden>) is shown only where it can work. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
