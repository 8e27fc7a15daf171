/* Evidence map drill-down: selecting a bubble (or a "List cases" button in the map's data
   table) lists the cases behind that cell, each linked to its page. The cells' case lists
   come from the site's data file (window.reviewGapMap), so the page does not grow with the
   number of cases. Titles are inserted as text, never as HTML. */
(function () {
  "use strict";
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
    var data = window.reviewGapMap || { cells: {}, titles: {} };
    var ids = data.cells[key] || [];
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
      link.textContent = data.titles[id] || id;
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
  }
  function cellLabel(key) {
    var parts = key.split("|");
    return parts[1].replace(/_/g, " ") + " × " + parts[2].replace(/_/g, " ") +
      (parts[3] === "stated" ? " (stated only)" : "");
  }
  window.reviewGapMapView = function (view, target, rows) {
    var figure = target.closest("figure");
    view.addSignalListener("cell_" + rows, function (_name, value) {
      var key = value && value.key && value.key[0];
      if (key) show(figure, key, cellLabel(key));
    });
    var table = figure.querySelector("details table");
    if (!table) return;
    var header = table.querySelector("thead tr");
    var th = document.createElement("th");
    th.scope = "col";
    th.textContent = "Cases behind the cell";
    header.appendChild(th);
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var cells = row.querySelectorAll("td");
      var cell = document.createElement("td");
      var count = parseInt(cells[2].textContent, 10);
      if (count > 0) {
        var rowLabel = cells[0].textContent, outcomeLabel = cells[1].textContent;
        var codes = window.reviewGapMap.codes;
        var key = [rows, codes[rows][rowLabel], codes.outcomes[outcomeLabel], "all"].join("|");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "gap-map-button";
        button.textContent = "List cases";
        button.setAttribute("aria-label", "List the cases behind " + rowLabel + " and " + outcomeLabel);
        button.addEventListener("click", function () {
          show(figure, key, rowLabel + " × " + outcomeLabel);
          panel(figure).scrollIntoView({ block: "nearest" });
        });
        cell.appendChild(button);
      }
      row.appendChild(cell);
    });
  };
})();
