// Markdown fields (textarea[data-markdown]) get a Write / Preview tab. The preview is rendered by the server
// (auth.markdown_preview) with the sanitiser of the saved text, so it shows what the page will show.
// Labels and the address come from templates/_partials/markdown_preview.html; without this file, no tab.
document.addEventListener("DOMContentLoaded", () => {
  const config = document.querySelector("template[data-markdown-tabs]");
  if (!config || !window.fetch) return;
  const texts = config.dataset;
  document.querySelectorAll("textarea[data-markdown]").forEach((area, n) => {
    const bar = document.createElement("div");
    bar.className = "md-tabs";
    const write = document.createElement("button");
    const show = document.createElement("button");
    const preview = document.createElement("div");
    preview.className = "markdown md-preview";
    preview.id = `${area.id || `md-${n}`}-preview`;
    preview.hidden = true;
    preview.setAttribute("aria-live", "polite");
    preview.setAttribute("aria-label", `${texts.preview}: ${area.labels && area.labels[0] ? area.labels[0].textContent.trim() : ""}`);
    preview.setAttribute("role", "region");
    [[write, texts.write], [show, texts.preview]].forEach(([button, label]) => {
      button.type = "button";
      button.className = "md-tab";
      button.textContent = label;
      bar.appendChild(button);
    });
    const select = (previewing) => {
      write.setAttribute("aria-pressed", String(!previewing));
      show.setAttribute("aria-pressed", String(previewing));
      area.hidden = previewing;
      preview.hidden = !previewing;
    };
    select(false);
    area.before(bar);
    area.after(preview);
    write.addEventListener("click", () => {
      select(false);
      area.focus();
    });
    show.addEventListener("click", async () => {
      const body = new FormData();
      body.append("text", area.value);
      try {
        const response = await fetch(texts.url, {
          method: "POST",
          body,
          headers: { "X-CSRFToken": texts.csrf },
          credentials: "same-origin",
        });
        // The server's own HTML: sanitised by the same function as the saved text (nh3), or its short error.
        preview.innerHTML = response.ok || response.status === 413 ? await response.text() : "";
        if (!preview.innerHTML) throw new Error(String(response.status));
      } catch (error) {
        preview.textContent = texts.failed;
      }
      select(true);
    });
  });
});
