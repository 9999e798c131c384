/* Counts the page once it has loaded: posts the page's signed token to the counter. No cookie is
   set and nothing is sent to anyone else; without JavaScript the page is simply not counted. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var url = script.getAttribute("data-usage-url");
  var data = new FormData();
  data.append("t", script.getAttribute("data-usage-token"));
  if (navigator.sendBeacon && navigator.sendBeacon(url, data)) { return; }
  if (window.fetch) { fetch(url, { method: "POST", body: data, credentials: "same-origin", keepalive: true }); }
})();
