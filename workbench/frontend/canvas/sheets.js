// A sheet: a canvas the size of the map, over or under Cytoscape's own, that takes no pointer
// events; the selection's rings, the groups' boxes and the lasso are drawn on one each.
(function () {
  "use strict";

  function sheet(host, id, zIndex) {
    var canvas = document.createElement("canvas");
    canvas.id = id;
    canvas.style.cssText = "position:absolute;inset:0;pointer-events:none;z-index:" + zIndex;
    host.appendChild(canvas);
    return {
      // A cleared 2D context in CSS pixels, the sheet resized to the map first if it changed.
      clear: function () {
        var ratio = window.devicePixelRatio || 1;
        var w = host.clientWidth, h = host.clientHeight;
        if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
          canvas.width = Math.round(w * ratio);
          canvas.height = Math.round(h * ratio);
        }
        var g = canvas.getContext("2d");
        g.setTransform(ratio, 0, 0, ratio, 0, 0);
        g.clearRect(0, 0, w, h);
        return g;
      },
    };
  }

  // Where a mouse event is on the map, in rendered pixels.
  function local(host, e) {
    var r = host.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  window.gbSheets = { sheet: sheet, local: local };
})();
