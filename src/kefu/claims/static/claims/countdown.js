// 我的报备: keep the server-rendered countdowns ticking (the server text stays correct without it).
(function () {
  "use strict";
  var zh = (document.documentElement.lang || "zh-hans").indexOf("zh") === 0;
  function render(el) {
    var left = Math.max(0, Date.parse(el.getAttribute("data-until")) - Date.now());
    var minutes = Math.floor(left / 60000);
    var d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
    el.textContent = zh ? d + " 天 " + h + " 小时 " + m + " 分" : d + " d " + h + " h " + m + " min";
  }
  function tick() {
    document.querySelectorAll("[data-until]").forEach(render);
  }
  setInterval(tick, 30000);
})();
