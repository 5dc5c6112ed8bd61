// clearspace console, labelling lane: a = abusive, n = not abusive, s = skip. The page works without it.
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var target = document.querySelector('[data-label-key="' + e.key + '"]');
    if (target) { e.preventDefault(); e.stopImmediatePropagation(); target.click(); }
  }, true);
})();
