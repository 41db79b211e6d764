{% load static %}// Ouderportaal service worker: caches the app shell only, never personal data.
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
