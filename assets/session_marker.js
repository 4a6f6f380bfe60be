// Clientela: every event this page sends over the websocket carries the current value of the
// crm_marker cookie (router_data.crm_marker). The server checks it against the session cookie of the
// socket's handshake (crm_app/states/browser_session.py): cookies cleared while the page stays open
// end the session at the next event. Loaded before Reflex's modules; Reflex calls
// window.__reflex_otel.onEventSend(event) just before sending each event (utils/state.js), and any
// hook installed there before us keeps running.
(function () {
  "use strict";
  function marker() {
    var match = document.cookie.match(/(?:^|;\s*)crm_marker=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  var previous = window.__reflex_otel || {};
  var previousSend = previous.onEventSend;
  window.__reflex_otel = Object.assign({}, previous, {
    onEventSend: function (event) {
      if (typeof previousSend === "function") {
        previousSend(event);
      }
      event.router_data = event.router_data || {};
      event.router_data.crm_marker = marker();
    },
  });
})();
