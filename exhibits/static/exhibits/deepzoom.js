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
    // Opened from "Tìm trong tư liệu này": the page to start at and the found words' boxes on it,
    // in the pixels of that page's picture.
    var start = Math.min(Math.max(parseInt(element.dataset.start || "0", 10) || 0, 0), sources.length - 1);
    var boxes = JSON.parse(element.dataset.boxes || "[]");
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
      keyboardNavEnabled: true,
      initialPage: start
    });
    element.viewer = viewer;
    if (boxes.length) {
      // OpenSeadragon removes the overlays when it opens another page: marked again on coming back.
      viewer.addHandler("open", function () {
        if ((sources.length > 1 ? viewer.currentPage() : 0) !== start) { return; }
        boxes.forEach(function (box) {
          var mark = document.createElement("div");
          mark.className = "deepzoom-hit";
          mark.setAttribute("data-deepzoom-hit", "");
          mark.title = element.dataset.hitLabel || "";
          viewer.addOverlay({
            element: mark,
            location: viewer.viewport.imageToViewportRectangle(box[0], box[1], box[2], box[3])
          });
        });
      });
    }

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
      show(start);
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
