/* The scan box: keep the focus there so a scanner's keystrokes always land in it, select what is
   there so the next scan replaces it, and, where the browser can read QR codes itself
   (BarcodeDetector, e.g. Chrome on Android), scan with the phone camera. No library, nothing
   fetched: depots are offline. Without this script the box still works (the scanner presses Enter). */
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

  var camera = document.getElementById("camera");
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !window.isSecureContext) return;
  var start = document.getElementById("camera-start");
  var video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  camera.hidden = false;
  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code", "code_128", "data_matrix"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      start.hidden = true;
      return video.play().then(function () {
        function look() {
          detector.detect(video).then(function (found) {
            if (found.length) {
              stream.getTracks().forEach(function (track) { track.stop(); });
              box.value = found[0].rawValue;
              form.submit();
            } else {
              window.requestAnimationFrame(look);
            }
          }).catch(function () { window.requestAnimationFrame(look); });
        }
        look();
      });
    }).catch(function (error) { status.textContent = String(error && error.name || error); });
  });
})();
