// Keyboard shortcuts of the signed-in pages: "/" search, "c" raise an issue, "g i" / "g m" / "g b" go to the
// issues, meetings, board, "?" this help. The keys and their addresses are in the help dialog
// (templates/_partials/shortcuts.html), translated there; nothing here while the reader types in a field.
document.addEventListener("DOMContentLoaded", () => {
  const help = document.querySelector("dialog[data-shortcuts]");
  if (!help || typeof help.showModal !== "function") return;
  const keys = new Map([...help.querySelectorAll("[data-shortcut]")].map((row) => [row.dataset.shortcut, row]));
  const typing = (el) => el && (el.isContentEditable || el.matches("input, textarea, select, [contenteditable]"));
  let opener = null;
  let pending = ""; // "g" waits for its second key
  let timer = 0;
  help.querySelector("[data-close-shortcuts]").addEventListener("click", () => help.close());
  help.addEventListener("close", () => {
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  });
  // A list's filters may be folded (a phone, or the one list's form under its chips): unfold them first.
  const reveal = (box) => {
    for (let fold = box.closest("details"); fold; fold = fold.parentElement && fold.parentElement.closest("details")) {
      fold.open = true;
    }
    box.focus();
    box.select();
  };
  const search = () => {
    const box = document.querySelector("input[type=search]");
    if (box) {
      reveal(box);
    } else {
      window.location.href = keys.get("/").dataset.searchFallback;
    }
  };
  const run = (combo) => {
    const row = keys.get(combo);
    if (!row) return false;
    if (combo === "?") {
      opener = document.activeElement;
      help.showModal();
    } else if (combo === "/") {
      search();
    } else {
      window.location.href = row.dataset.href;
    }
    return true;
  };
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (help.open || typing(event.target)) return;
    const key = event.key;
    if (pending) {
      const combo = `${pending} ${key}`;
      pending = "";
      window.clearTimeout(timer);
      if (run(combo)) event.preventDefault();
      return;
    }
    if ([...keys.keys()].some((combo) => combo.startsWith(`${key} `))) {
      pending = key;
      timer = window.setTimeout(() => { pending = ""; }, 1500);
      return;
    }
    if (run(key)) event.preventDefault();
  });
  // Arriving from "/" on a page without a search box: the issue list's box takes the focus.
  if (window.location.hash === "#q") {
    const box = document.getElementById("q");
    if (box && box.matches("input")) reveal(box);
  }
});
