// The face guard's review page: drag on the photo to draw a box around a face the detector
// missed. Fills the "add a box by hand" form (percentages) and sends it; without this script
// the form works by hand.
(() => {
  "use strict";
  const figure = document.querySelector("[data-faces-draw]");
  const form = document.getElementById("draw-form");
  const image = figure && figure.querySelector("img");
  const overlay = figure && figure.querySelector("svg");
  if (!figure || !form || !image || !overlay) return;
  figure.classList.add("drawing");
  let start = null;
  let rect = null;
  const point = (event) => {
    const box = image.getBoundingClientRect();
    return {
      x: Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1),
      y: Math.min(Math.max((event.clientY - box.top) / box.height, 0), 1),
    };
  };
  const view = () => overlay.viewBox.baseVal;
  image.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    start = point(event);
    rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    rect.setAttribute("class", "face-box face-new");
    overlay.appendChild(rect);
    image.setPointerCapture(event.pointerId);
  });
  image.addEventListener("pointermove", (event) => {
    if (!start) return;
    const now = point(event);
    rect.setAttribute("x", Math.min(start.x, now.x) * view().width);
    rect.setAttribute("y", Math.min(start.y, now.y) * view().height);
    rect.setAttribute("width", Math.abs(now.x - start.x) * view().width);
    rect.setAttribute("height", Math.abs(now.y - start.y) * view().height);
  });
  image.addEventListener("pointerup", (event) => {
    if (!start) return;
    const now = point(event);
    const box = {
      x: Math.min(start.x, now.x), y: Math.min(start.y, now.y),
      w: Math.abs(now.x - start.x), h: Math.abs(now.y - start.y),
    };
    start = null;
    if (box.w < 0.01 || box.h < 0.01) { rect.remove(); return; }
    for (const name of ["x", "y", "w", "h"]) {
      form.elements[name].value = (box[name] * 100).toFixed(1);
    }
    form.requestSubmit();
  });
})();
