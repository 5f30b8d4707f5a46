// koomock console: the only script. It adds live rows to exchange tables, copies text and shows a
// package upload's progress; every page works without it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("tbody[data-events]").forEach(follow);
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    button.addEventListener("click", () => copy(button));
  });
  document.querySelectorAll("form[data-upload]").forEach((form) => {
    form.addEventListener("submit", (event) => upload(event, form));
  });
});

// upload sends a package form's file as the request body, the fields in the URL and the CSRF token
// in a header, so that the server streams it and the bar shows how much has been sent.
function upload(event, form) {
  const file = form.elements["package"].files[0];
  if (!file) {
    return;
  }
  event.preventDefault();
  const params = new URLSearchParams({
    assetId: form.elements["assetId"].value, version: form.elements["version"].value, packageName: file.name,
  });
  const bar = form.querySelector("progress");
  const status = form.querySelector("[aria-live]");
  const xhr = new XMLHttpRequest();
  xhr.open("POST", `${form.action}?${params}`);
  xhr.setRequestHeader("Content-Type", "application/octet-stream");
  xhr.setRequestHeader("X-Koomock-CSRF", form.elements["csrf"].value);
  bar.hidden = false;
  xhr.upload.addEventListener("progress", (e) => {
    if (e.lengthComputable) {
      bar.value = Math.round((e.loaded / e.total) * 100);
      status.textContent = `${bar.value}% of ${file.size} bytes`;
    }
  });
  xhr.upload.addEventListener("load", () => { status.textContent = "uploaded; koomock is checking it"; });
  xhr.addEventListener("load", () => {
    if (xhr.status === 200 && xhr.responseURL) {
      window.location.assign(xhr.responseURL);
      return;
    }
    document.open();
    document.write(xhr.responseText);
    document.close();
  });
  xhr.addEventListener("error", () => { status.textContent = "the upload failed: koomock did not answer"; });
  form.querySelector("button[type=submit]").disabled = true;
  xhr.send(file);
}

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
