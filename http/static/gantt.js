// Drag and keyboard editing of the Gantt chart. The chart is drawn on the
// server; on a drop this script changes the item through the JSON API (with
// If-Match, so that a concurrent change is not overwritten) and then fetches
// the page again to show the recomputed schedule. Without it the page still
// shows the chart and the table.
(function () {
  "use strict";

  var board = document.getElementById("gantt-board");
  if (!board || board.getAttribute("data-editable") !== "true") return;
  var api = board.getAttribute("data-items-api");
  var status = document.getElementById("gantt-status");
  var DAY = 86400000;

  function say(msg, isError) {
    if (!status) return;
    status.textContent = msg;
    status.classList.toggle("error", !!isError);
  }

  function parseDate(s) {
    var p = s.split("-");
    return new Date(Date.UTC(+p[0], +p[1] - 1, +p[2]));
  }
  function fmt(d) { return d.toISOString().slice(0, 10); }
  function addDays(d, n) { return new Date(d.getTime() + n * DAY); }

  // The project's calendar as the server counts it (data-working-days, from
  // projectplan.Schedule.WorkingDays): working weekdays, and the dates that
  // are the other way round (holidays, worked weekend days). Without it,
  // Monday to Friday.
  var week = [false, true, true, true, true, true, false], flip = {};
  (function () {
    var raw = board.getAttribute("data-working-days");
    if (!raw) return;
    try {
      var c = JSON.parse(raw);
      if (c.week && c.week.length === 7 && c.week.indexOf(true) >= 0) week = c.week;
      (c.flip || []).forEach(function (d) { flip[d] = true; });
    } catch (_) { /* keep Monday to Friday */ }
  })();
  function isWorking(d) { var w = week[d.getUTCDay()]; return flip[fmt(d)] ? !w : w; }
  // skip moves d by step days until it is a working day (at most ten years:
  // a calendar cannot be all holidays for longer).
  function skip(d, step) {
    for (var i = 0; i < 3660 && !isWorking(d); i++) d = addDays(d, step);
    return d;
  }
  // Working days from a to b, both included.
  function workDays(a, b) {
    var n = 0;
    for (var d = a; d <= b; d = addDays(d, 1)) if (isWorking(d)) n++;
    return n;
  }
  // The date n working days after d (n >= 1 counts d itself when it is a working day).
  function addWorkDays(d, n) {
    d = skip(d, 1);
    for (var i = 1; i < n; i++) d = skip(addDays(d, 1), 1);
    return d;
  }

  function svg() { return board.querySelector("svg.gantt"); }
  function pxPerDay() { var s = svg(); return s ? +s.getAttribute("data-px-per-day") : 8; }
  function scale() {
    var s = svg(), m = s && s.getScreenCTM();
    return m && m.a ? m.a : 1;
  }

  // change returns the JSON merge patch for moving a bar by days, or for
  // changing its length (resize) by days.
  function change(g, days, resize) {
    var start = parseDate(g.getAttribute("data-start"));
    var finish = parseDate(g.getAttribute("data-finish"));
    var milestone = g.classList.contains("milestone");
    if (resize && !milestone) {
      var f = addDays(finish, days);
      if (f < start) f = start;
      while (!isWorking(f) && f > start) f = addDays(f, -1);
      var n = Math.max(1, workDays(start, f));
      return { duration_days: n, planned_finish: fmt(addWorkDays(start, n)) };
    }
    var s = addDays(start, days);
    s = skip(s, days < 0 ? -1 : 1);
    if (milestone) return { planned_start: fmt(s), planned_finish: fmt(s) };
    var len = Math.max(1, workDays(start, finish));
    return { planned_start: fmt(s), planned_finish: fmt(addWorkDays(s, len)) };
  }

  function patch(id, body) {
    var url = api + encodeURIComponent(id);
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("read " + r.status);
      var tag = r.headers.get("ETag");
      return fetch(url, {
        method: "PATCH",
        credentials: "same-origin",
        headers: { "Content-Type": "application/merge-patch+json", Accept: "application/json", "If-Match": tag },
        body: JSON.stringify(body)
      });
    }).then(function (r) {
      if (r.ok) return r.json();
      return r.json().catch(function () { return {}; }).then(function (p) {
        var e = new Error(p.detail || ("HTTP " + r.status));
        e.status = r.status;
        throw e;
      });
    });
  }

  // refresh fetches the page again and swaps in the new chart and table.
  function refresh(focusID) {
    board.classList.add("busy");
    return fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["gantt-board", "schedule-details"].forEach(function (id) {
          var fresh = doc.getElementById(id), old = document.getElementById(id);
          if (fresh && old) old.innerHTML = fresh.innerHTML;
        });
        var meta = doc.querySelector(".page-head .meta-line"), oldMeta = document.querySelector(".page-head .meta-line");
        if (meta && oldMeta) oldMeta.innerHTML = meta.innerHTML;
        if (focusID) {
          var g = board.querySelector('g.task[data-id="' + focusID + '"]');
          if (g) g.focus();
        }
      })
      .finally(function () { board.classList.remove("busy"); });
  }

  var busy = false;
  function apply(g, days, resize) {
    if (!days || busy) return;
    busy = true;
    var id = g.getAttribute("data-id");
    var label = (g.querySelector("title") || {}).textContent || "the item";
    label = label.split(":")[0];
    var body = change(g, days, resize);
    say("Saving " + label + "…");
    board.setAttribute("aria-busy", "true");
    return patch(id, body)
      .then(function () { return refresh(id); })
      .then(function () {
        say(resize ? label + ": length changed to " + body.duration_days + " working days; schedule recomputed."
                   : label + ": moved to start on " + body.planned_start + "; schedule recomputed.");
      })
      .catch(function (e) {
        say(e.status === 412 ? "Someone else changed " + label + " meanwhile; the chart shows the latest version. Try again."
                             : "Could not change " + label + ": " + e.message, true);
        return refresh(id);
      })
      .finally(function () { busy = false; board.removeAttribute("aria-busy"); });
  }

  // Pointer dragging: move a bar, or resize it from its right end.
  var drag = null;
  board.addEventListener("pointerdown", function (e) {
    if (e.button !== 0) return;
    var g = e.target.closest && e.target.closest("g.task.movable");
    if (!g) return;
    var bar = g.querySelector(".bar");
    drag = { g: g, x: e.clientX, dx: 0, resize: e.target.classList.contains("handle"), bar: bar,
             width: bar && bar.getAttribute("width"), id: e.pointerId };
    board.setPointerCapture(e.pointerId);
    g.classList.add("dragging");
    e.preventDefault();
  });
  board.addEventListener("pointermove", function (e) {
    if (!drag) return;
    drag.dx = (e.clientX - drag.x) / scale();
    var snap = Math.round(drag.dx / pxPerDay()) * pxPerDay();
    if (drag.resize && drag.width) {
      drag.bar.setAttribute("width", String(Math.max(pxPerDay(), +drag.width + snap)));
    } else {
      drag.g.setAttribute("transform", "translate(" + snap + ",0)");
    }
  });
  function end(e) {
    if (!drag) return;
    var d = drag;
    drag = null;
    try { board.releasePointerCapture(d.id); } catch (_) { /* already released */ }
    d.g.classList.remove("dragging");
    var days = Math.round(d.dx / pxPerDay());
    if (e.type === "pointercancel" || !days) {
      d.g.removeAttribute("transform");
      if (d.width) d.bar.setAttribute("width", d.width);
      return;
    }
    apply(d.g, days, d.resize);
  }
  board.addEventListener("pointerup", end);
  board.addEventListener("pointercancel", end);

  // Keyboard: arrows move a focused bar a day; with Shift they change its length.
  board.addEventListener("keydown", function (e) {
    var g = e.target.closest && e.target.closest("g.task.movable");
    if (!g || (e.key !== "ArrowLeft" && e.key !== "ArrowRight")) return;
    e.preventDefault();
    apply(g, e.key === "ArrowLeft" ? -1 : 1, e.shiftKey);
  });
})();
