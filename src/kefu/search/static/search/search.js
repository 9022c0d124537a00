// The top bar's search (issue 13): "/" focuses it, unless one is typing in a field or the page has
// its own search that took the key first (我的工单, 新建工单: workbench.js, which runs before this).
(function () {
  "use strict";

  function typing(target) {
    var tag = (target.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  // on window: after the page's own listeners on document
  window.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.defaultPrevented) return;
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var field = document.getElementById("topbar-search");
    if (!field) return;
    event.preventDefault();
    if (field.offsetParent === null) {
      window.location.href = field.form.action; // a phone: the field is folded, the page has one
      return;
    }
    field.focus();
    field.select();
  });
})();
