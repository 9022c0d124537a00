// 签单 form (CLM-9): add split rows and show the running total; the server checks the 100% itself.
(function () {
  "use strict";
  var box = document.getElementById("split");
  if (!box) return;
  var total = document.getElementById("split-total");
  function sum() {
    var cents = 0;
    box.querySelectorAll("input[name=share_percent]").forEach(function (input) {
      var value = parseFloat(input.value);
      if (!isNaN(value)) cents += Math.round(value * 100);
    });
    total.textContent = (cents / 100).toString();
    total.className = cents === 10000 ? "split-ok" : "split-off";
  }
  document.getElementById("split-add").addEventListener("click", function () {
    var rows = box.querySelectorAll(".split-row");
    var row = rows[rows.length - 1].cloneNode(true);
    row.querySelector("select").value = "";
    row.querySelector("input").value = "";
    rows[rows.length - 1].after(row);
  });
  box.addEventListener("input", sum);
  sum();
})();
