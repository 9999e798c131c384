/* Deep zoom on the item page: OpenSeadragon over the IIIF tiles of the pictures and PDF pages
   (drag to move, pinch, wheel or the buttons to zoom; one page at a time, with the pager).
   Without JavaScript, or without OpenSeadragon, the plain pictures and links stay. */
(function () {
  "use strict";

  function setup(element) {
    if (!window.OpenSeadragon) { return; }
    var sources = JSON.parse(element.dataset.sources || "[]");
    if (!sources.length) { return; }
    var section = element.parentNode;
    OpenSeadragon.setString("Tooltips.ZoomIn", element.dataset.zoomIn);
    OpenSeadragon.setString("Tooltips.ZoomOut", element.dataset.zoomOut);
    OpenSeadragon.setString("Tooltips.Home", element.dataset.home);
    OpenSeadragon.setString("Tooltips.FullPage", element.dataset.fullPage);
    element.hidden = false;
    Array.prototype.forEach.call(section.querySelectorAll("[data-deepzoom-fallback]"), function (node) {
      node.hidden = true;
    });
    var viewer = OpenSeadragon({
      element: element,
      prefixUrl: element.dataset.prefix,
      tileSources: sources,
      sequenceMode: sources.length > 1,
      showSequenceControl: false,
      showRotationControl: false,
      drawer: "canvas",
      visibilityRatio: 0.8,
      maxZoomPixelRatio: 2,
      gestureSettingsTouch: { pinchToZoom: true, flickEnabled: true },
      keyboardNavEnabled: true
    });
    element.viewer = viewer;

    var pager = section.querySelector("[data-deepzoom-pager]");
    if (pager) {
      var number = pager.querySelector("[data-deepzoom-page]");
      var previous = pager.querySelector("[data-deepzoom-prev]");
      var next = pager.querySelector("[data-deepzoom-next]");
      var show = function (page) {
        number.textContent = String(page + 1);
        previous.disabled = page === 0;
        next.disabled = page === sources.length - 1;
      };
      previous.addEventListener("click", function () { viewer.goToPage(Math.max(0, viewer.currentPage() - 1)); });
      next.addEventListener("click", function () { viewer.goToPage(Math.min(sources.length - 1, viewer.currentPage() + 1)); });
      viewer.addHandler("page", function (event) { show(event.page); });
      pager.hidden = false;
      show(0);
    }
    Array.prototype.forEach.call(section.querySelectorAll("[data-viewer-thumb]"), function (thumb, index) {
      thumb.addEventListener("click", function () {
        if (index < sources.length) { viewer.goToPage(index); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-deepzoom]"), setup);
  });
})();
