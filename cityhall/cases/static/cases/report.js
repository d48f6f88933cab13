// Enhances the report form: click the map to drop a pin, or use the device's location.
// Without JavaScript the address box does the same job.
(function () {
  "use strict";
  var form = document.querySelector("[data-report-form]");
  if (!form) return;
  var map = form.querySelector(".city-map");
  var lat = form.querySelector("#id_lat");
  var lng = form.querySelector("#id_lng");
  var status = form.querySelector("[data-pin-status]");
  var locate = form.querySelector("[data-use-location]");
  if (!lat || !lng) return;

  function setPoint(latitude, longitude, label) {
    lat.value = latitude.toFixed(6);
    lng.value = longitude.toFixed(6);
    if (map) {
      var b = map.dataset.bounds.split(",").map(Number);
      var stretch = Number(map.dataset.stretch), scale = Number(map.dataset.scale);
      var pin = map.querySelector(".map-pin");
      pin.setAttribute("cx", ((longitude - b[0]) * stretch * scale).toFixed(1));
      pin.setAttribute("cy", ((b[3] - latitude) * scale).toFixed(1));
    }
    if (status) status.textContent = label;
    document.body.dispatchEvent(new CustomEvent("pin-dropped"));
  }

  if (map) {
    map.addEventListener("click", function (event) {
      var point = map.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      var local = point.matrixTransform(map.getScreenCTM().inverse());
      var b = map.dataset.bounds.split(",").map(Number);
      var stretch = Number(map.dataset.stretch), scale = Number(map.dataset.scale);
      setPoint(b[3] - local.y / scale, b[0] + local.x / (stretch * scale), map.dataset.pinnedText || "Pin dropped.");
    });
  }
  if (locate && "geolocation" in navigator) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      if (status) status.textContent = locate.dataset.waitText || "…";
      navigator.geolocation.getCurrentPosition(
        function (pos) { setPoint(pos.coords.latitude, pos.coords.longitude, locate.dataset.doneText || "Location found."); },
        function () { if (status) status.textContent = locate.dataset.failText || "Location unavailable."; },
        { enableHighAccuracy: true, timeout: 10000 }
      );
    });
  }
})();
