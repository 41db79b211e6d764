// The tablet's photo queue (issue 17): files wait in the browser (IndexedDB) until the server
// has stored them, so a batch survives a lost connection or a closed tab. Used by the upload
// page (upload.js) and by the service worker (templates/pwa/sw.js, Background Sync), one sender
// at a time (Web Locks). Each file keeps the random id it got when it was chosen: sent twice, it
// is stored once (the server answers a repeat with the photo stored the first time).
//
// A file's states: "waiting" (queued, or waiting for the next try), "sending", "done" (the
// server stored it; the file itself is removed from the browser then) and "failed" (the server
// refused it, with its reason). Logging out clears the browser's storage, queue included.
(function (root) {
  "use strict";
  const DB_NAME = "ouderportaal-uploads";
  const STORE = "files";
  const LOCK = "ouderportaal-photo-queue";
  const CHANNEL = "ouderportaal-photo-queue";
  const SYNC_TAG = "photo-upload";
  const MAX_BATCH = 30;
  const MAX_SERVER_TRIES = 6;
  const MAX_DELAY = 60 * 1000;

  function openDb() {
    return new Promise(function (resolve, reject) {
      const request = root.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // One IndexedDB transaction: ``work(store)`` issues its requests synchronously.
  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        const transaction = db.transaction(STORE, mode);
        let result;
        work(transaction.objectStore(STORE), function (value) { result = value; });
        transaction.oncomplete = function () { db.close(); resolve(result); };
        transaction.onerror = transaction.onabort = function () {
          db.close();
          reject(transaction.error);
        };
      });
    });
  }

  function all() {
    return withStore("readonly", function (store, done) {
      const request = store.getAll();
      request.onsuccess = function () { done(request.result); };
    }).then(function (items) {
      return items.sort(function (a, b) { return a.created - b.created || a.order - b.order; });
    });
  }

  function put(items) {
    return withStore("readwrite", function (store) {
      items.forEach(function (item) { store.put(item); });
    });
  }

  function update(id, changes) {
    return withStore("readwrite", function (store, done) {
      const request = store.get(id);
      request.onsuccess = function () {
        if (!request.result) return;
        const item = Object.assign(request.result, changes);
        store.put(item);
        done(item);
      };
    });
  }

  function remove(ids) {
    return withStore("readwrite", function (store) {
      ids.forEach(function (id) { store.delete(id); });
    });
  }

  let channel = null;
  function announce(message) {
    if (!root.BroadcastChannel) return;
    channel = channel || new root.BroadcastChannel(CHANNEL);
    channel.postMessage(message);
  }

  function randomId() {
    const bytes = new Uint8Array(16);
    root.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  // Files chosen together go into one batch of the server (at most 30: more make more batches).
  function add(files, page) {
    const now = Date.now();
    let local = randomId();
    const items = files.map(function (entry, index) {
      if (index && index % MAX_BATCH === 0) local = randomId();
      return {
        id: randomId(), local: local, order: index, created: now,
        owner: page.owner, group: page.group, uploadUrl: page.uploadUrl, batchUrl: page.batchUrl,
        csrf: page.csrf, batch: "", tagUrl: "", messages: page.messages,
        name: entry.file.name, blob: entry.file, preview: entry.preview || "",
        state: "waiting", error: "", tries: 0, notBefore: 0, photo: "",
      };
    });
    return put(items).then(function () {
      announce({ type: "changed" });
      return items;
    });
  }

  function backoff(tries) {
    const delay = Math.min(MAX_DELAY, 1000 * Math.pow(2, Math.max(0, tries - 1)));
    return Math.round(delay * (0.5 + Math.random() / 2));
  }

  function postForm(url, item, data, onProgress) {
    // The page uses XMLHttpRequest for its upload progress; the service worker has only fetch.
    if (root.XMLHttpRequest) {
      return new Promise(function (resolve) {
        const xhr = new root.XMLHttpRequest();
        xhr.open("POST", url);
        xhr.setRequestHeader("X-CSRFToken", item.csrf);
        xhr.setRequestHeader("X-Requested-With", "fetch");
        if (onProgress) {
          xhr.upload.onprogress = function (event) {
            if (event.lengthComputable) onProgress(event.loaded / event.total);
          };
        }
        xhr.onload = function () {
          const json = (xhr.getResponseHeader("Content-Type") || "").indexOf("json") !== -1;
          let answer = null;
          if (json) { try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; } }
          resolve({ status: xhr.status, answer: answer });
        };
        xhr.onerror = xhr.ontimeout = function () { resolve({ status: 0, answer: null }); };
        xhr.send(data);
      });
    }
    return root.fetch(url, {
      method: "POST", body: data, credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": item.csrf, "X-Requested-With": "fetch" },
    }).then(function (response) {
      const json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
      const status = response.type === "opaqueredirect" ? 302 : response.status;
      if (!json) return { status: status, answer: null };
      return response.json().then(
        function (answer) { return { status: status, answer: answer }; },
        function () { return { status: status, answer: null }; }
      );
    }, function () { return { status: 0, answer: null }; });
  }

  // The answer to one try, as the next state of the file.
  function judge(result, item, messages) {
    messages = item.messages || messages || {};
    const answer = result.answer;
    if (result.status === 200 && answer && answer.ok) {
      return { state: "done", error: "", blob: null, photo: answer.photo || "", lost: false };
    }
    if (result.status === 0) {
      return { state: "waiting", error: messages.network, tries: item.tries + 1,
        notBefore: Date.now() + backoff(item.tries + 1), lost: true };
    }
    if (answer && answer.error) {
      return { state: "failed", error: answer.error, reason: answer.reason || "", lost: false };
    }
    if (result.status === 403 || result.status === 302 || result.status === 200) {
      // The session ended (a login page instead of an answer) or the form token is stale.
      return { state: "failed", error: messages.session, reason: "session", lost: false };
    }
    if (result.status >= 500 && item.tries + 1 < MAX_SERVER_TRIES) {
      return { state: "waiting", error: messages.server, tries: item.tries + 1,
        notBefore: Date.now() + backoff(item.tries + 1), lost: false };
    }
    return { state: "failed", error: messages.server, reason: "server", lost: false };
  }

  // The server's batch for the files chosen together, asked for once.
  function ensureBatch(item, messages) {
    messages = item.messages || messages || {};
    if (item.batch) return Promise.resolve(item);
    return all().then(function (items) {
      const known = items.find(function (other) { return other.local === item.local && other.batch; });
      if (known) return { batch: known.batch, tagUrl: known.tagUrl };
      const data = new root.FormData();
      return postForm(item.batchUrl, item, data, null).then(function (result) {
        if (result.status === 200 && result.answer && result.answer.ok) {
          if (result.answer.owner !== item.owner) {
            // Someone else is logged in on this device now: their account does not send it.
            return { failed: { state: "failed", error: messages.otherUser, reason: "owner" } };
          }
          return { batch: result.answer.batch, tagUrl: result.answer.tag_url };
        }
        return { failed: judge(result, item, messages) };
      });
    }).then(function (found) {
      if (found.failed) {
        return update(item.id, found.failed).then(function () {
          return found.failed.lost ? "lost" : null;
        });
      }
      return all().then(function (items) {
        const same = items.filter(function (other) { return other.local === item.local && !other.batch; });
        same.forEach(function (other) { other.batch = found.batch; other.tagUrl = found.tagUrl; });
        return put(same);
      }).then(function () { return Object.assign(item, found); });
    });
  }

  function online() {
    return !root.navigator || root.navigator.onLine !== false;
  }

  // Send every file that is due, one after the other; stop at the first lost connection.
  // ``force``: the connection just came back, so files waiting after a lost connection go now
  // instead of after their pause. Resolves to {pending: n, next: ms or null} (files still
  // waiting, and when the next is due).
  function sendDue(options) {
    const messages = options.messages || {};
    function due(items) {
      const now = Date.now();
      return items.filter(function (item) {
        const ready = item.notBefore <= now || (options.force && item.lost);
        return (item.state === "waiting" || item.state === "sending") && ready &&
          (!options.owner || item.owner === options.owner);
      });
    }
    function summary() {
      return all().then(function (items) {
        const waiting = items.filter(function (item) {
          return item.state === "waiting" && (!options.owner || item.owner === options.owner);
        });
        const next = waiting.reduce(function (soonest, item) {
          return soonest === null || item.notBefore < soonest ? item.notBefore : soonest;
        }, null);
        return { pending: waiting.length, next: next };
      });
    }
    function step() {
      if (!online()) return summary();
      return all().then(function (items) {
        const item = due(items)[0];
        options.force = false;  // only the first try after the connection returned
        if (!item) return summary();
        return ensureBatch(item, messages).then(function (ready) {
          if (!ready || ready === "lost") {
            announce({ type: "changed", id: item.id });
            return ready === "lost" ? summary() : step();
          }
          return update(item.id, { state: "sending", error: "" }).then(function () {
            announce({ type: "changed", id: item.id });
            const data = new root.FormData();
            data.append("batch", ready.batch);
            data.append("upload", ready.id);
            data.append("photos", ready.blob, "upload");
            return postForm(ready.uploadUrl, ready, data, function (value) {
              announce({ type: "progress", id: item.id, value: value });
            });
          }).then(function (result) {
            const next = judge(result, ready, messages);
            return update(item.id, next).then(function () {
              announce({ type: "changed", id: item.id });
              return next.lost ? summary() : step();
            });
          });
        });
      });
    }
    if (root.navigator && root.navigator.locks) {
      return root.navigator.locks.request(LOCK, step);
    }
    if (sendDue.running) return sendDue.running;
    sendDue.running = step().finally(function () { sendDue.running = null; });
    return sendDue.running;
  }

  root.PhotoQueue = {
    SYNC_TAG: SYNC_TAG, CHANNEL: CHANNEL, MAX_BATCH: MAX_BATCH,
    all: all, add: add, update: update, remove: remove, sendDue: sendDue, announce: announce,
  };
})(self);
