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
  // The menu button says whether the menu is open (the page's menu folds on a phone).
  document.querySelectorAll("details.navfold").forEach((fold) => {
    const toggle = fold.querySelector("summary");
    const sync = () => toggle.setAttribute("aria-expanded", String(fold.open));
    sync();
    fold.addEventListener("toggle", sync);
  });
  // A refused form: the focus goes to its error summary (read out, in view); a link of it focuses its field.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: "start" });
    summary.querySelectorAll("a[href^='#']").forEach((link) => {
      link.addEventListener("click", (event) => {
        const target = document.getElementById(link.hash.slice(1));
        const input = target && (target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea"));
        if (!input) return;
        event.preventDefault();
        if (input.tomselect) input.tomselect.focus(); // a picker (picker.js): its search box takes the focus
        else input.focus();
        (input.closest(".field") || input).scrollIntoView({ block: "center" });
      });
    });
  }
  document.querySelectorAll("[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
  // A form is sent once: a second click while it is on its way does nothing, and its buttons show it.
  // (The server refuses a second submit of the same form anyway; this only spares the round trip.)
  document.querySelectorAll("form[method=post]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "1";
      // After this event the browser has taken the clicked button's name and value; now disable them all.
      window.setTimeout(() => {
        form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach((button) => {
          button.disabled = true;
          button.setAttribute("aria-busy", "true");
        });
      }, 0);
    });
  });
  // Back to a page kept in the browser's cache: its forms can be sent again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-sending]").forEach((form) => {
      delete form.dataset.sending;
      form.querySelectorAll("[aria-busy]").forEach((button) => {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    });
  });
});
