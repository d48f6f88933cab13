// Enhances the campaign form: click the city map to add the corners of an area; the points go
// into the "area" box as "latitude, longitude" lines. Without JavaScript, staff type them.
(function () {
  "use strict";
  var map = document.querySelector("[data-area-map]");
  var box = document.querySelector("#id_polygon");
  if (!map || !box) return;
  var shape = map.querySelector(".area-shape");
  var clear = document.querySelector("[data-area-clear]");
  var status = document.querySelector("[data-area-status]");
  var b = map.dataset.bounds.split(",").map(Number);
  var stretch = Number(map.dataset.stretch), scale = Number(map.dataset.scale);

  function points() {
    return box.value.split("\n").map(function (line) {
      var parts = line.split(",").map(function (p) { return Number(p.trim()); });
      return parts.length === 2 && !isNaN(parts[0]) && !isNaN(parts[1]) && line.trim() ? parts : null;
    }).filter(Boolean);
  }

  function draw() {
    var list = points();
    shape.setAttribute("points", list.map(function (p) {
      return ((p[1] - b[0]) * stretch * scale).toFixed(1) + "," + ((b[3] - p[0]) * scale).toFixed(1);
    }).join(" "));
    if (status) status.textContent = list.length ? (map.dataset.countText || "").replace("%(n)s", list.length) : "";
  }

  map.addEventListener("click", function (event) {
    var point = map.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    var local = point.matrixTransform(map.getScreenCTM().inverse());
    var lat = b[3] - local.y / scale, lng = b[0] + local.x / (stretch * scale);
    box.value = (box.value.trim() ? box.value.trim() + "\n" : "") + lat.toFixed(6) + ", " + lng.toFixed(6);
    draw();
  });
  box.addEventListener("input", draw);
  if (clear) {
    clear.hidden = false;
    clear.addEventListener("click", function () { box.value = ""; draw(); });
  }
  draw();
})();
