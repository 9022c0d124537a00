/* kefu — charts (issue 16). Each .chart-canvas names the <script type="application/json"> block holding
   its ECharts option (json_script: the CSP allows no inline script). The vendored ECharts draws it on a
   canvas; every chart also has its table in the page, so nothing is lost without this file. */
(function () {
  "use strict";

  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var charts = [];

  function withUnit(unit) {
    return function (value) {
      if (value === null || value === undefined || value === "") return "—";
      return unit ? value + " " + unit : String(value);
    };
  }

  function axisLabel(max) {
    return function (text) {
      text = String(text);
      return text.length > max ? text.slice(0, max) + "…" : text;
    };
  }

  function prepare(option, element) {
    option.animation = !reduced;
    if (option.legend && element.clientWidth < 480) {  // a phone: the legend keeps to one line
      option.legend.itemGap = 6;
      option.legend.itemWidth = 14;
      option.legend.textStyle = { fontSize: 11 };
    }
    option.textStyle = { fontFamily: "inherit" };
    if (option.tooltip) {
      option.tooltip.valueFormatter = withUnit(option.tooltip.unit || "");
      delete option.tooltip.unit;
      option.tooltip.confine = true;
    }
    if (option.xAxis && option.xAxis.axisLabel && option.xAxis.axisLabel.maxChars) {
      option.xAxis.axisLabel.formatter = axisLabel(option.xAxis.axisLabel.maxChars);
      delete option.xAxis.axisLabel.maxChars;
    }
    return option;
  }

  function start() {
    if (!window.echarts) return;
    document.querySelectorAll(".chart-canvas").forEach(function (element) {
      if (element.getAttribute("data-chart-ready")) return;
      var source = document.getElementById(element.getAttribute("data-chart-source"));
      if (!source) return;
      var option;
      try {
        option = JSON.parse(source.textContent);
      } catch (error) {
        return;
      }
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(prepare(option, element));
      element.setAttribute("data-chart-ready", "1");
      charts.push(chart);
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      charts.forEach(function (chart) { chart.resize(); });
    }, 120);
  });

  if (document.readyState !== "loading") start();
  else document.addEventListener("DOMContentLoaded", start);
  // a list swapped in by HTMX may bring a chart with it
  document.addEventListener("htmx:afterSettle", start);
})();
