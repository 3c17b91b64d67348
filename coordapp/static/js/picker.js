// Pickers: a <select multiple data-picker> becomes a searchable list (Tom Select, served from /static/vendor):
// type to filter, options grouped as the select groups them, chosen items as removable chips, keyboard as usual.
// Without this file, or without Tom Select, the plain select stays and works.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof window.TomSelect !== "function") return;
  document.querySelectorAll("select[multiple][data-picker]").forEach((select) => {
    const texts = select.dataset;
    // Tom Select points the field's label at its own search box; the select it keeps (for the form) keeps the name.
    const label = select.id ? document.querySelector(`label[for="${CSS.escape(select.id)}"]`) : null;
    if (label && !select.hasAttribute("aria-label")) select.setAttribute("aria-label", label.textContent.trim());
    const picker = new window.TomSelect(select, {
      plugins: { remove_button: { title: texts.pickerRemove || "" } },
      placeholder: texts.pickerPlaceholder || "",
      hidePlaceholder: false,
      maxOptions: null,
      closeAfterSelect: false,
      openOnFocus: false, // the list opens on typing or the arrow keys, not when the focus comes back
      refreshThrottle: 0, // filter at once: a refresh left for later reopened the list after the picker was left
      lockOptgroupOrder: true,
      render: {
        no_results: () => {
          const empty = document.createElement("div");
          empty.className = "no-results";
          empty.textContent = texts.pickerEmpty || "";
          return empty;
        },
      },
    });
    picker.wrapper.classList.add("picker");
    // A list left open over the form (the focus went elsewhere between two of Tom Select's own events)
    // would cover the buttons below it: leaving the picker always closes its list.
    picker.on("blur", () => picker.close());
  });
});
