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
  /* When the column is narrower than the chart (320 px), its frame scrolls sideways: then it
     is a named region that takes keyboard focus, so it can be scrolled without a mouse. */
  function scrollable(frame) {
    if (!frame) return;
    var canvas = frame.querySelector(".review-chart-canvas");
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
  window.addEventListener("resize", function () {
    document.querySelectorAll(".review-chart-frame").forEach(scrollable);
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
        scrollable(target.closest(".review-chart-frame"));
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
