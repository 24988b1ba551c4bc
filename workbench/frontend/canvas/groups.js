// Groups: boxes drawn on a sheet under the canvas around their members, not Cytoscape
// compound nodes. Moving a node into a compound node removes and re-adds it with every link
// (a busy place has hundreds) and re-sorts the whole map: grouping a place on a 1,000-node
// map took 230 / 400 ms (median / p95). Here a group is a list of node ids, and its box is
// drawn with each frame Cytoscape draws. A tap inside a box selects its members; a drag from
// inside a box (not from a node) moves them; the force layout still keeps a group together
// (`asCompounds`).
(function () {
  "use strict";

  var PAD = 12; // model units around the members, as a compound node's padding was

  function attach(cy, words) {
    var groups = {}; // group id → member node ids
    var host = cy.container();
    var sheet = window.gbSheets.sheet(host, "groups", -1);
    var queued = false;

    function present(ids) {
      var out = [];
      ids.forEach(function (id) {
        var n = cy.getElementById(id);
        if (n.nonempty() && !n.removed()) out.push(n);
      });
      return cy.collection(out);
    }

    // The groups with a member still on the map.
    function all() {
      var out = {};
      Object.keys(groups).forEach(function (gid) {
        var ids = present(groups[gid]).map(function (n) { return n.id(); });
        if (ids.length) out[gid] = ids;
      });
      return out;
    }

    function label(n) { return words.group_label.replace("{n}", String(n)); }

    // Each group's box around its visible members, in rendered coordinates.
    function boxes() {
      var zoom = cy.zoom(), pan = cy.pan(), out = [];
      Object.keys(groups).forEach(function (gid) {
        var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity, count = 0;
        present(groups[gid]).forEach(function (n) {
          count += 1;
          if (n.hasClass("hidden")) return;
          var p = n.position(), w = n.outerWidth() / 2, h = n.outerHeight() / 2;
          x1 = Math.min(x1, p.x - w); x2 = Math.max(x2, p.x + w);
          y1 = Math.min(y1, p.y - h); y2 = Math.max(y2, p.y + h);
        });
        if (x1 === Infinity) return;
        out.push({ id: gid, count: count,
                   x1: (x1 - PAD) * zoom + pan.x, y1: (y1 - PAD) * zoom + pan.y,
                   x2: (x2 + PAD) * zoom + pan.x, y2: (y2 + PAD) * zoom + pan.y });
      });
      return out;
    }

    function draw() {
      queued = false;
      var g = sheet.clear();
      var zoom = cy.zoom();
      boxes().forEach(function (b) {
        g.beginPath();
        if (g.roundRect) g.roundRect(b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1, 6 * Math.min(zoom, 1));
        else g.rect(b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1);
        g.fillStyle = "rgba(238,242,247,0.9)";
        g.fill();
        g.setLineDash([5, 3]);
        g.strokeStyle = "#7f8c8d";
        g.lineWidth = 1;
        g.stroke();
        g.setLineDash([]);
        var size = 11 * zoom;
        if (size < 6) return; // as Cytoscape hides a caption this small
        g.font = size + 'px "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';
        g.fillStyle = "#222";
        g.textAlign = "center";
        g.textBaseline = "bottom";
        g.fillText(label(b.count), (b.x1 + b.x2) / 2, b.y1 - 3 * zoom);
      });
    }

    function redraw() {
      if (queued) return;
      queued = true;
      requestAnimationFrame(draw);
    }

    // The group whose box holds a rendered point (the smallest, where boxes overlap).
    function at(x, y) {
      var found = null, area = Infinity;
      boxes().forEach(function (b) {
        var a = (b.x2 - b.x1) * (b.y2 - b.y1);
        if (x >= b.x1 && x <= b.x2 && y >= b.y1 && y <= b.y2 && a < area) { found = b.id; area = a; }
      });
      return found;
    }

    // A node under a rendered point: a press there is Cytoscape's (a tap, a node's drag).
    function onNode(x, y) {
      var zoom = cy.zoom(), pan = cy.pan();
      var mx = (x - pan.x) / zoom, my = (y - pan.y) / zoom;
      return cy.nodes(":visible").some(function (n) {
        var p = n.position();
        return Math.abs(p.x - mx) <= n.outerWidth() / 2 && Math.abs(p.y - my) <= n.outerHeight() / 2;
      });
    }

    var api = {
      all: all,
      set: function (wanted) {
        groups = {};
        Object.keys(wanted).forEach(function (gid) {
          if (wanted[gid].length) groups[gid] = wanted[gid].slice();
        });
        redraw();
      },
      // The groups holding any of `nodes`.
      holding: function (nodes) {
        var ids = {};
        nodes.forEach(function (n) { ids[n.id()] = true; });
        return Object.keys(groups).filter(function (gid) {
          return groups[gid].some(function (id) { return ids[id]; });
        });
      },
      members: function (gid) { return present(groups[gid] || []); },
      at: at,
      onNode: onNode,
      redraw: redraw,
      // For a force layout: each group as a compound node around its members for the layout's
      // run, then gone. The layout keeps a group's members together.
      asCompounds: function (run) {
        var made = [];
        var wanted = all();
        cy.batch(function () {
          Object.keys(wanted).forEach(function (gid) {
            var box = cy.add({ group: "nodes", data: { id: "layout-" + gid, group: true, label: "" } });
            made.push(box);
            present(wanted[gid]).move({ parent: box.id() });
          });
        });
        try {
          run(cy.collection(made));
        } finally {
          cy.batch(function () {
            made.forEach(function (box) { box.children().move({ parent: null }); box.remove(); });
          });
        }
      },
    };
    // A press inside a box, not on a node, is the group's: a click toggles its members in the
    // selection, a drag moves them (`before` once it starts, `after` once it ends). A press the
    // lasso took first (it prevents the default) is left alone.
    api.gestures = function (selection, before, after) {
      var press = null;
      host.addEventListener("mousedown", function (e) {
        if (e.button !== 0 || e.shiftKey || e.defaultPrevented || !Object.keys(groups).length) return;
        var p = window.gbSheets.local(host, e);
        var gid = at(p.x, p.y);
        if (!gid || onNode(p.x, p.y)) return;
        e.preventDefault();
        e.stopPropagation();
        press = { gid: gid, x: p.x, y: p.y, moved: false };
      }, true);
      window.addEventListener("mousemove", function (e) {
        if (!press) return;
        var p = window.gbSheets.local(host, e);
        var dx = p.x - press.x, dy = p.y - press.y;
        if (!press.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
        if (!press.moved) { press.moved = true; before(); }
        press.x = p.x;
        press.y = p.y;
        var zoom = cy.zoom();
        api.members(press.gid).filter(function (n) { return !n.locked() && !n.hasClass("hidden"); })
          .shift({ x: dx / zoom, y: dy / zoom });
      }, true);
      window.addEventListener("mouseup", function () {
        if (!press) return;
        var done = press;
        press = null;
        if (done.moved) { after(); return; }
        var members = api.members(done.gid).not(".hidden");
        if (members.every(function (n) { return selection.has(n); })) selection.remove(members);
        else selection.add(members);
      }, true);
    };

    // Every frame Cytoscape draws (a pan, a zoom, a move) moves the boxes with it.
    cy.on("render", function () { if (Object.keys(groups).length) draw(); });
    return api;
  }

  window.gbGroups = { attach: attach };
})();
