// Lasso selection: after the toolbar's lasso button (or S), the next drag draws a free shape
// over the map and selects the nodes inside it (Shift-drag, Cytoscape's own, selects by box).
// Not Alt-drag: Linux desktops take that for moving windows. Runs in the browser only.
(function () {
  "use strict";

  // Whether (x, y) lies inside the polygon (even-odd rule).
  function inside(x, y, points) {
    var hit = false;
    for (var i = 0, j = points.length - 1; i < points.length; j = i++) {
      var a = points[i], b = points[j];
      if ((a.y > y) !== (b.y > y) && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) hit = !hit;
    }
    return hit;
  }

  // `onSelected` gets the nodes inside the shape.
  function attach(cy, onSelected) {
    var host = cy.container();
    var sheet = window.gbSheets.sheet(host, "lasso", 4);
    var points = null;
    var armed = false;

    function draw() {
      var g = sheet.clear();
      if (!points || points.length < 2) return;
      g.beginPath();
      g.moveTo(points[0].x, points[0].y);
      points.forEach(function (p) { g.lineTo(p.x, p.y); });
      g.closePath();
      g.fillStyle = "rgba(30,136,229,0.12)";
      g.strokeStyle = "#1e88e5";
      g.setLineDash([4, 3]);
      g.fill();
      g.stroke();
    }

    host.addEventListener("mousedown", function (e) {
      if (!armed || e.button !== 0) return;
      armed = false;
      host.style.cursor = "";
      e.preventDefault();
      e.stopPropagation();
      cy.userPanningEnabled(false);
      cy.boxSelectionEnabled(false);
      points = [window.gbSheets.local(host, e)];
    }, true);

    window.addEventListener("mousemove", function (e) {
      if (!points) return;
      points.push(window.gbSheets.local(host, e));
      draw();
    }, true);

    window.addEventListener("mouseup", function () {
      if (!points) return;
      var shape = points;
      points = null;
      draw();
      cy.userPanningEnabled(true);
      cy.boxSelectionEnabled(true);
      if (shape.length < 3) return;
      onSelected(cy.nodes().not(".hidden").not("[?group]").filter(function (n) {
        var p = n.renderedPosition();
        return inside(p.x, p.y, shape);
      }));
    }, true);

    // The next drag draws a lasso.
    return {
      arm: function () {
        armed = true;
        host.style.cursor = "crosshair";
      },
    };
  }

  window.gbLasso = { attach: attach, inside: inside };
})();
