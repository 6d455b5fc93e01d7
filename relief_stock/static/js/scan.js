/* The scan box: keep the focus there so a scanner's keystrokes always land in it, select what is
   there so the next scan replaces it, and scan with the phone camera in any browser on a secure page
   (camera.js: the native BarcodeDetector or the zxing-wasm decoder shipped with the app; nothing is
   fetched from outside). Without this script the box still works (the scanner presses Enter). */
(function () {
  "use strict";
  var box = document.getElementById("scan-code");
  var form = document.getElementById("scan-form");
  if (!box || !form) return;
  box.focus();
  box.select();
  // A scan that lands while the keeper looks elsewhere on the page still goes to the box.
  document.addEventListener("keydown", function (event) {
    var tag = (document.activeElement && document.activeElement.tagName) || "";
    if (tag !== "INPUT" && tag !== "TEXTAREA" && tag !== "SELECT" && event.key.length === 1 && !event.ctrlKey && !event.metaKey) {
      box.value = "";
      box.focus();
    }
  });

  // The camera: the browser's own QR reader or the decoder shipped with the app (js/field/camera.js).
  var camera = document.getElementById("camera");
  var start = document.getElementById("camera-start");
  var video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  camera.hidden = false;
  if (!window.FieldCamera || !window.FieldCamera.available()) {
    start.hidden = true;
    status.textContent = camera.dataset.needsHttps;
    return;
  }
  start.addEventListener("click", function () {
    start.hidden = true;
    window.FieldCamera.start(video, function (text) {
      box.value = text;
      form.submit();
    }, function (error) {
      start.hidden = false;
      status.textContent = String((error && (error.name || error.message)) || error);
    });
  });
})();
