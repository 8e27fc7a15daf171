/* The case browser: a paged, filterable table of every case. Its rows come from the site's
   data file (window.reviewCases, a script, so it also works from the file system); every cell
   is rendered as text, never as HTML. Filters are native selects and a search box, so the
   whole browser works by keyboard. */
(function () {
  "use strict";
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  function start() {
  var data = window.reviewCases;
  var root = document.querySelector(".review-case-browser");
  if (!data || !root || !window.DataTable) return;
  var at = {};
  data.columns.forEach(function (name, i) { at[name] = i; });
  var multi = { sectors: true, roles: true, outcomes: true };
  var text = window.DataTable.render.text();
  function link(id, title) {
    var a = document.createElement("a");
    a.href = "cases/" + encodeURIComponent(id) + ".html";
    a.textContent = title;
    return a.outerHTML;
  }
  // Every column is declared text: DataTables would otherwise guess each column's type by
  // reading every row, which took over a second at 10,000 cases (benchmarks/results.md).
  var table = new window.DataTable("#case-browser", {
    data: data.rows,
    deferRender: true,
    autoWidth: false,
    pageLength: 25,
    lengthMenu: [10, 25, 50, 100],
    order: [[0, "asc"]],
    layout: { topStart: "pageLength", topEnd: null, bottomStart: "info", bottomEnd: "paging" },
    language: { info: "Cases _START_ to _END_ of _TOTAL_", infoFiltered: "(filtered from _MAX_)",
                lengthMenu: "_MENU_ cases per page", zeroRecords: "No case matches these filters." },
    columns: [
      { type: "string", title: "Case", data: at.title, render: function (value, type, row) {
          return type === "display" ? link(row[at.id], value) : value; } },
      { type: "string", title: "Country", data: at.country, render: text },
      { type: "string", title: "Sectors", data: at.sectors, render: text },
      { type: "string", title: "Year", data: at.year, render: text, className: "dt-left" },
      { type: "string", title: "Roles", data: at.roles, render: text },
      { type: "string", title: "Outcomes", data: at.outcomes, render: text }
    ]
  });
  var filters = root.querySelectorAll("select[data-column]");
  filters.forEach(function (select) {
    var column = select.dataset.column, seen = {};
    data.rows.forEach(function (row) {
      var value = row[at[column]] || "";
      (multi[column] ? value.split("; ") : [value]).forEach(function (part) {
        if (part && part !== "none reported") seen[part] = true;
      });
    });
    Object.keys(seen).sort().forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    });
    select.addEventListener("change", function () { table.draw(); });
  });
  window.DataTable.ext.search.push(function (settings, searchData, index, row) {
    if (settings.nTable.id !== "case-browser") return true;
    for (var i = 0; i < filters.length; i++) {
      var wanted = filters[i].value, column = filters[i].dataset.column;
      if (!wanted) continue;
      var value = row[at[column]] || "";
      var parts = multi[column] ? value.split("; ") : [value];
      if (parts.indexOf(wanted) < 0) return false;
    }
    return true;
  });
  var search = root.querySelector('input[type="search"]');
  search.addEventListener("input", function () { table.search(search.value).draw(); });
  var count = root.querySelector(".case-count");
  table.on("draw", function () {
    var shown = table.rows({ search: "applied" }).count();
    count.textContent = shown + " of " + data.rows.length + " cases shown";
  });
  table.draw();
  }
})();
