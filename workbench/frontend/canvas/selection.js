// The map's selection: a set of node ids, drawn as rings on a sheet over the canvas.
// Cytoscape's own select state is switched off (`autounselectify`): changing it restyles every
// node it touches and dirties each one's links (style keys, texture caches, a new collection of
// connected edges a node), 60–90 ms to invert a selection on a 1,000-node map; here it is a set
// and one sheet redrawn. A tap, a Shift-drag box and the lasso select through this.
(function () {
  "use strict";

  var RING = "#1e88e5";

  function attach(cy, onChange) {
    var chosen = {}; // node id → true
    var host = cy.container();
    var sheet = window.gbSheets.sheet(host, "selection", 3);
    var queued = false;

    // The chosen nodes still on the map (a removed node leaves the set).
    function nodes() {
      var out = [];
      Object.keys(chosen).forEach(function (id) {
        var n = cy.getElementById(id);
        if (n.empty() || n.removed()) delete chosen[id];
        else out.push(n);
      });
      return cy.collection(out);
    }

    function draw() {
      queued = false;
      var g = sheet.clear();
      var w = host.clientWidth, h = host.clientHeight;
      var ids = Object.keys(chosen);
      if (!ids.length) return;
      var zoom = cy.zoom(), pan = cy.pan();
      g.strokeStyle = RING;
      g.globalAlpha = 0.9;
      g.lineWidth = Math.max(1.5, 3 * zoom);
      g.beginPath();
      ids.forEach(function (id) {
        var n = cy.getElementById(id);
        if (n.empty() || n.removed() || n.hasClass("hidden")) return;
        var p = n.position();
        var x = p.x * zoom + pan.x, y = p.y * zoom + pan.y;
        var r = (Math.max(n.outerWidth(), n.outerHeight()) / 2 + 2.5) * zoom;
        if (x + r < 0 || y + r < 0 || x - r > w || y - r > h) return;
        g.moveTo(x + r, y);
        g.arc(x, y, r, 0, 2 * Math.PI);
      });
      g.stroke();
    }

    // Drawn on the next frame, once however many changes come before it.
    function redraw() {
      if (queued) return;
      queued = true;
      requestAnimationFrame(draw);
    }

    function changed() {
      redraw();
      onChange();
    }

    function ids(eles) {
      var out = [];
      (eles || []).forEach(function (n) { if (n.isNode()) out.push(n.id()); });
      return out;
    }

    var api = {
      nodes: nodes,
      has: function (n) { return !!chosen[n.id()]; },
      add: function (eles) { ids(eles).forEach(function (id) { chosen[id] = true; }); changed(); },
      remove: function (eles) { ids(eles).forEach(function (id) { delete chosen[id]; }); changed(); },
      only: function (eles) { chosen = {}; ids(eles).forEach(function (id) { chosen[id] = true; }); changed(); },
      clear: function () { chosen = {}; changed(); },
      toggle: function (n) {
        if (chosen[n.id()]) delete chosen[n.id()]; else chosen[n.id()] = true;
        changed();
      },
      redraw: redraw,
    };

    // Cytoscape's gestures, with its own selection off: a tap toggles a node (the map selects
    // additively, as before), a tap on the background clears all but with Shift, Ctrl or Cmd
    // held, and a Shift-drag box adds what it covers.
    cy.on("tap", "node", function (e) { api.toggle(e.target); });
    cy.on("tap", function (e) {
      var key = e.originalEvent || {};
      if (e.target === cy && !key.shiftKey && !key.ctrlKey && !key.metaKey && Object.keys(chosen).length) api.clear();
    });
    var boxed = [];
    cy.on("box", "node", function (e) {
      if (!boxed.length) setTimeout(function () { api.add(cy.collection(boxed)); boxed = []; }, 0);
      boxed.push(e.target);
    });
    // Dragging a chosen node drags the others chosen with it, as Cytoscape's selection did.
    var dragging = null;
    cy.on("grab", "node", function (e) {
      var grabbed = e.target;
      dragging = null;
      if (!chosen[grabbed.id()]) return;
      var p = grabbed.position();
      dragging = { node: grabbed, x: p.x, y: p.y,
                   others: nodes().not(grabbed).filter(function (n) { return !n.locked(); }) };
    });
    cy.on("drag", "node", function (e) {
      if (!dragging || e.target !== dragging.node) return;
      var p = dragging.node.position(), dx = p.x - dragging.x, dy = p.y - dragging.y;
      dragging.x = p.x;
      dragging.y = p.y;
      if (dx || dy) dragging.others.shift({ x: dx, y: dy });
    });
    cy.on("free", "node", function () { dragging = null; });
    // Every frame Cytoscape draws (a pan, a zoom, a move) moves the rings with it.
    cy.on("render", function () { if (Object.keys(chosen).length) draw(); });
    return api;
  }

  window.gbSelection = { attach: attach };
})();
