// The notification settings page: turn on push for this device. The browser's push
// subscription (endpoint and keys) goes into the form's hidden fields, then the form is sent
// as any other; the server checks it again (push/services.py).
(function () {
  const form = document.getElementById("push-subscribe");
  if (!form) return;
  const state = document.getElementById("push-state");
  const show = (id) => { document.getElementById(id).hidden = false; };
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    form.hidden = true;
    show("push-unsupported");
    return;
  }
  if (Notification.permission === "denied") show("push-denied");

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  async function registration() {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    return navigator.serviceWorker.ready;
  }

  registration().then((reg) => reg.pushManager.getSubscription()).then((subscription) => {
    if (subscription && Notification.permission === "granted") {
      state.textContent = form.dataset.subscribed;
      state.hidden = false;
    }
  }).catch(() => {});

  form.addEventListener("submit", async (event) => {
    if (form.elements.endpoint.value) return; // filled in: let it go
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        show("push-denied");
        return;
      }
      const reg = await registration();
      const subscription = await reg.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(form.dataset.key),
      });
      const json = subscription.toJSON();
      form.elements.endpoint.value = json.endpoint;
      form.elements.p256dh.value = json.keys.p256dh;
      form.elements.auth.value = json.keys.auth;
      form.submit();
    } catch (error) {
      state.textContent = form.dataset.failed;
      state.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
})();
