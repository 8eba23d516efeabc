// Agreement move form: show only the skipped stages the chosen move passes over (the service checks
// them either way; without this script every row stays visible).
(function () {
  "use strict";
  document.querySelectorAll("[data-testid=move-form]").forEach(function (form) {
    var select = form.querySelector("select[name=stage]");
    var fieldset = form.querySelector("[data-passed-over]");
    if (!select || !fieldset) return;
    function update() {
      var shown = 0;
      fieldset.querySelectorAll("[data-passed-over-stage]").forEach(function (row) {
        var skipped = row.dataset.skippedBy.split(" ").indexOf(select.value) !== -1;
        row.hidden = !skipped;
        if (skipped) shown += 1;
      });
      fieldset.hidden = shown === 0;
    }
    select.addEventListener("change", update);
    update();
  });
})();
