// The map's gestures Python has not yet handled. Streamlit keeps only a component's latest
// value, so each value carries every event not yet acknowledged (args.ack). They are kept in
// the tab's session storage too, under the map's id: a rerun or a page switch that replaces
// the canvas's frame must not lose a gesture, and the new frame sends them again.
(function () {
  "use strict";

  var KEPT = "goldenbell-canvas-pending";

  function Pending() {
    this.map = null;
    this.events = [];
  }

  // The first render of a frame: the events kept for this map (another map's, say from
  // before a sign-in, are not this one's).
  Pending.prototype.open = function (map) {
    this.map = map;
    try {
      var stored = JSON.parse(window.sessionStorage.getItem(KEPT) || "null");
      this.events = stored && stored.map === map && Array.isArray(stored.events) ? stored.events : [];
    } catch (e) {
      this.events = []; // storage refused (a private window) or spoilt: this frame's memory only
    }
  };

  Pending.prototype.add = function (event) {
    this.events.push(event);
    this.keep();
  };

  // Python has handled every event up to `ack`.
  Pending.prototype.acknowledge = function (ack) {
    this.events = this.events.filter(function (e) { return e.seq > (ack || 0); });
    this.keep();
  };

  Pending.prototype.keep = function () {
    try {
      window.sessionStorage.setItem(KEPT, JSON.stringify({ map: this.map, events: this.events }));
    } catch (e) {
      // As in open(): without storage, events live as long as this frame.
    }
  };

  window.gbPending = Pending;
})();
