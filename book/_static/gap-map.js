/* Evidence map drill-down: selecting a bubble, or a count in the map's data table, lists the
   cases behind that cell, each linked to its page. The cells' case lists come from the
   site's data file (window.reviewGapMap), so the page does not grow with the number of
   cases. Titles are inserted as text, never as HTML. */
(function () {
  "use strict";
  function data() { return window.reviewGapMap || { cells: {}, titles: {}, codes: {} }; }
  function keyOf(rows, rowLabel, outcomeLabel, evidence) {
    var codes = data().codes;
    return [rows, (codes[rows] || {})[rowLabel], (codes.outcomes || {})[outcomeLabel],
            evidence === "Stated only" ? "stated" : "all"].join("|");
  }
  function panel(figure) {
    var box = figure.querySelector(".gap-map-cases");
    if (!box) {
      box = document.createElement("div");
      box.className = "gap-map-cases";
      box.setAttribute("aria-live", "polite");
      figure.insertBefore(box, figure.querySelector("figcaption"));
    }
    return box;
  }
  function show(figure, key, label) {
    var ids = data().cells[key] || [];
    var box = panel(figure);
    box.textContent = "";
    box.dataset.key = key;
    var heading = document.createElement("p");
    heading.className = "gap-map-heading";
    heading.textContent = label + ": " + ids.length + (ids.length === 1 ? " case" : " cases");
    box.appendChild(heading);
    var list = document.createElement("ul");
    list.className = "gap-map-list";
    ids.forEach(function (id) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "cases/" + encodeURIComponent(id) + ".html";
      link.textContent = data().titles[id] || id;
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
  }
  window.reviewGapMapView = function (view, target, rows) {
    var figure = target.closest("figure");
    view.addSignalListener("cell_" + rows, function (_name, value) {
      if (!value || !value.row_label) return;
      var row = value.row_label[0], outcome = value.outcome_label[0], evidence = value.evidence[0];
      show(figure, keyOf(rows, row, outcome, evidence), row + " × " + outcome +
           (evidence === "Stated only" ? " (stated only)" : ""));
    });
    var table = figure.querySelector("details table");
    if (!table) return;
    var outcomes = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent;
    });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      var cells = tr.querySelectorAll("td");
      var rowLabel = cells[0].textContent;
      for (var i = 1; i < cells.length; i++) {
        var count = parseInt(cells[i].textContent, 10);
        if (!(count > 0)) continue;
        var outcomeLabel = outcomes[i], cell = cells[i], text = cell.textContent;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "gap-map-button";
        button.textContent = text;
        button.setAttribute("aria-label", "List the " + count + " cases behind " + rowLabel +
                            " and " + outcomeLabel);
        (function (key, label) {
          button.addEventListener("click", function () {
            show(figure, key, label);
            panel(figure).scrollIntoView({ block: "nearest" });
          });
        })(keyOf(rows, rowLabel, outcomeLabel, "All evidence"), rowLabel + " × " + outcomeLabel);
        cell.textContent = "";
        cell.appendChild(button);
      }
    });
  };
})();
