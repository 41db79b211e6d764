// Push (push app), loaded by the service worker (templates/pwa/sw.js). A push carries only
// what push/texts.py writes: the kind of news and the parent's own child's first name. The
// notification shows exactly that; a tap opens the portal page, which checks access itself.
/* global PUSH_ICON */
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "Ouderportaal", {
      body: data.body || "",
      icon: PUSH_ICON,
      badge: PUSH_ICON,
      tag: data.tag || "ouderportaal",
      renotify: true,
      data: { url: data.url || "/" },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  // Only pages of the portal itself, whatever the push said.
  let target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (new URL(client.url).origin === self.location.origin && "focus" in client) {
          return client.focus().then((focused) => focused.navigate(target.href));
        }
      }
      return self.clients.openWindow(target.href);
    })
  );
});
