// The map's gestures Python has not yet handled. Streamlit keeps only a component's latest
// value, so each value carries every event not yet acknowledged (args.ack). They are kept in
// the tab's session storage too, under the map's id: a rerun or a page switch that replaces
// the canvas's frame must not lose a gesture, and the new frame sends them again. So is the
// view (places, hidden nodes, groups) while Python has not yet acknowledged a value that
// carried it: the canvas sends it only once the analyst pauses.
(function () {
  "use strict";

  var KEPT = "goldenbell-canvas-pending";

  function Pending() {
    this.map = null;
    this.events = [];
    this.view = null;     // {positions, view} Python may not have yet
    this.viewSeq = 0;     // the last event that carried it (0: none has yet)
  }

  // The first render of a frame: the events kept for this map (another map's, say from
  // before a sign-in, are not this one's).
  Pending.prototype.open = function (map) {
    this.map = map;
    try {
      var stored = JSON.parse(window.sessionStorage.getItem(KEPT) || "null");
      var ours = stored && stored.map === map;
      this.events = ours && Array.isArray(stored.events) ? stored.events : [];
      this.view = ours && stored.view && typeof stored.view === "object" ? stored.view : null;
      this.viewSeq = 0; // a new frame sends it again
    } catch (e) {
      this.events = []; // storage refused (a private window) or spoilt: this frame's memory only
      this.view = null;
    }
  };

  // The view as it is now, not yet in a value Python acknowledged (`seq`: the event that
  // carries it, 0 when none does yet).
  Pending.prototype.holdView = function (view, seq) {
    this.view = view;
    this.viewSeq = seq || 0;
    this.keep();
  };

  // The kept view as the canvas's tools restore one: {positions: {id: {x, y}}, hidden: {id:
  // true}, groups}.
  Pending.prototype.keptState = function () {
    var kept = this.view;
    if (!kept || !kept.view) return null;
    var places = {}, hidden = {};
    Object.keys(kept.positions || {}).forEach(function (id) {
      var p = kept.positions[id];
      if (Array.isArray(p)) places[id] = { x: p[0], y: p[1] };
    });
    (kept.view.hidden || []).forEach(function (id) { hidden[id] = true; });
    return { positions: places, hidden: hidden, groups: kept.view.groups || {} };
  };

  // `onLeaving` when a link to another page of the workbench is pressed (the frame is about
  // to go), `onGone` when the frame goes.
  Pending.prototype.watchLeaving = function (onLeaving, onGone) {
    function press(e) {
      var link = e.target && e.target.closest ? e.target.closest("a[href]") : null;
      if (link && new URL(link.href).pathname !== window.parent.location.pathname) onLeaving();
    }
    try {
      window.parent.document.addEventListener("pointerdown", press, true);
    } catch (err) {
      return; // the page around the map is of another origin (never in the workbench): no guard
    }
    window.addEventListener("pagehide", function () {
      onGone();
      window.parent.document.removeEventListener("pointerdown", press, true);
    });
  };

  Pending.prototype.add = function (event) {
    this.events.push(event);
    this.keep();
  };

  // Python has handled every event up to `ack`.
  Pending.prototype.acknowledge = function (ack) {
    this.events = this.events.filter(function (e) { return e.seq > (ack || 0); });
    if (this.view && this.viewSeq && this.viewSeq <= (ack || 0)) this.view = null;
    this.keep();
  };

  Pending.prototype.keep = function () {
    try {
      window.sessionStorage.setItem(KEPT, JSON.stringify({ map: this.map, events: this.events, view: this.view }));
    } catch (e) {
      // As in open(): without storage, events live as long as this frame.
    }
  };

  window.gbPending = Pending;
})();
