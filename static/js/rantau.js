// Rantau: small progressive enhancements. Pages work without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Auto-submit filter forms when a select changes (data-autosubmit on the form).
  document.querySelectorAll("form[data-autosubmit] select").forEach((el) => {
    el.addEventListener("change", () => el.form.requestSubmit());
  });
});
