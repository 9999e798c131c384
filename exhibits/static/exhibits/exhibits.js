/* Image viewer of the item page: gallery thumbnails swap the main picture; the main picture opens
   a zoom view (buttons, + and - keys, Escape to close). Without JavaScript every picture is a plain
   link to its large image. */
(function () {
  "use strict";
  var lang = document.documentElement.lang === "en" ? "en" : "vi";
  var words = {
    vi: { zoomIn: "Phóng to", zoomOut: "Thu nhỏ", reset: "Vừa khung", close: "Đóng", label: "Xem ảnh phóng to" },
    en: { zoomIn: "Zoom in", zoomOut: "Zoom out", reset: "Fit", close: "Close", label: "Zoomed image" }
  }[lang];

  function button(text, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function setupViewer(viewer) {
    var mainLink = viewer.querySelector("[data-viewer-main]");
    if (!mainLink) { return; }
    var mainImg = mainLink.querySelector("img");
    var caption = viewer.querySelector("[data-viewer-caption]");
    var thumbs = viewer.querySelectorAll("[data-viewer-thumb]");

    Array.prototype.forEach.call(thumbs, function (thumb) {
      thumb.addEventListener("click", function (event) {
        event.preventDefault();
        mainImg.src = thumb.dataset.src;
        if (thumb.dataset.srcset) { mainImg.srcset = thumb.dataset.srcset; } else { mainImg.removeAttribute("srcset"); }
        if (thumb.dataset.width) { mainImg.width = thumb.dataset.width; mainImg.height = thumb.dataset.height; }
        mainImg.alt = thumb.dataset.alt || "";
        mainLink.href = thumb.href;
        if (caption) {
          var link = caption.querySelector("a");
          if (link) { link.href = thumb.href; }
          caption.firstChild.nodeValue = thumb.dataset.caption ? thumb.dataset.caption + " · " : "";
        }
        Array.prototype.forEach.call(thumbs, function (t) { t.removeAttribute("aria-current"); });
        thumb.setAttribute("aria-current", "true");
      });
    });

    var overlay = document.createElement("div");
    overlay.className = "viewer-zoom";
    overlay.hidden = true;
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", words.label);
    var bar = document.createElement("div");
    bar.className = "viewer-zoom-bar";
    var stage = document.createElement("div");
    stage.className = "viewer-zoom-stage";
    var big = document.createElement("img");
    big.alt = "";
    stage.appendChild(big);
    var scale = 1;
    function apply() { big.style.transform = "scale(" + scale + ")"; }
    function zoom(by) { scale = Math.min(6, Math.max(0.25, scale * by)); apply(); }
    var closeButton = button(words.close, close);
    bar.appendChild(button(words.zoomOut, function () { zoom(1 / 1.5); }));
    bar.appendChild(button(words.reset, function () { scale = 1; apply(); }));
    bar.appendChild(button(words.zoomIn, function () { zoom(1.5); }));
    bar.appendChild(closeButton);
    overlay.appendChild(bar);
    overlay.appendChild(stage);
    document.body.appendChild(overlay);

    function open(event) {
      event.preventDefault();
      big.src = mainLink.href;
      big.alt = mainImg.alt;
      scale = 1;
      apply();
      overlay.hidden = false;
      closeButton.focus();
    }
    function close() {
      overlay.hidden = true;
      mainLink.focus();
    }
    mainLink.addEventListener("click", open);
    overlay.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); }
      else if (event.key === "+" || event.key === "=") { zoom(1.5); }
      else if (event.key === "-") { zoom(1 / 1.5); }
      else if (event.key === "Tab") {
        var buttons = bar.querySelectorAll("button");
        var first = buttons[0], last = buttons[buttons.length - 1];
        if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
        else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-viewer]"), setupViewer);
  });
})();
