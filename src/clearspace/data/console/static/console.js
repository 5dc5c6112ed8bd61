// clearspace console: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  // SLA timers: "3 h 12 min" left (units from the page, in its language), or overdue.
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time.sla[data-due]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-due"));
      if (isNaN(due)) return;
      var left = Math.round((due - now) / 60000), abs = Math.abs(left);
      var h = el.getAttribute("data-unit-h") || "h", m = el.getAttribute("data-unit-min") || "m";
      var text = (abs >= 60 ? Math.floor(abs / 60) + " " + h + " " : "") + (abs % 60) + " " + m;
      el.textContent = left < 0 ? el.getAttribute("data-overdue-text") + " " + text : text;
      el.classList.toggle("late", left < 0);
    });
  }
  // Masked slurs: click or Enter reveals one.
  document.addEventListener("click", function (e) {
    var m = e.target.closest && e.target.closest("mark.slur");
    if (m) m.classList.add("revealed");
  });
  // Statement templates fill the editable text.
  document.addEventListener("change", function (e) {
    var sel = e.target;
    if (sel.matches && sel.matches("select[data-fills]") && sel.value) {
      var box = document.getElementById(sel.getAttribute("data-fills"));
      if (box) box.value = sel.value;
      var opt = sel.options[sel.selectedIndex], cat = document.getElementById("category");
      if (cat && opt && opt.getAttribute("data-category")) cat.value = opt.getAttribute("data-category");
    }
  });
  // Keyboard shortcuts.
  var rows = [], current = -1;
  function select(i) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, j) { r.classList.toggle("selected", j === current); });
    rows[current].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      var form = document.getElementById("decide-form");
      if (form) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.submit(); }
      return;
    }
    if (e.key === "Enter" && e.target.matches && e.target.matches("mark.slur")) { e.target.classList.add("revealed"); return; }
    if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    var action = document.querySelector('input[data-action-key="' + e.key + '"]');
    if (action) { action.checked = true; var box = document.getElementById("explanation"); if (box) box.focus(); e.preventDefault(); return; }
    if (e.key === "j") select(current + 1);
    else if (e.key === "k") select(current - 1);
    else if (e.key === "Enter" && current >= 0) window.location = rows[current].getAttribute("data-href");
    else if (e.key === "c") {
      var claim = current >= 0 ? rows[current].querySelector("button[data-claim]") : document.querySelector('[data-key="c"]');
      if (claim) claim.click();
    } else if (e.key === "n") { var next = document.querySelector('[data-key="n"]'); if (next) next.click(); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    rows = Array.prototype.slice.call(document.querySelectorAll("table[data-nav-table] tr[data-row]"));
    tick(); setInterval(tick, 30000);
  });
})();
