// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // A list's filters fold away on a phone, so the list comes first; wide screens always show them.
  const phone = window.matchMedia("(max-width: 700px)");
  const panels = document.querySelectorAll("details[data-phone-closed]");
  const fit = () => panels.forEach((panel) => { panel.open = !phone.matches; });
  fit();
  phone.addEventListener("change", fit);
  document.querySelectorAll("[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
});
