// The tablet's upload page (issue 17): choose, drop or take photos; each is queued in the
// browser at once (upload-queue.js) and sent one request per file with its own progress and
// state. A lost connection only pauses the queue: it is sent again with growing pauses, when
// the connection returns (the page's "online" and visibility events, and the service worker's
// Background Sync where the browser has it), or the next time this page opens. Without script
// the form posts all files at once (at most 30), which the server accepts too.
(function () {
  "use strict";
  const form = document.getElementById("upload-form");
  const Queue = window.PhotoQueue;
  if (!form || !Queue || !window.indexedDB || !window.FormData || !window.Promise) return;
  const messages = JSON.parse(document.getElementById("upload-messages").textContent);
  const input = document.getElementById("id_photos");
  const camera = document.getElementById("id_camera");
  const drop = document.getElementById("upload-drop");
  const list = document.getElementById("upload-list");
  const summary = document.getElementById("upload-summary");
  const nextList = document.getElementById("upload-next");
  const connection = document.getElementById("upload-connection");
  const clear = document.getElementById("upload-clear");
  const placeholder = form.dataset.placeholder || "";
  const page = {
    owner: form.dataset.owner,
    group: form.dataset.group,
    uploadUrl: form.action,
    batchUrl: form.dataset.batchUrl,
    csrf: form.querySelector("input[name=csrfmiddlewaretoken]").value,
    messages: messages,
  };
  const rows = new Map();
  let timer = null;
  let lastOffline = false;

  input.required = false;
  document.getElementById("upload-submit").hidden = true;
  drop.querySelector(".upload-drop-hint").hidden = false;
  camera.parentElement.hidden = false;

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  // A small preview as a data: URL (the page's CSP allows no blob: images). Formats the browser
  // cannot draw (HEIC in most) get none; the server still takes them.
  function preview(file) {
    if (!window.createImageBitmap) return Promise.resolve("");
    return window.createImageBitmap(file, { resizeWidth: 160, resizeQuality: "medium" })
      .then(function (bitmap) {
        const canvas = document.createElement("canvas");
        canvas.width = bitmap.width;
        canvas.height = bitmap.height;
        canvas.getContext("2d").drawImage(bitmap, 0, 0);
        bitmap.close();
        return canvas.toDataURL("image/jpeg", 0.7);
      })
      .catch(function () { return ""; });
  }

  function isImage(file) {
    return /^image\//.test(file.type) || /\.(heic|heif|jpe?g|png)$/i.test(file.name);
  }

  function choose(fileList) {
    const files = Array.prototype.slice.call(fileList || []);
    const skipped = files.filter(function (file) { return !isImage(file); });
    const images = files.filter(isImage);
    summary.textContent = skipped.map(function (file) {
      return format(messages.notImage, { name: file.name });
    }).join(" ");
    if (!images.length) return;
    Promise.all(images.map(function (file) {
      return preview(file).then(function (url) { return { file: file, preview: url }; });
    })).then(function (entries) {
      return Queue.add(entries, page);
    }).then(function () {
      input.value = "";
      camera.value = "";
      askForSync();
      render();
      send();
    });
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register(Queue.SYNC_TAG);
    }).catch(function () {});
  }

  function row(item) {
    let li = rows.get(item.id);
    if (li) return li;
    li = document.createElement("li");
    li.className = "upload-item";
    li.dataset.id = item.id;
    const img = document.createElement("img");
    img.className = "upload-thumb";
    img.alt = "";
    img.width = 64;
    img.height = 64;
    if (item.preview) img.src = item.preview;
    else if (placeholder) img.src = placeholder;
    const info = document.createElement("div");
    info.className = "upload-info";
    const name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = item.name;
    const progress = document.createElement("progress");
    progress.max = 1;
    progress.value = 0;
    progress.setAttribute("aria-label", messages.progress + " " + item.name);
    const state = document.createElement("span");
    state.className = "upload-state";
    const reason = document.createElement("span");
    reason.className = "upload-reason";
    const actions = document.createElement("span");
    actions.className = "upload-actions";
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "secondary";
    retry.textContent = messages.retry;
    retry.addEventListener("click", function () {
      Queue.update(item.id, { state: "waiting", error: "", tries: 0, notBefore: 0, csrf: page.csrf })
        .then(function () { render(); send(); });
    });
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "secondary outline";
    remove.textContent = messages.remove;
    remove.addEventListener("click", function () {
      Queue.remove([item.id]).then(render);
    });
    actions.append(retry, remove);
    info.append(name, progress, state, reason, actions);
    li.append(img, info);
    li.progress = progress;
    li.state = state;
    li.reason = reason;
    li.actions = actions;
    li.retry = retry;
    rows.set(item.id, li);
    return li;
  }

  function render() {
    return Queue.all().then(function (items) {
      const mine = items.filter(function (item) {
        return item.owner === page.owner && item.group === page.group;
      });
      const seen = new Set();
      const batches = new Map();
      let done = 0;
      lastOffline = false;
      mine.forEach(function (item) {
        seen.add(item.id);
        const li = row(item);
        if (li.parentNode !== list) list.append(li);
        li.className = "upload-item is-" + item.state;
        li.state.textContent = messages[item.state];
        li.state.classList.toggle("upload-ok", item.state === "done");
        li.state.classList.toggle("upload-error", item.state === "failed");
        let reason = item.error || "";
        if (item.state === "waiting" && item.tries && item.notBefore > Date.now()) {
          reason += " " + format(messages.retryIn, {
            seconds: Math.max(1, Math.round((item.notBefore - Date.now()) / 1000)),
          });
        }
        li.reason.textContent = reason.trim();
        li.actions.hidden = item.state !== "failed";
        // A file the portal cannot read stays unreadable: only "remove" makes sense then.
        li.retry.hidden = item.reason === "file";
        if (item.state === "done") li.progress.value = 1;
        else if (item.state !== "sending") li.progress.value = 0;
        if (item.state === "waiting" && item.lost) lastOffline = true;
        if (item.state === "done") {
          done += 1;
          if (item.tagUrl) batches.set(item.tagUrl, (batches.get(item.tagUrl) || 0) + 1);
        }
      });
      rows.forEach(function (li, id) {
        if (!seen.has(id)) { li.remove(); rows.delete(id); }
      });
      nextList.replaceChildren.apply(nextList, Array.from(batches.keys()).map(function (url) {
        const li = document.createElement("li");
        const link = document.createElement("a");
        link.href = url;
        link.textContent = messages.tag;
        li.append(link);
        return li;
      }));
      summary.textContent = mine.length
        ? format(messages.summary, { done: done, total: mine.length }) : "";
      connection.hidden = navigator.onLine !== false && !lastOffline;
      clear.hidden = !mine.some(function (item) { return item.state === "done"; });
    });
  }

  function schedule(result) {
    clearTimeout(timer);
    timer = null;
    if (result && result.pending && result.next !== null && navigator.onLine !== false) {
      timer = setTimeout(send, Math.max(250, result.next - Date.now()));
    }
  }

  function send(force) {
    return Queue.sendDue({ owner: page.owner, messages: messages, force: force === true })
      .then(function (result) {
      schedule(result);
      if (result && result.pending) askForSync();
      return render();
    }).catch(function () { schedule({ pending: 1, next: Date.now() + 5000 }); });
  }

  // Changes made by this page's sender or by the service worker.
  if (window.BroadcastChannel) {
    const channel = new BroadcastChannel(Queue.CHANNEL);
    channel.onmessage = function (event) {
      const message = event.data || {};
      if (message.type === "progress") {
        const li = rows.get(message.id);
        if (li) li.progress.value = message.value;
        return;
      }
      render();
    };
  }

  input.addEventListener("change", function () { choose(input.files); });
  camera.addEventListener("change", function () { choose(camera.files); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    choose(input.files);
  });
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) {
      event.preventDefault();
      drop.classList.add("is-over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove("is-over"); });
  });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer) choose(event.dataTransfer.files);
  });
  clear.addEventListener("click", function () {
    Queue.all().then(function (items) {
      return Queue.remove(items.filter(function (item) {
        return item.owner === page.owner && item.group === page.group && item.state === "done";
      }).map(function (item) { return item.id; }));
    }).then(render);
  });
  window.addEventListener("online", function () { render(); send(true); });
  window.addEventListener("offline", function () { clearTimeout(timer); render(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") send(true);
  });

  // A queue left by a closed tab: files refused for an ended session get this page's new
  // form token and go again; files stored a day ago leave the list.
  Queue.all().then(function (items) {
    const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
    const stale = items.filter(function (item) { return item.state === "done" && item.created < dayAgo; });
    const again = items.filter(function (item) {
      return item.owner === page.owner && (item.reason === "session" || item.state === "waiting");
    });
    again.forEach(function (item) {
      item.csrf = page.csrf;
      item.messages = messages;
      if (item.reason === "session") {
        item.state = "waiting";
        item.error = "";
        item.reason = "";
        item.notBefore = 0;
      }
    });
    return Queue.remove(stale.map(function (item) { return item.id; }))
      .then(function () { return again.length ? putAll(again) : null; });
  }).then(render).then(function () { return send(true); });

  function putAll(items) {
    return Promise.all(items.map(function (item) { return Queue.update(item.id, item); }));
  }
})();
