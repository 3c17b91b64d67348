// A strength hint beside a new password: how many characters are still missing, and a rough
// score (length and variety). The server's check (common and leaked passwords) decides.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-strength-for]").forEach((hint) => {
    const input = document.getElementById(hint.dataset.strengthFor);
    if (!input) return;
    const min = Number(input.getAttribute("minlength") || 12);
    const update = () => {
      const value = input.value;
      if (!value) { hint.textContent = ""; return; }
      if (value.length < min) {
        hint.textContent = hint.dataset.short.replace("{n}", String(min - value.length));
        return;
      }
      const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
      const words = value.trim().split(/\s+/).length;
      const strong = value.length >= 20 || words >= 4 || (value.length >= 14 && kinds >= 3);
      hint.textContent = strong ? hint.dataset.strong : hint.dataset.fair;
    };
    input.addEventListener("input", update);
  });
});
