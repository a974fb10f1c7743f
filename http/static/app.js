// Tandem's progressive enhancement. Every page works without it.
(function () {
  "use strict";

  // Ask before destructive posts (forms marked data-confirm).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var msg = form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
    }
  });

  // Filters apply as soon as a select changes.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    sel.addEventListener("change", function () {
      if (sel.form) sel.form.requestSubmit ? sel.form.requestSubmit() : sel.form.submit();
    });
  });

  // On narrow screens the sidebar's navigation folds behind a menu button.
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("workspace-nav");
  if (toggle && nav) {
    toggle.hidden = false;
    document.documentElement.classList.add("js-nav");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("open", !open);
    });
  }

  // Long lists of items (select[data-picker]) get a box above them that
  // narrows the list as one types: every word must appear in the item's
  // title, kind or group (its project). The select stays the form field.
  document.querySelectorAll("select[data-picker]").forEach(function (sel) {
    var box = document.createElement("input");
    box.type = "search";
    box.id = sel.id + "-filter";
    box.className = "picker-filter";
    box.placeholder = "Type to filter…";
    box.autocomplete = "off";
    box.setAttribute("aria-label", "Filter the list of items");
    box.setAttribute("aria-controls", sel.id);
    var status = document.createElement("p");
    status.className = "small muted picker-status";
    status.setAttribute("aria-live", "polite");
    sel.parentNode.insertBefore(box, sel);
    sel.parentNode.insertBefore(status, sel.nextSibling);
    sel.size = Math.min(8, Math.max(2, sel.options.length));
    var options = Array.prototype.slice.call(sel.options);
    var groups = Array.prototype.slice.call(sel.querySelectorAll("optgroup"));
    function apply() {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0, first = null;
      options.forEach(function (o) {
        if (!o.value) { o.hidden = words.length > 0; return; }
        var text = (o.textContent + " " + (o.parentNode.label || "")).toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        o.hidden = !ok;
        if (ok) { shown++; if (!first) first = o; }
      });
      groups.forEach(function (g) {
        g.hidden = !Array.prototype.some.call(g.children, function (o) { return !o.hidden; });
      });
      var cur = sel.options[sel.selectedIndex];
      if (words.length && (!cur || cur.hidden || !cur.value)) {
        if (first) first.selected = true; else sel.value = "";
      }
      status.textContent = words.length ? (shown === 1 ? "1 item matches." : shown + " items match.") : "";
    }
    box.addEventListener("input", apply);
    box.addEventListener("keydown", function (e) {
      // Enter picks the first match instead of sending the form; the arrow
      // keys move into the list.
      if (e.key === "Enter") { e.preventDefault(); apply(); sel.focus(); }
      if (e.key === "ArrowDown") { e.preventDefault(); sel.focus(); }
    });
  });

  // Live updates. A page that names the workspace's event stream
  // (data-events) and its live regions (data-live: CSS selectors split by
  // "|") fetches itself again shortly after a change anywhere in the
  // workspace and swaps in those regions, except one the user is working
  // in (it holds the focus or an open disclosure).
  var live = document.querySelector("[data-events][data-live]");
  if (live && window.EventSource && window.fetch && window.DOMParser) {
    var selectors = live.getAttribute("data-live").split("|");
    var pending = null;
    var refresh = function () {
      pending = null;
      fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          selectors.forEach(function (sel) {
            var cur = document.querySelector(sel), fresh = doc.querySelector(sel);
            if (!cur || !fresh || cur.innerHTML === fresh.innerHTML) return;
            if (cur.contains(document.activeElement) || cur.querySelector("details[open]")) return;
            cur.innerHTML = fresh.innerHTML;
          });
          document.documentElement.setAttribute("data-live-refreshed", String(Date.now()));
        })
        .catch(function () {});
    };
    var events = new EventSource(live.getAttribute("data-events"));
    events.addEventListener("activity", function () {
      if (pending) clearTimeout(pending);
      pending = setTimeout(refresh, 250);
    });
    window.addEventListener("pagehide", function () { events.close(); });
  }

  // Move focus to the first problem of a rejected form.
  var problem = document.querySelector("[aria-invalid=true]") || document.querySelector(".alert-error[role=alert]");
  if (problem && problem.focus) {
    if (!problem.hasAttribute("tabindex") && problem.tagName === "DIV") problem.setAttribute("tabindex", "-1");
    problem.focus();
  }
})();
