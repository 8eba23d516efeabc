// Eligibility shortlist: "select all on this page". Delegated, so it also works on a shortlist
// that htmx swapped in; guarded, because the fragment loads this file each time it is swapped.
if (!window.rantauShortlist) {
  window.rantauShortlist = true;
  document.addEventListener("change", (event) => {
    const all = event.target.closest("[data-select-all]");
    if (!all) return;
    all.form.querySelectorAll('input[name="candidates"]').forEach((box) => {
      box.checked = all.checked;
    });
  });
}
