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

  // Move focus to the first problem of a rejected form.
  var problem = document.querySelector("[aria-invalid=true]") || document.querySelector(".alert-error[role=alert]");
  if (problem && problem.focus) {
    if (!problem.hasAttribute("tabindex") && problem.tagName === "DIV") problem.setAttribute("tabindex", "-1");
    problem.focus();
  }
})();
