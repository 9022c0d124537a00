// Agent workbench (cases): keeps the server-rendered deadlines ticking, shows the chosen kind's own
// fields on the new-case form, and the keyboard shortcuts listed on each page (press "?").
// Every page works without this file; the server's time is the truth, this only re-renders it.
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

  function span(ms) {
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
    return words(d, h, m, minutes);
  }

  function tick() {
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var left = Date.parse(el.getAttribute("data-due")) - Date.now();
      if (left < 0) {
        el.textContent = zh ? "已超时 " + span(left) : "overdue by " + span(left);
        var clock = el.closest(".clock");
        if (clock) clock.classList.add("clock-overdue");
      } else {
        el.textContent = span(left);
      }
    });
  }
  setInterval(tick, 30000);

  // new case: only the chosen kind's own fields are shown (all are shown without script)
  function showKindFields() {
    var select = document.getElementById("case-kind");
    if (!select) return;
    document.querySelectorAll("[data-kind-fields]").forEach(function (box) {
      box.hidden = box.getAttribute("data-kind-fields") !== select.value;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "case-kind") showKindFields();
  });

  function typing(target) {
    var tag = (target.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function openAndFocus(boxId, fieldId) {
    var box = document.getElementById(boxId);
    if (!box) return false;
    if (box.tagName.toLowerCase() === "details") box.open = true;
    var field = document.getElementById(fieldId) || box.querySelector("input, textarea, select, button");
    if (field) {
      field.focus();
      box.scrollIntoView({ block: "nearest" });
    }
    return true;
  }

  function moveInQueue(step) {
    // 我的工单 (#queue) and 我的回访 (#revisits) alike: Enter then opens the focused row
    var links = Array.prototype.slice.call(document.querySelectorAll("#queue .queue-link, #revisits .queue-link"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = at < 0 ? 0 : Math.min(links.length - 1, Math.max(0, at + step));
    links[next].focus();
    document.querySelectorAll("tr.row-current").forEach(function (row) { row.classList.remove("row-current"); });
    var row = links[next].closest("tr");
    if (row) row.classList.add("row-current");
  }

  function transition(key) {
    var item = document.querySelector('.transition[data-key="' + key + '"]');
    if (!item) return;
    if (item.tagName.toLowerCase() === "details") {
      item.open = true;
      var field = item.querySelector("textarea, input:not([type=hidden]), select");
      (field || item.querySelector("summary")).focus();
    } else {
      item.querySelector("button").focus(); // a second Enter makes it: no accidental transitions
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && typing(event.target)) {
      event.target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key, done = true;
    if (key === "?") {
      var help = document.getElementById("shortcuts");
      if (help) help.open = !help.open;
    } else if (key === "/") {
      done =
        openAndFocus("queue-filters", "id_q") ||
        openAndFocus("customer-search", "find") ||
        openAndFocus("revisit-filters", "id_state");
    } else if (key === "n" && document.getElementById("new-case")) {
      window.location.href = document.getElementById("new-case").href;
    } else if (key === "j" || key === "k") {
      moveInQueue(key === "j" ? 1 : -1);
    } else if (key === "c") {
      done = openAndFocus("comment", "comment-body");
    } else if (key === "t") {
      done = openAndFocus("transfer", "transfer-owner");
    } else if (key === "e") {
      done = openAndFocus("escalate", "escalate-reason");
    } else if (key === "a") {
      done = openAndFocus("attachments", "attach-file");
    } else if (key === "g" && document.querySelector("[accesskey=g]")) {
      window.location.href = document.querySelector("[accesskey=g]").href;
    } else if (/^[1-9]$/.test(key)) {
      transition(key);
    } else {
      done = false;
    }
    if (done) event.preventDefault();
  });

  function ready() {
    showKindFields();
  }
  if (document.readyState !== "loading") ready();
  else document.addEventListener("DOMContentLoaded", ready);
})();
