// New-candidate form: once a whole NIK is typed, ask the server what it encodes (the same check that
// validates it) and fill sex, birth date and kecamatan where they are still empty. Still editable; the
// mismatch warning on save stays. The NIK is POSTed, never put into a URL.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-nik-decode]");
  if (!form) return;
  const nik = form.querySelector("#id_nik");
  const token = form.querySelector("input[name=csrfmiddlewaretoken]");
  const fill = (id, value) => {
    const field = form.querySelector(id);
    if (!field || !value || field.value) return;
    field.value = value;
    field.dispatchEvent(new Event("change", { bubbles: true })); // the kecamatan loads its kelurahan list
  };
  const decode = () => {
    const digits = nik.value.replace(/[\s.\-]/g, "");
    if (!/^\d{16}$/.test(digits)) return;
    const body = new URLSearchParams({ nik: digits });
    fetch(form.dataset.nikDecode, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": token.value },
      credentials: "same-origin",
    })
      .then((response) => (response.ok ? response.json() : {}))
      .then((decoded) => {
        fill("#id_sex", decoded.sex);
        fill("#id_birth_date", decoded.birth_date);
        fill("#id_kecamatan_code", decoded.kecamatan_code);
      })
      .catch(() => {});
  };
  nik.addEventListener("change", decode);
  nik.addEventListener("input", () => {
    if (nik.value.replace(/[\s.\-]/g, "").length === 16) decode();
  });
});
