// The case kind's field editor (CASE-1): [data-field-rows] holds [data-field-row] rows and a
// [data-add-field] button that appends an empty copy of the last row. The server checks every row.
(function () {
  "use strict";
  document.querySelectorAll("[data-field-rows]").forEach(function (box) {
    box.querySelector("[data-add-field]").addEventListener("click", function () {
      var rows = box.querySelectorAll("[data-field-row]");
      var row = rows[rows.length - 1].cloneNode(true);
      row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      row.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
      rows[rows.length - 1].after(row);
    });
  });
})();
