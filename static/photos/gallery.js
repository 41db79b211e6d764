// The gallery (photos/gallery.html) and the photos on Vandaag: the photo's own colour while it
// loads, and the lightbox (PhotoSwipe 5, vendored) in the page's language, with an accessible
// name, focus kept inside, and a download button. Without script the links open the display size.
const script = document.querySelector("script[data-lightbox]");

// data-colour -> background while loading (CSP allows no style attributes in the markup).
for (const img of document.querySelectorAll("img[data-colour]")) {
  if (!img.complete) {
    img.style.backgroundColor = img.dataset.colour;
    img.addEventListener("load", () => { img.style.backgroundColor = ""; }, { once: true });
  }
}

const grid = document.getElementById("photo-grid");
if (grid && script && grid.querySelector("a.photo-link")) {
  const labels = script.dataset;
  const { default: PhotoSwipeLightbox } = await import(labels.lightbox);
  const lightbox = new PhotoSwipeLightbox({
    gallery: "#photo-grid",
    children: "a.photo-link",
    pswpModule: () => import(labels.pswp),
    closeTitle: labels.close,
    zoomTitle: labels.zoom,
    arrowPrevTitle: labels.previous,
    arrowNextTitle: labels.next,
    errorMsg: labels.error,
    indexIndicatorSep: ` ${labels.of} `,
    trapFocus: true,
    returnFocus: true,
  });
  lightbox.on("afterInit", () => {
    const root = lightbox.pswp.element;
    root.setAttribute("aria-label", labels.label);
    root.setAttribute("aria-modal", "true");
    root.setAttribute("lang", document.documentElement.lang);
    // Tab and Shift+Tab go round the lightbox's own controls: focus never leaves the dialog.
    root.addEventListener("keydown", (event) => {
      if (event.key !== "Tab") return;
      const controls = [...root.querySelectorAll("button, a[href]")].filter(
        (el) => el.offsetParent !== null && getComputedStyle(el).visibility !== "hidden",
      );
      if (!controls.length) return;
      const index = controls.indexOf(document.activeElement);
      const next = event.shiftKey ? index - 1 : index + 1;
      event.preventDefault();
      controls[(next + controls.length) % controls.length].focus();
    });
  });
  lightbox.on("uiRegister", () => {
    lightbox.pswp.ui.registerElement({
      name: "download",
      order: 8,
      isButton: true,
      tagName: "a",
      title: labels.download,
      ariaLabel: labels.download,
      html: {
        isCustomSVG: true,
        inner: '<path d="M20.5 14.3 17.1 18V10h-2.2v7.9l-3.4-3.6L10 16l6 6.1 6-6.1ZM23 23H9v2h14Z" id="pswp__icn-download"/>',
        outlineID: "pswp__icn-download",
      },
      onInit: (element, pswp) => {
        element.setAttribute("download", "");
        const follow = () => {
          const link = pswp.currSlide && pswp.currSlide.data.element;
          if (link) element.href = link.dataset.download;
        };
        pswp.on("change", follow);
        follow();
      },
    });
  });
  lightbox.init();
  // Until here a tap opens the display size as a plain page; tests wait for this mark.
  grid.dataset.lightbox = "ready";
}
