// The group diary grid: "for everyone" values are copied into the rows of the ticked children
// at once, so what is saved is what the rows show. Without script the server does the same
// for rows left empty.
(function () {
  "use strict";
  const form = document.getElementById("grid-form");
  if (!form) return;
  const rows = Array.prototype.slice.call(form.querySelectorAll(".grid-row"));
  const all = document.getElementById("grid-all");

  function included(row) {
    const box = row.querySelector(".grid-include input");
    return !box || box.checked;
  }

  all.querySelectorAll("input[type=radio]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      rows.filter(included).forEach(function (row) {
        const same = row.querySelector("input[type=radio][value='" + radio.value + "']");
        if (same) same.checked = true;
      });
    });
  });
  ["all_sleep_start", "all_sleep_end"].forEach(function (name) {
    const input = all.querySelector("input[name=" + name + "]");
    const part = name.replace("all_", "");
    input.addEventListener("change", function () {
      rows.filter(included).forEach(function (row) {
        const target = row.querySelector("input[name^='" + part + "-']");
        if (target) target.value = input.value;
      });
    });
  });
  rows.forEach(function (row) {
    const box = row.querySelector(".grid-include input");
    if (!box) return;
    const update = function () { row.classList.toggle("is-excluded", !box.checked); };
    box.addEventListener("change", update);
    update();
  });
})();
