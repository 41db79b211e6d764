// Upload one request per file with per-file progress: a bad file or a lost connection only
// affects that file; everything already stored stays stored. Without script the form posts
// all files at once (at most 30), which the server accepts too.
(function () {
  "use strict";
  const form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  const input = form.querySelector("input[type=file]");
  const list = document.getElementById("upload-list");
  const summary = document.getElementById("upload-summary");
  const next = document.getElementById("upload-next");
  const max = parseInt(form.dataset.max, 10);
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let batch = "";  // issued by the server before the first file (issue 19, finding 9)
  input.required = false;
  let busy = false;
  let storedCount = 0;

  // A random id per file: a retry of a file whose answer was lost returns the photo stored the
  // first time instead of storing it twice.
  function newToken() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  function sendOne(item) {
    return new Promise(function (resolve) {
      const data = new FormData();
      data.append("batch", batch);
      data.append("upload", item.token);
      data.append("photos", item.file, "upload");
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.setRequestHeader("X-Requested-With", "fetch");
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) item.progress.value = event.loaded / event.total;
      };
      xhr.onload = function () {
        let answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {}; }
        if (xhr.status === 200 && answer.ok) {
          item.progress.value = 1;
          item.status.textContent = form.dataset.msgDone;
          item.status.className = "upload-ok";
          item.done = true;
          storedCount += 1;
        } else {
          item.status.textContent = answer.error || form.dataset.msgNetwork;
          item.status.className = "upload-error";
          item.retry = !answer.error;
        }
        resolve();
      };
      xhr.onerror = function () {
        item.status.textContent = form.dataset.msgNetwork;
        item.status.className = "upload-error";
        item.retry = true;
        resolve();
      };
      xhr.send(data);
    });
  }

  let items = [];
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    if (busy) return;
    const retrying = items.filter(function (item) { return item.retry; });
    if (!retrying.length) {
      const files = Array.prototype.slice.call(input.files || []);
      if (!files.length) return;
      if (files.length > max) {
        summary.textContent = form.dataset.msgTooMany;
        return;
      }
      items = files.map(function (file) {
        const li = document.createElement("li");
        const name = document.createElement("span");
        name.textContent = file.name;
        const progress = document.createElement("progress");
        progress.max = 1;
        progress.value = 0;
        const status = document.createElement("span");
        status.textContent = form.dataset.msgWaiting;
        li.append(name, progress, status);
        list.append(li);
        return {
          file: file, token: newToken(), progress: progress, status: status, done: false,
          retry: true,
        };
      });
    }
    busy = true;
    summary.textContent = "";
    if (!batch) {
      try {
        const answer = await fetch(form.dataset.batchUrl, {
          method: "POST",
          headers: { "X-CSRFToken": token, "X-Requested-With": "fetch" },
        }).then(function (r) { return r.json(); });
        batch = answer.batch;
        next.href = answer.tag_url;
      } catch (e) {
        summary.textContent = form.dataset.msgNetwork;
        busy = false;
        return;
      }
    }
    for (const item of items) {
      if (!item.retry || item.done) continue;
      item.retry = false;
      await sendOne(item);
    }
    busy = false;
    input.value = "";
    if (items.some(function (item) { return !item.done; })) {
      summary.textContent = form.dataset.msgFailed;
    }
    if (storedCount) next.hidden = false;
  });
})();
