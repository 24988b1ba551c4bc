// The map's layouts: force (fCoSE), hierarchy, radial, grid and geographic, as Cytoscape
// options for the nodes shown; and the first layout of nodes that have no place yet.
(function () {
  "use strict";

  var FORCED = 500; // the most nodes a first layout places by forces

  // Longitude and latitude (data `geo`) as model coordinates around their mean: east right, north up.
  function geoPositions(nodes) {
    var placed = nodes.filter(function (n) { return n.data("geo"); });
    if (!placed.length) return null;
    var lon0 = 0, lat0 = 0;
    placed.forEach(function (n) { lon0 += n.data("geo")[0]; lat0 += n.data("geo")[1]; });
    lon0 /= placed.length; lat0 /= placed.length;
    var k = 6000, shrink = Math.cos(lat0 * Math.PI / 180), out = {};
    placed.forEach(function (n) {
      out[n.id()] = { x: (n.data("geo")[0] - lon0) * k * shrink, y: -(n.data("geo")[1] - lat0) * k };
    });
    // The rest on a ring around the mean of their placed neighbours (or the centre).
    var rest = nodes.filter(function (n) { return !out[n.id()]; });
    rest.forEach(function (n, i) {
      var near = n.neighborhood("node").filter(function (m) { return out[m.id()]; });
      var cx = 0, cy = 0;
      near.forEach(function (m) { cx += out[m.id()].x; cy += out[m.id()].y; });
      if (near.length) { cx /= near.length; cy /= near.length; }
      var angle = (2 * Math.PI * i) / Math.max(rest.length, 1);
      out[n.id()] = { x: cx + 60 * Math.cos(angle), y: cy + 60 * Math.sin(angle) };
    });
    return out;
  }

  // `chosen`: the selected nodes, the roots of a hierarchy and the centre of a radial layout.
  function layoutOptions(name, shown, chosen) {
    var common = { animate: false, fit: false, padding: 30 };
    var roots = shown.intersection(chosen);
    var central = {};
    roots.forEach(function (n) { central[n.id()] = true; });
    if (name === "hierarchy") return Object.assign(common, { name: "breadthfirst", directed: false, spacingFactor: 1.2,
      roots: roots.length ? roots : shown.max(function (n) { return n.degree(); }).ele });
    if (name === "radial") return Object.assign(common, { name: "concentric", minNodeSpacing: 20,
      concentric: function (n) { return central[n.id()] ? 1000 : n.degree(); }, levelWidth: function () { return 2; } });
    if (name === "grid") return Object.assign(common, { name: "grid", avoidOverlap: true, avoidOverlapPadding: 12 });
    if (name === "geographic") {
      var pos = geoPositions(shown);
      if (pos) return Object.assign(common, { name: "preset", positions: function (n) { return pos[n.id()]; } });
    }
    return forceOptions(shown, false);
  }

  // Forces (fCoSE): from where the nodes stand, so a re-layout keeps the analyst's picture, or
  // from a spectral start when nothing is placed yet. Pinned nodes are fixed constraints.
  function forceOptions(shown, randomize) {
    var fixed = shown.filter(":locked").map(function (n) {
      var p = n.position();
      return { nodeId: n.id(), position: { x: p.x, y: p.y } };
    });
    return { name: "fcose", quality: "default", randomize: randomize, animate: false, fit: false, padding: 30,
             nodeRepulsion: 60000, idealEdgeLength: 120, nodeSeparation: 75, gravity: 0.1,
             fixedNodeConstraint: fixed.length ? fixed : undefined };
  }

  // The first layout of nodes with no positions: forces up to FORCED nodes, rings by degree past
  // that (fCoSE takes about half a second for 1,000 nodes on two cores).
  function firstLayout(cy) {
    var nodes = cy.nodes().not("[?group]");
    var options = nodes.length <= FORCED ? forceOptions(nodes, true)
      : { name: "concentric", animate: false, minNodeSpacing: 20 };
    cy.layout(options).run();
    window.gbPlacement.separate(nodes);
  }

  // Fit `eles` in view, clear of the time bar along the canvas's bottom (a node under it could
  // not be clicked), and never closer than 1.2: a handful of nodes would fill the canvas.
  function fit(cy, eles) {
    if (!eles.length) return;
    var bar = document.getElementById("timebar");
    var below = bar && bar.style.display === "flex" ? bar.offsetHeight + 8 : 0;
    var pad = 30, width = cy.width(), height = cy.height() - below;
    var bb = eles.boundingBox();
    var zoom = Math.min((width - 2 * pad) / Math.max(bb.w, 1), (height - 2 * pad) / Math.max(bb.h, 1), 1.2);
    zoom = Math.max(zoom, cy.minZoom());
    cy.viewport({ zoom: zoom, pan: { x: (width - zoom * (bb.x1 + bb.x2)) / 2, y: (height - zoom * (bb.y1 + bb.y2)) / 2 } });
  }

  window.gbLayouts = { options: layoutOptions, firstLayout: firstLayout, fit: fit };
})();
