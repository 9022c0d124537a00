/* kefu live updates (issue 13): the top-bar badge, the tab title and the watched lists refresh by
   themselves. Every page works without this file (a reload shows the same).

   Every `data-every` seconds the page asks `data-url` (the #live-poll element of the top bar) with the
   ETag it was last given in If-None-Match: 304 while nothing changed; else the badge, the unread count
   and the version of each list the page watches (elements with data-live-watch="<name>" and the
   data-live-version the page rendered them with). Only a list whose version moved is fetched again
   (HTMX, the list's own URL: the rows template). Hidden tabs do not poll; showing the tab polls at once. */
(function () {
  "use strict";

  var COUNT_PREFIX = /^\(\d+\+?\) /;
  var etag = "";
  var timer = null;
  var busy = false;

  function settings() {
    return document.getElementById("live-poll");
  }

  function watchedLists() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-live-watch]"));
  }

  // "(3) 我的工单 · kefu": the unread count before the page's own title
  function showCount(count) {
    var title = document.title.replace(COUNT_PREFIX, "");
    document.title = count > 0 ? "(" + (count > 99 ? "99+" : count) + ") " + title : title;
  }

  function countFromBadge() {
    var badge = document.getElementById("inbox-badge");
    if (badge) showCount(parseInt(badge.getAttribute("data-unread"), 10) || 0);
  }

  function refreshList(list, version) {
    list.setAttribute("data-live-version", version);
    if (!window.htmx) return;
    var url = list.getAttribute("data-live-url") || window.location.pathname + window.location.search;
    window.htmx.ajax("GET", url, { target: list, swap: "innerHTML" });
  }

  function apply(data) {
    var badge = document.getElementById("inbox-badge");
    if (badge && typeof data.badge === "string") badge.outerHTML = data.badge;
    showCount(data.unread);
    watchedLists().forEach(function (list) {
      var version = (data.versions || {})[list.getAttribute("data-live-watch")];
      if (version && version !== list.getAttribute("data-live-version")) refreshList(list, version);
    });
  }

  function poll() {
    var config = settings();
    if (!config || busy || document.hidden || !window.fetch) return;
    busy = true;
    var names = watchedLists().map(function (list) { return list.getAttribute("data-live-watch"); });
    var url = config.getAttribute("data-url");
    if (names.length) url += "?watch=" + encodeURIComponent(names.join(","));
    var headers = { Accept: "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    // no-store: the browser's cache stays out of it, so a 304 reaches this script as a 304
    window.fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.redirected) {  // signed out (idle timeout): the page itself goes to the login
          window.location.reload();
          return null;
        }
        if (response.status !== 200) return null;  // 304: nothing changed
        etag = response.headers.get("ETag") || "";
        return response.json();
      })
      .then(function (data) {
        if (data) apply(data);
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { busy = false; });
  }

  function stop() {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
  }

  function start() {
    var config = settings();
    if (!config) return;
    stop();
    var every = Math.min(30, Math.max(1, parseInt(config.getAttribute("data-every"), 10) || 15));
    timer = window.setInterval(poll, every * 1000);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      stop();
    } else {
      poll();
      start();
    }
  });

  // the badge swapped by a page's own HTMX answer (marking a message read): the title follows
  document.addEventListener("htmx:afterSettle", countFromBadge);

  function ready() {
    countFromBadge();
    if (!document.hidden) start();
  }

  if (document.readyState !== "loading") ready();
  else document.addEventListener("DOMContentLoaded", ready);
})();
