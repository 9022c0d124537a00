/* kefu — small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    document.documentElement.classList.add("js");
    foldFilters();
  });

  // On a phone a list's filter form would fill the first screen: the fields after the first two fold
  // behind "more filters" unless one of them is in use. Without this file every field shows.
  function foldFilters() {
    if (!window.matchMedia || !window.matchMedia("(max-width: 720px)").matches) return;
    document.querySelectorAll("form.filters").forEach(function (form) {
      var more = form.querySelector(".filters-more");
      var rest = Array.prototype.slice.call(form.querySelectorAll(".filter-grid > .field"), 2);
      var inUse = rest.some(function (field) {
        var control = field.querySelector("input, select, textarea");
        return control && control.value !== "";
      });
      if (!more || !rest.length || inUse) return;
      form.classList.add("filters-folded");
      more.hidden = false;
      more.addEventListener("click", function () {
        var folded = form.classList.toggle("filters-folded");
        more.setAttribute("aria-expanded", folded ? "false" : "true");
      });
    });
  }

  // Selects marked .js-autosubmit submit their form on change (the language switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.classList && target.classList.contains("js-autosubmit") && target.form) {
      target.form.submit();
    }
  });

  // Forms marked .js-confirm ask first (revoke, reset password …).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList && form.classList.contains("js-confirm")) {
      var question = form.getAttribute("data-confirm") || "?";
      if (!window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }
  }, true);

  // Buttons marked .js-copy copy the text of the element named by data-copy-target.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".js-copy") : null;
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var label = button.getAttribute("data-copied-label");
      if (label) button.textContent = label;
    });
  });
})();
