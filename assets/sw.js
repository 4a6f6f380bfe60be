// Clientela's service worker (registered by /pwa.js, scope "/"): a second visit loads the app without
// the network, and a page that cannot load says so (offline.html) instead of the browser's error.
//
// What is cached, and why none of it belongs to a user: Reflex pages are static shells prerendered at
// build time, the same bytes for everyone; customers, names and every other datum come over the
// websocket (/_event), which a service worker never sees. So the caches hold only
//   - the build's hashed files (/assets/*: a name never changes content): cache first;
//   - a few fixed files (STATIC below): network first, except when the page names its copy by a
//     version (/pwa.js?v=<hash>, components/pwa.versioned): that copy, cache first;
//   - page shells, network first, keyed by their path WITHOUT the query (list searches live in the query)
//     and only for paths made of plain words (/customers, /settings/users): a path with an id or a
//     token (/customers/123, /register/<token>) is never stored, not even as a key.
// Never touched (no respondWith, the browser goes straight to the network): other methods than GET,
// other origins (map tiles), and Reflex's and our backend paths (NETWORK_ONLY: the websocket, the API
// with file downloads and exports, uploads, health). Signing out therefore leaves nothing of the user
// in Cache Storage: there was nothing of his to leave. tests/e2e/test_pwa.py checks the keys.
"use strict";

// Change VERSION when this file's caching rules change: activate then drops the old caches.
const VERSION = "v2";
const PREFIX = "clientela-";
const STATIC_CACHE = `${PREFIX}static-${VERSION}`;
const PAGES_CACHE = `${PREFIX}pages-${VERSION}`;
const OFFLINE_URL = "/offline.html";
const STATIC = [
  OFFLINE_URL,
  "/offline.js",
  "/pwa.js",
  "/session_marker.js",
  "/styles.css",
  "/favicon.ico",
  "/manifest.webmanifest",
  "/icons/icon-192.png",
];
const NETWORK_ONLY = /^\/(?:_event|api|_upload|ping|_health|_all_routes|auth-codespace)(?:\/|$)/;
// Static routes are short lowercase words; ids are numbers and tokens long random strings.
const WORD = /^[a-z][a-z_-]{0,23}$/;
// Old builds' hashed files are dropped beyond this many (a deploy adds a new set).
const MAX_ASSETS = 400;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then((cache) => cache.addAll(STATIC.map((path) => new Request(path, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  const current = new Set([STATIC_CACHE, PAGES_CACHE]);
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith(PREFIX) && !current.has(name))
            .map((name) => caches.delete(name)),
        ),
      )
      // Navigation preload: the page's request starts while this worker boots, instead of after it
      // (on a phone's CPU the boot is a good part of a repeat visit).
      .then(() => self.registration.navigationPreload && self.registration.navigationPreload.enable())
      .then(() => self.clients.claim()),
  );
});

// The page key of a navigation, or null when the path may carry data (an id, a token).
function pageKey(url) {
  const path = url.pathname.replace(/\/+$/, "") || "/";
  if (path !== "/" && !path.slice(1).split("/").every((segment) => WORD.test(segment))) {
    return null;
  }
  return url.origin + path;
}

function cacheable(response) {
  return response && response.status === 200 && response.type === "basic";
}

async function trim(cache) {
  const keys = await cache.keys();
  const assets = keys.filter((request) => new URL(request.url).pathname.startsWith("/assets/"));
  await Promise.all(assets.slice(0, Math.max(0, assets.length - MAX_ASSETS)).map((key) => cache.delete(key)));
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: STATIC_CACHE, ignoreSearch: true, ignoreVary: true });
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (cacheable(response)) {
    const cache = await caches.open(STATIC_CACHE);
    await cache.put(new URL(request.url).pathname, response.clone());
    trim(cache);
  }
  return response;
}

// A fixed file the page names by its version (?v=<hash>): that exact copy never changes. Kept under its
// full address; the other versions of the same file are dropped when a new one is stored.
function isVersioned(url) {
  return STATIC.includes(url.pathname) && url.searchParams.has("v");
}
async function versionFirst(request) {
  const url = new URL(request.url);
  const key = url.pathname + url.search;
  const cached = await caches.match(key, { cacheName: STATIC_CACHE, ignoreVary: true });
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (cacheable(response)) {
    await keepVersion(key, response.clone());
  }
  return response;
}
async function keepVersion(key, response) {
  const cache = await caches.open(STATIC_CACHE);
  const path = key.split("?")[0];
  for (const old of await cache.keys()) {
    const oldUrl = new URL(old.url);
    if (oldUrl.pathname === path && oldUrl.search) {
      await cache.delete(old);
    }
  }
  await cache.put(key, response);
}
async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (cacheable(response)) {
      const cache = await caches.open(STATIC_CACHE);
      await cache.put(new URL(request.url).pathname, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await caches.match(new URL(request.url).pathname, { cacheName: STATIC_CACHE, ignoreVary: true });
    if (cached) {
      return cached;
    }
    throw error;
  }
}

function isPage(response) {
  return cacheable(response) && !response.redirected &&
    (response.headers.get("content-type") || "").startsWith("text/html");
}

async function navigate(event, url) {
  const key = pageKey(url);
  try {
    const response = (await event.preloadResponse) || (await fetch(event.request));
    if (key && isPage(response)) {
      const cache = await caches.open(PAGES_CACHE);
      await cache.put(key, response.clone());
    }
    return response;
  } catch (error) {
    const cached = key && (await caches.match(key, { cacheName: PAGES_CACHE, ignoreVary: true }));
    return cached || (await caches.match(OFFLINE_URL, { cacheName: STATIC_CACHE, ignoreVary: true })) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("range")) {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NETWORK_ONLY.test(url.pathname)) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event, url));
  } else if (url.pathname.startsWith("/assets/")) {
    event.respondWith(cacheFirst(request));
  } else if (isVersioned(url)) {
    event.respondWith(versionFirst(request));
  } else if (STATIC.includes(url.pathname) || url.pathname.startsWith("/icons/")) {
    event.respondWith(networkFirst(request));
  }
});

// The page that registered us loaded its shell and scripts before we controlled it: /pwa.js sends
// their addresses, and we keep those that the rules above would have kept.
async function keepLoaded(urls) {
  const pages = await caches.open(PAGES_CACHE);
  for (const address of urls) {
    let url;
    try {
      url = new URL(address);
    } catch (error) {
      continue;
    }
    if (url.origin !== self.location.origin || NETWORK_ONLY.test(url.pathname)) {
      continue;
    }
    try {
      // The same rules as a request the worker sees: kept unless already there.
      if (url.pathname.startsWith("/assets/")) {
        await cacheFirst(new Request(url.origin + url.pathname));
      } else if (isVersioned(url)) {
        await versionFirst(new Request(url.href));
      } else if (address === urls[0]) {
        // Its own path (the server redirects /login to /login/), without the query.
        const key = pageKey(url);
        const response = key && (await fetch(url.origin + url.pathname));
        if (response && isPage(response)) {
          await pages.put(key, response);
        }
      }
    } catch (error) {
      // Offline again, or the file is gone: the next visit caches it.
    }
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep-loaded" && Array.isArray(data.urls)) {
    const reply = event.ports && event.ports[0];
    event.waitUntil(keepLoaded(data.urls.slice(0, 500)).then(() => reply && reply.postMessage("kept")));
  }
});
