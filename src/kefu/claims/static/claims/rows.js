// 报备 forms with rows that grow: the deal's commission split (CLM-9) and the day's new customers
// (CLM-12). [data-rows] holds [data-row] rows and an [data-add-row] button that copies the last row
// empty; with data-total="<output id>" the [data-percent] inputs are summed as they are typed. The
// server checks everything itself (the split must total exactly 100%).
(function () {
  "use strict";
  document.querySelectorAll("[data-rows]").forEach(function (box) {
    var total = box.getAttribute("data-total") ? document.getElementById(box.getAttribute("data-total")) : null;
    function sum() {
      if (!total) return;
      var cents = 0;
      box.querySelectorAll("[data-percent]").forEach(function (input) {
        var value = parseFloat(input.value);
        if (!isNaN(value)) cents += Math.round(value * 100);
      });
      total.textContent = (cents / 100).toString();
      total.className = cents === 10000 ? "split-ok" : "split-off";
    }
    box.querySelector("[data-add-row]").addEventListener("click", function () {
      var rows = box.querySelectorAll("[data-row]");
      var row = rows[rows.length - 1].cloneNode(true);
      row.querySelectorAll("input, select").forEach(function (field) { field.value = ""; });
      rows[rows.length - 1].after(row);
      sum();
    });
    box.addEventListener("input", sum);
    sum();
  });
})();
