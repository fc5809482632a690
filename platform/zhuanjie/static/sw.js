/* The offline page instead of the browser's error. Only the offline page and the static
 * assets are ever cached: pages with personal data always come from the server (or not at
 * all). Served as /sw.js so that its scope is the whole site. */
"use strict";
var CACHE = "zhuanjie-offline-v1";
var SHELL = ["/offline", "/static/site.css", "/static/field.css", "/static/field.js",
             "/static/family.js"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(SHELL);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) {
      return caches.delete(k);
    }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return caches.match("/offline");
    }));
    return;
  }
  var url = new URL(request.url);
  if (request.method === "GET" && url.origin === self.location.origin &&
      url.pathname.indexOf("/static/") === 0) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () { return caches.match(request); }));
  }
});
