// On a narrow screen the filter bar folds behind its "Filters" button.
(function () {
  "use strict";
  const toggle = document.getElementById("filters-toggle");
  const bar = document.getElementById("filters");
  if (!toggle || !bar) return;
  toggle.addEventListener("click", () => {
    const open = bar.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
