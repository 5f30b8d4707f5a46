// koomock console: the only script. It adds live rows to exchange tables and copies text; every page
// works without it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("tbody[data-events]").forEach(follow);
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    button.addEventListener("click", () => copy(button));
  });
});

// follow subscribes a table body to the journal's event stream. Each event carries one row, rendered
// (and escaped) by the server with the same template as the page's rows.
function follow(body) {
  const source = new EventSource(body.dataset.events);
  source.addEventListener("exchange", (event) => {
    const holder = document.createElement("template");
    holder.innerHTML = event.data.trim();
    const row = holder.content.firstElementChild;
    if (!row || body.querySelector(`tr[data-id="${CSS.escape(row.dataset.id)}"]`)) {
      return;
    }
    body.querySelector("tr.empty")?.remove();
    row.classList.add("new");
    body.prepend(row);
  });
}

// copy puts the text of the element named by the button's data-copy on the clipboard.
async function copy(button) {
  const text = document.getElementById(button.dataset.copy).textContent;
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Select the text and copy it";
  }
  setTimeout(() => { button.textContent = label; }, 1500);
}
