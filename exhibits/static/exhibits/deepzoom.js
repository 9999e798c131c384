/* Deep zoom on the item page: OpenSeadragon over the IIIF tiles of the pictures and PDF pages
   (drag to move, pinch, wheel or the buttons to zoom; one page at a time, with the pager).
   Without JavaScript, or without OpenSeadragon, the plain pictures and links stay. */
(function () {
  "use strict";

  // The part of the page to show around the found words' boxes (picture pixels): their union,
  // widened to two fifths of the page's width at least and centred on them, kept inside the page; in the
  // viewport's coordinates.
  function around(boxes, size, viewport) {
    var left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    boxes.forEach(function (box) {
      left = Math.min(left, box[0]); top = Math.min(top, box[1]);
      right = Math.max(right, box[0] + box[2]); bottom = Math.max(bottom, box[1] + box[3]);
    });
    var width = Math.min(size.x, Math.max((right - left) * 1.5, size.x * 0.4));
    var height = Math.min(size.y, Math.max((bottom - top) * 3, width / 4));
    var x = Math.min(Math.max((left + right - width) / 2, 0), size.x - width);
    var y = Math.min(Math.max((top + bottom - height) / 2, 0), size.y - height);
    return viewport.imageToViewportRectangle(x, y, width, height);
  }

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
      var zoomed = false;
      // OpenSeadragon removes the overlays when it opens another page: marked again on coming back.
      viewer.addHandler("open", function () {
        if ((sources.length > 1 ? viewer.currentPage() : 0) !== start) { return; }
        if (!zoomed) {
          // The first time only: the words in view at a size that reads, with their line around
          // them (a whole A4 page fitted to a phone's width makes its text a few pixels high).
          zoomed = true;
          viewer.viewport.fitBoundsWithConstraints(around(boxes, viewer.world.getItemAt(0).getContentSize(), viewer.viewport), true);
        }
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
