// Where new nodes go on the map: on rings around a neighbour already placed, away from where
// that neighbour itself came from, each on the first spot where it covers no other node.
// Nothing already on the map moves.
(function () {
  "use strict";

  // The first spot on the ray from `c` at `angle`, `radius` out or further, where a node of
  // side `side` covers none of `boxes` (centres and sides); it then joins them.
  var GAP = 6;
  function freeSpot(c, angle, radius, side, boxes) {
    var x = c.x, y = c.y;
    for (var tries = 0; tries < 60; tries++) {
      var r = radius + tries * (side + GAP) * 0.5;
      x = c.x + r * Math.cos(angle);
      y = c.y + r * Math.sin(angle);
      var clear = boxes.every(function (b) {
        var apart = (b.s + side) / 2 + GAP;
        return Math.abs(b.x - x) >= apart || Math.abs(b.y - y) >= apart;
      });
      if (clear) break;
    }
    boxes.push({ x: x, y: y, s: side });
    return { x: x, y: y };
  }

  function side(node) { return Math.max(node.outerWidth(), node.outerHeight()); }

  // New nodes go on rings around a neighbour already placed, away from where that
  // neighbour itself came from; nothing already on the map moves.
  function placeNew(cy, newIds) {
    var pending = {};
    newIds.forEach(function (id) { pending[id] = true; });
    var frontier = cy.nodes().not("[?group]").filter(function (n) { return !pending[n.id()]; }).toArray();
    if (!frontier.length) return false;
    // Nothing already on the map moves, and nothing new is put on top of it (or of another new one).
    var boxes = frontier.map(function (n) { var p = n.position(); return { x: p.x, y: p.y, s: side(n) }; });
    var guard = 0;
    while (Object.keys(pending).length && frontier.length && guard < 10) {
      guard += 1;
      var next = [];
      frontier.forEach(function (parent) {
        var kids = parent.neighborhood("node").filter(function (n) { return pending[n.id()]; }).toArray();
        if (!kids.length) return;
        var p = parent.position();
        var placedNeighbours = parent.neighborhood("node").filter(function (n) { return !pending[n.id()]; });
        var away = 0, spread = 2 * Math.PI;
        if (placedNeighbours.length && guard > 1) {
          var q = placedNeighbours[0].position();
          away = Math.atan2(p.y - q.y, p.x - q.x);
          spread = Math.PI;
        }
        var radius = Math.max(90, kids.length * (spread > 4 ? 9 : 14));
        kids.forEach(function (kid, i) {
          var angle = spread > 4 ? (2 * Math.PI * i) / kids.length
                                 : away - spread / 2 + (spread * (i + 0.5)) / kids.length;
          kid.position(freeSpot(p, angle, radius, side(kid), boxes));
          delete pending[kid.id()];
          next.push(kid);
        });
      });
      frontier = next;
    }
    // Whatever is left is not linked to anything placed: a row under the map.
    var bb = cy.nodes().not("[?group]").boundingBox();
    var i = 0;
    Object.keys(pending).forEach(function (id) {
      cy.$id(id).position({ x: bb.x1 + 80 * (i % 20), y: bb.y2 + 80 + 80 * Math.floor(i / 20) });
      i += 1;
    });
    return true;
  }

  // After a layout: a node that covers one already kept moves out along the ray from the
  // layout's centre, to the first clear spot. Pinned nodes are kept first and never move.
  function separate(nodes) {
    if (!nodes.length) return;
    var bb = nodes.boundingBox(), c = { x: (bb.x1 + bb.x2) / 2, y: (bb.y1 + bb.y2) / 2 };
    var order = nodes.filter(":locked").toArray().concat(nodes.filter(":unlocked").toArray());
    var boxes = [];
    order.forEach(function (n) {
      var p = n.position(), s = side(n);
      var covers = boxes.some(function (b) {
        var apart = (b.s + s) / 2 + GAP / 2; // drawn with a pixel of edge each side, and rounded when kept
        return Math.abs(b.x - p.x) < apart && Math.abs(b.y - p.y) < apart;
      });
      if (!covers || n.locked()) { boxes.push({ x: p.x, y: p.y, s: s }); return; }
      var r = Math.hypot(p.x - c.x, p.y - c.y);
      n.position(freeSpot(c, r ? Math.atan2(p.y - c.y, p.x - c.x) : 0, r, s, boxes));
    });
  }

  window.gbPlacement = { placeNew: placeNew, separate: separate };
})();
