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
