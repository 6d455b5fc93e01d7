/* Camera scanning in every browser: the browser's own BarcodeDetector where it reads QR codes
   (Chrome on Android, Safari 17+ with the flag, ...), else the zxing-wasm decoder shipped with the
   app (static/vendor/zxing-wasm, cached by the field app's service worker, so it works offline).
   Phones give the camera only to secure pages (HTTPS, or http://localhost / 127.0.0.1).

   FieldCamera.available()  -> true when this page may ask for the camera
   FieldCamera.start(video, onCode, onError) -> stop(): reads frames until a code is found. */
(function () {
  "use strict";
  var script = document.currentScript;
  var wasmUrl = script && script.dataset.wasm;
  var prepared = false;

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(null);
    var getFormats = window.BarcodeDetector.getSupportedFormats
      ? window.BarcodeDetector.getSupportedFormats() : Promise.resolve(["qr_code"]);
    return getFormats.then(function (formats) {
      if (formats.indexOf("qr_code") < 0) return null;
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return function (video) {
        return detector.detect(video).then(function (found) { return found.length ? found[0].rawValue : null; });
      };
    }).catch(function () { return null; });
  }

  function shippedDecoder() {
    var zxing = window.ZXingWASM;
    if (!zxing) return null;
    if (!prepared) {
      zxing.prepareZXingModule({
        overrides: { locateFile: function (path, prefix) { return path.slice(-5) === ".wasm" && wasmUrl ? wasmUrl : prefix + path; } }
      });
      prepared = true;
    }
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return function (video) {
      var width = video.videoWidth, height = video.videoHeight;
      if (!width || !height) return Promise.resolve(null);
      canvas.width = width; canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      var image = context.getImageData(0, 0, width, height);
      return zxing.readBarcodes(image, { formats: ["QRCode"], tryHarder: true, maxNumberOfSymbols: 1 }).then(function (found) {
        var valid = found.filter(function (r) { return r.isValid && r.text; });
        return valid.length ? valid[0].text : null;
      });
    };
  }

  function available() {
    return !!(window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  function start(video, onCode, onError) {
    var stream = null, stopped = false;
    function stop() {
      stopped = true;
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      video.hidden = true;
    }
    nativeDetector().then(function (native) {
      var decode = native || shippedDecoder();
      if (!decode) throw new Error("no QR decoder");
      video.dataset.decoder = native ? "native" : "zxing-wasm";
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        return video.play().then(function () {
          function look() {
            if (stopped) return;
            decode(video).then(function (text) {
              if (stopped) return;
              if (text) { stop(); onCode(text); } else { setTimeout(look, 150); }
            }).catch(function () { setTimeout(look, 300); });
          }
          look();
        });
      });
    }).catch(function (error) { stop(); if (onError) onError(error); });
    return stop;
  }

  window.FieldCamera = { available: available, start: start };
})();
