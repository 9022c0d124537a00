// EMG-4 command-centre page: the activation clock ticks every second; every 10 s the page asks the
// server whether anything changed and reloads when it did (not while someone is typing in a form).
(function () {
  "use strict";
  var page = document.getElementById("incident-page");
  if (!page) return;
  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
  var version = null;

  function span(ms) {
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
    if (zh) return (d ? d + " 天 " : "") + (d || h ? h + " 小时 " : "") + (minutes ? m + " 分" : "不到 1 分");
    return (d ? d + " d " : "") + (d || h ? h + " h " : "") + (minutes ? m + " min" : "under 1 min");
  }

  function tick() {
    document.querySelectorAll("[data-incident-due]").forEach(function (el) {
      var left = Date.parse(el.getAttribute("data-incident-due")) - Date.now();
      if (left < 0) {
        el.textContent = zh ? "已超时 " + span(left) : "overdue by " + span(left);
        var clock = el.closest(".clock");
        if (clock) clock.classList.add("clock-overdue");
      } else {
        el.textContent = zh ? "剩余 " + span(left) + " 须启动" : span(left) + " left to activate";
      }
    });
  }

  function busy() {
    var el = document.activeElement;
    var tag = el ? (el.tagName || "").toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select") return true;
    return Array.prototype.some.call(document.querySelectorAll("#incident-page ~ section textarea, #incident-page ~ section input[type=text]"), function (f) {
      return f.value !== "";
    });
  }

  function poll() {
    fetch(page.getAttribute("data-state-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        if (version !== null && data.version !== version && !busy()) window.location.reload();
        version = data.version;
      })
      .catch(function () {});
  }

  tick();
  poll();
  setInterval(tick, 1000);
  setInterval(poll, 10000);
})();
