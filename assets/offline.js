// The offline page (offline.html): its texts in the reader's language, and the way back. It asks the
// server (/ping, which the service worker never answers from a cache) every few seconds and when the
// browser says it is online again, and reloads the page the user wanted as soon as the server answers.
(function () {
  "use strict";
  var EVERY_MS = 5000;
  var texts = JSON.parse(document.getElementById("offline-texts").textContent);

  function cookieLanguage() {
    var match = document.cookie.match(/(?:^|;\s*)crm_lang=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function pick() {
    var wanted = [cookieLanguage()].concat(navigator.languages || [navigator.language || ""]);
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i] || "").slice(0, 2).toLowerCase();
      if (texts[code]) {
        return code;
      }
    }
    return "es";
  }

  var lang = pick();
  var t = texts[lang];
  var status = document.getElementById("offline-status");
  var button = document.getElementById("offline-retry");
  document.documentElement.lang = lang;
  document.title = t.title + " · Clientela";
  document.getElementById("offline-title").textContent = t.title;
  document.getElementById("offline-body").textContent = t.body;
  button.textContent = t.retry;

  var busy = false;
  function tryAgain(byHand) {
    if (busy) {
      return;
    }
    busy = true;
    if (byHand) {
      status.textContent = t.checking;
    }
    fetch("/ping", { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        location.reload();
      })
      .catch(function () {
        busy = false;
        if (byHand) {
          status.textContent = t.still;
        }
      });
  }

  button.addEventListener("click", function () {
    tryAgain(true);
  });
  window.addEventListener("online", function () {
    tryAgain(false);
  });
  setInterval(function () {
    tryAgain(false);
  }, EVERY_MS);
})();
