// 我的报备: keep the server-rendered countdowns ticking (the server text stays correct without it).
(function () {
  "use strict";
  var zh = (document.documentElement.lang || "zh-hans").indexOf("zh") === 0;
  // as the server's remaining_text: no leading zero units
  function words(d, h, m, minutes) {
    if (d) return zh ? d + " 天 " + h + " 小时 " + m + " 分" : d + " d " + h + " h " + m + " min";
    if (h) return zh ? h + " 小时 " + m + " 分" : h + " h " + m + " min";
    if (minutes) return zh ? m + " 分" : m + " min";
    return zh ? "不到 1 分" : "under 1 min";
  }
  function render(el) {
    var left = Math.max(0, Date.parse(el.getAttribute("data-until")) - Date.now());
    var minutes = Math.floor(left / 60000);
    var d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
    el.textContent = words(d, h, m, minutes);
  }
  function tick() {
    document.querySelectorAll("[data-until]").forEach(render);
  }
  setInterval(tick, 30000);
})();
