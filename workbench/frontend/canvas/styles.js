// The map's look: Cytoscape's stylesheet, a label's colour and shape from the legend Python
// sends, then the styling rules (a measure as size, a community as colour).
(function () {
  "use strict";

  function stylesheet(legend) {
    var styles = [
      { selector: "node", style: {
          "label": "data(label)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 3,
          "width": 26, "height": 26, "background-color": "#888", "color": "#222",
          "min-zoomed-font-size": 7, "text-wrap": "none",
          "border-width": 1, "border-color": "#fff" } },
      { selector: "edge", style: {
          "width": 1.2, "line-color": "#b0b0b0", "curve-style": "straight",
          "target-arrow-shape": "triangle", "target-arrow-color": "#b0b0b0", "arrow-scale": 0.7,
          // Level, on a light box, and shown from a smaller zoom: captions stay legible on a fitted map.
          "label": "data(label)", "font-size": 10, "color": "#555", "min-zoomed-font-size": 6,
          "text-background-color": "#fafafa", "text-background-opacity": 0.85, "text-background-padding": 1 } },
      { selector: "edge.seen", style: { "width": 2.5, "line-color": "#7f8c8d", "target-arrow-color": "#7f8c8d",
          "line-style": "solid", "font-size": 10, "color": "#333", "text-background-color": "#fff",
          "text-background-opacity": 0.8, "text-background-padding": 1 } },
      { selector: "edge.opened", style: { "line-style": "dashed", "width": 1.5 } },
      { selector: "node.pinned", style: { "border-width": 3, "border-color": "#333" } },
      { selector: "node.more", style: { "border-width": 2, "border-style": "dashed", "border-color": "#555" } },
      { selector: "node.path", style: { "border-width": 4, "border-color": "#f1c40f" } },
      { selector: "edge.path", style: { "width": 4, "line-color": "#f1c40f", "target-arrow-color": "#f1c40f" } },
      { selector: "node.start", style: { "border-width": 4, "border-color": "#27ae60" } },
      { selector: "node.end", style: { "border-width": 4, "border-color": "#8e44ad" } },
      { selector: "node.watched", style: { "border-width": 4, "border-color": "#d62728" } },
      { selector: "node.hidden", style: { "display": "none" } },
      { selector: ".faded", style: { "opacity": 0.12 } },
    ];
    legend.forEach(function (item) {
      styles.splice(2, 0, { selector: 'node[type = "' + item.label.replace(/"/g, "") + '"]',
                            style: { "background-color": item.color, "shape": item.shape } });
    });
    // Styling rules (a measure as size, a community as colour) override the label's look.
    styles.push({ selector: "node[size]", style: { "width": "data(size)", "height": "data(size)" } });
    styles.push({ selector: "node[ccolor]", style: { "background-color": "data(ccolor)" } });
    return styles;
  }

  window.gbStyles = { stylesheet: stylesheet };
})();
