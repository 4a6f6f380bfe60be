// Clientela: registers the service worker (/sw.js, scope "/") once the page has loaded, so on a slow
// network it never competes with the page's own files. Then it tells the worker which files this page
// already loaded (before the worker controlled it), so the next visit finds them without the network.
// A separate file, not an inline script: the Content-Security-Policy runs only the app's own files.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) {
    return;
  }
  function loadedFiles() {
    var entries = performance.getEntriesByType("resource");
    var urls = [location.href];
    for (var i = 0; i < entries.length; i++) {
      urls.push(entries[i].name);
    }
    return urls;
  }
  function keepLoaded(registration) {
    var worker = registration.active;
    if (!worker) {
      return;
    }
    var channel = new MessageChannel();
    channel.port1.onmessage = function () {
      window.__clientelaOfflineReady = true; // read by tests/e2e/test_pwa.py
    };
    worker.postMessage({ type: "keep-loaded", urls: loadedFiles() }, [channel.port2]);
  }
  function register() {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      // No service worker (private mode, a browser setting): the app works as a plain web page.
    });
    navigator.serviceWorker.ready.then(keepLoaded);
  }
  if (document.readyState === "complete") {
    register();
  } else {
    window.addEventListener("load", register);
  }
})();
