{% load static %}// Ouderportaal service worker: caches the app shell only, never personal data.
// Push notifications: push/static/push/sw-push.js (a kind and the own child's first name only).
const PUSH_ICON = "{% static 'img/icon-192.png' %}";
importScripts("{% static 'push/sw-push.js' %}");
const CACHE = "ouderportaal-shell-{{ version }}";
const SHELL = [
  "{% url 'offline' %}",
  "{% static 'vendor/pico/pico.jade.min.css' %}",
  "{% static 'css/portal.css' %}",
  "{% static 'img/icon.svg' %}",
  "{% static 'img/icon-192.png' %}",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages always come from the network (they hold children's data); offline: a notice.
    event.respondWith(fetch(request).catch(() => caches.match("{% url 'offline' %}")));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
  // Everything else (photos, files, data) is never cached by the service worker.
});

// The tablet's photo queue (photos/upload-queue.js): files kept in IndexedDB are sent when the
// connection returns, also after the upload page was closed (Background Sync, where the
// browser has it; the page itself sends them otherwise). A rejection makes the browser retry.
// The browser may fire the event on a connection that still fails: keep trying for a while
// (the event may last a few minutes), then reject so that the browser tries again later.
importScripts("{% static 'photos/upload-queue.js' %}");
function sendPhotoQueue(deadline, wasOnline) {
  const online = self.navigator.onLine !== false;
  return self.PhotoQueue.sendDue({ force: online && !wasOnline }).then((result) => {
    if (!result || !result.pending) return undefined;
    if (Date.now() > deadline) throw new Error("photos still waiting");
    const pause = Math.min(5000, Math.max(1000, (result.next || 0) - Date.now()));
    return new Promise((resolve) => setTimeout(resolve, pause))
      .then(() => sendPhotoQueue(deadline, online));
  });
}
self.addEventListener("sync", (event) => {
  if (event.tag !== self.PhotoQueue.SYNC_TAG) return;
  event.waitUntil(sendPhotoQueue(Date.now() + 150 * 1000, false));
});
