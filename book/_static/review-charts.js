/* Draw every chart of the page with the vendored vega-embed. Each chart's spec sits in a
   <script type="application/json" class="review-chart-spec">; a chart that needs the world
   atlas gets it from the vendored script (window.worldAtlas), so the map also draws when the
   site is opened from the file system. */
(function () {
  "use strict";
  function withAtlas(node) {
    if (Array.isArray(node)) { node.forEach(withAtlas); return; }
    if (!node || typeof node !== "object") return;
    if (node.data && node.data.name === "world-atlas") {
      node.data = { values: window.worldAtlas, format: node.data.format };
    }
    Object.keys(node).forEach(function (key) { withAtlas(node[key]); });
  }
  /* A chart's controls (the evidence map's radio buttons) as a named group, not loose radios. */
  function nameBindings(target) {
    target.querySelectorAll(".vega-bind").forEach(function (bind, i) {
      var name = bind.querySelector(".vega-bind-name"), radios = bind.querySelector(".vega-bind-radio");
      if (!name || !radios) return;
      name.id = name.id || target.id + "-bind-" + i;
      radios.setAttribute("role", "radiogroup");
      radios.setAttribute("aria-labelledby", name.id);
    });
  }
  /* A chart is laid out at least 340 px wide (its labels and legends need it). In a narrower
     column (320 px, that is 400 % zoom) it is shown scaled down to the column, so the page never
     scrolls sideways and nothing is cut off; Vega finds its marks by DOM target, so clicks and
     tooltips still land. Where a browser cannot scale (no CSS zoom), the frame scrolls instead
     and becomes a named region that takes keyboard focus. */
  function fit(frame) {
    if (!frame) return;
    var canvas = frame.querySelector(".review-chart-canvas");
    canvas.style.zoom = "";
    var room = frame.clientWidth, needed = canvas.offsetWidth;
    if (needed > room + 1) canvas.style.zoom = String(room / needed);
    if (frame.scrollWidth > frame.clientWidth + 1) {
      frame.setAttribute("tabindex", "0");
      frame.setAttribute("role", "region");
      frame.setAttribute("aria-labelledby", canvas.getAttribute("aria-labelledby"));
    } else {
      frame.removeAttribute("tabindex");
      frame.removeAttribute("role");
      frame.removeAttribute("aria-labelledby");
    }
  }
  /* Vega measures its column at the moment of a window resize, before the theme's layout has
     settled (390 -> 1280 px drew a 1632 px chart); once resizing stops, each chart takes its
     column's settled width. */
  function settle() {
    document.querySelectorAll(".review-chart-canvas").forEach(function (canvas) {
      var view = canvas.reviewView;
      if (!view) return;
      var style = getComputedStyle(canvas);
      var width = canvas.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (width > 0 && Math.abs(view.width() - width) > 1) {
        view.width(width).runAsync().then(function () { fit(canvas.closest(".review-chart-frame")); });
      }
    });
  }
  var settling = null;
  window.addEventListener("resize", function () {
    document.querySelectorAll(".review-chart-frame").forEach(fit);
    clearTimeout(settling);
    settling = setTimeout(settle, 250);
  });
  function draw() {
    document.querySelectorAll("script.review-chart-spec").forEach(function (holder) {
      var target = document.getElementById(holder.dataset.target);
      if (!target || !window.vegaEmbed) return;
      var spec = JSON.parse(holder.textContent);
      var needs = target.dataset.needs || "";
      if (needs === "world-atlas") {
        if (!window.worldAtlas) { target.textContent = "The map data did not load."; return; }
        withAtlas(spec);
      }
      window.vegaEmbed(target, spec, { actions: false, renderer: "svg" }).then(function (result) {
        target.reviewView = result.view;
        var svg = target.querySelector("svg");
        if (svg) { svg.setAttribute("aria-hidden", "true"); svg.setAttribute("focusable", "false"); }
        nameBindings(target);
        fit(target.closest(".review-chart-frame"));
        if (needs.indexOf("gap-map:") === 0 && window.reviewGapMapView) {
          window.reviewGapMapView(result.view, target, needs.slice(8));
        }
      }).catch(function (error) {
        target.textContent = "The chart could not be drawn (" + error.message + "); its data is in the table below.";
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
