// Lightbox with swipe on phones (PhotoSwipe 5, vendored). Without script the links open the
// display size directly.
const script = document.querySelector("script[data-lightbox]");
const grid = document.getElementById("photo-grid");
if (grid && script) {
  const { default: PhotoSwipeLightbox } = await import(script.dataset.lightbox);
  const lightbox = new PhotoSwipeLightbox({
    gallery: "#photo-grid",
    children: "a.photo-link",
    pswpModule: () => import(script.dataset.pswp),
  });
  lightbox.init();
  // Until here a tap opens the display size as a plain page; tests wait for this mark.
  grid.dataset.lightbox = "ready";
}
