/* The field app's service worker (scope /field/): keeps the app shell and its assets on the phone.
   - The shell: network first (a fresh page with a fresh form token when the network is there), the
     cached copy when not. Reloading without a network therefore still opens the app and its queue.
   - Assets (scripts, styles, icons, the QR decoder): from the cache, fetched once per release.
   - The API is never cached here: the app keeps its depot data and its queue in IndexedDB itself,
     so an operation is never answered from a cache as if it had been done. */
"use strict";
var CACHE = "relief-field-{{ version }}";
var SHELL = {{ shell|tojson }};
var ASSETS = {{ assets|tojson }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(ASSETS).then(function () {
      return fetch(SHELL, { credentials: "same-origin" }).then(function (response) {
        if (response.ok && !response.redirected) return cache.put(SHELL, response);
      }).catch(function () {});
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("relief-field-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;
  if (request.mode === "navigate" && url.pathname.indexOf(SHELL) === 0) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(SHELL, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(SHELL).then(function (cached) {
        return cached || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
      });
    }));
    return;
  }
  if (ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(url.pathname).then(function (cached) {
      return cached || fetch(request);
    }));
  }
});
