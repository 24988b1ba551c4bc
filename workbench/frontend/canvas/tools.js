// Map actions that need no database — select neighbours, same type, invert, hide, show all,
// group and ungroup, re-layout, fit, undo and redo — run here in the browser, with no round
// trip to Python and no page rerun. A toolbar and keyboard shortcuts call them; "?" shows
// the shortcuts. What the map must keep (positions, what is hidden, the groups) goes back to
// Python with the next event, or once the analyst pauses (`onChanged`, canvas.js); Python
// owns it across reruns, page switches and saved investigations.
(function () {
  "use strict";

  var HISTORY = 50; // undo steps kept

  // key → [action, shown key]; the words come from Python (zh or en).
  var SHORTCUTS = [
    ["n", "neighbours", "N"], ["t", "same_type", "T"], ["i", "invert", "I"],
    ["h", "hide", "H"], ["H", "show_all", "Shift+H"], ["g", "group", "G"], ["G", "ungroup", "Shift+G"],
    ["s", "lasso", "S"], ["e", "expand_selection", "E"], ["Delete", "remove_selection", "Del"],
    ["l", "relayout", "L"], ["f", "fit", "F"],
    ["z", "undo", "Ctrl+Z"], ["y", "redo", "Ctrl+Y"], ["Escape", "deselect", "Esc"], ["?", "help", "?"],
  ];
  var BUTTONS = ["lasso", "neighbours", "same_type", "invert", "hide", "show_all", "group", "ungroup", "expand_selection",
                 "remove_selection", "relayout", "fit", "undo", "redo", "help"];
  var LAYOUTS = ["force", "hierarchy", "radial", "grid", "geographic"];

  // Empties `box` and gives it a bold first line, set as text.
  function heading(box, text) {
    box.replaceChildren();
    var title = document.createElement("div");
    title.className = "title";
    title.textContent = text;
    box.appendChild(title);
  }

  // `selection`: the map's selected nodes (selection.js); `boxes`: its groups (groups.js).
  function attach(cy, words, onChanged, sendEach, selection, boxes) {
    var hidden = {};      // node id → true; Python's classes say what was hidden before this frame
    cy.nodes(".hidden").forEach(function (n) { hidden[n.id()] = true; });
    var groups = boxes.all;
    var setGroups = boxes.set;
    var undoStack = [];
    var redoStack = [];
    var groupCount = 0;
    var removed = {};     // node id → its element and links as JSON, as they were when removed (for undo)
    var lasso = null; // set by canvas.js once the lasso is attached

    function snapshot() {
      var pos = {};
      members().forEach(function (n) { var p = n.position(); pos[n.id()] = { x: p.x, y: p.y }; });
      return { positions: pos, hidden: Object.assign({}, hidden), groups: groups() };
    }

    // Takes nodes off the map at once (Python, told by one event each, forgets them next).
    function removeNodes(chosen) {
      if (!chosen.length) return;
      remember();
      var ids = chosen.map(function (n) {
        removed[n.id()] = n.union(n.connectedEdges()).jsons();
        return n.id();
      });
      chosen.remove();
      sendEach("remove", ids);
    }

    // Undo and redo of a removal: nodes the state holds that were removed come back (links
    // whose other end is on the map with them), and removed nodes it lacks go again. Python
    // is told either way. Nodes never removed are left alone: an expansion is not undone here.
    function membership(state) {
      var back = Object.keys(state.positions).filter(function (id) { return removed[id] && cy.$id(id).empty(); });
      var again = members().filter(function (n) { return removed[n.id()] && !state.positions[n.id()]; });
      if (back.length) {
        var nodes = [], links = [];
        back.forEach(function (id) {
          removed[id].forEach(function (json) { (json.group === "nodes" ? nodes : links).push(json); });
        });
        cy.add(nodes.map(function (json) {
          var copy = Object.assign({}, json, { selected: false, data: Object.assign({}, json.data) });
          delete copy.data.parent; // groups are set from the state next (groups.js)
          return copy;
        }));
        var added = {};
        cy.add(links.filter(function (json) {
          var fresh = !added[json.data.id] && cy.$id(json.data.id).empty() &&
                      cy.$id(json.data.source).nonempty() && cy.$id(json.data.target).nonempty();
          added[json.data.id] = true;
          return fresh;
        }));
        sendEach("restore", back);
      }
      if (again.length) {
        var ids = again.map(function (n) { return n.id(); });
        again.remove();
        sendEach("remove", ids);
      }
    }

    function restore(state) {
      membership(state);
      setGroups(state.groups);
      cy.batch(function () {
        members().forEach(function (n) {
          var p = state.positions[n.id()];
          if (!p || n.locked()) return;
          var q = n.position();
          if (p.x !== q.x || p.y !== q.y) n.position(p); // only what moved: each move redraws its links
        });
        hidden = Object.assign({}, state.hidden);
        applyHidden();
      });
      onChanged();
      mark();
    }

    // Entities on the map: every node but a layout's passing group boxes (groups.js).
    function members() { return cy.nodes().not("[?group]"); }

    function remember() {
      undoStack.push(snapshot());
      if (undoStack.length > HISTORY) undoStack.shift();
      redoStack = [];
    }

    function applyHidden() {
      // Only nodes whose state changes: a class change restyles the node.
      members().forEach(function (n) {
        var hide = !!hidden[n.id()];
        if (hide !== n.hasClass("hidden")) n.toggleClass("hidden", hide);
      });
      boxes.redraw(); // a box is drawn round its visible members, and not at all without any
    }

    function visibleNodes() { return members().not(".hidden"); }
    function selectedNodes() { return selection.nodes().not(".hidden").not("[?group]"); }

    function mark() {
      // For the tests and the benchmark: what the map holds after each action.
      document.body.dataset.hidden = String(Object.keys(hidden).length);
      document.body.dataset.selected = String(selectedNodes().length);
      document.body.dataset.undo = String(undoStack.length);
      document.body.dataset.redo = String(redoStack.length);
      document.body.dataset.groups = String(Object.keys(groups()).length);
    }

    function fit() {
      var shown = visibleNodes();
      if (!shown.length) return;
      window.gbLayouts.fit(cy, shown);
    }

    var actions = {
      neighbours: function () {
        selection.add(selectedNodes().neighborhood("node").not(".hidden"));
      },
      same_type: function () {
        var types = {};
        selectedNodes().forEach(function (n) { types[n.data("type")] = true; });
        selection.add(visibleNodes().filter(function (n) { return types[n.data("type")]; }));
      },
      invert: function () {
        selection.only(visibleNodes().filter(function (n) { return !selection.has(n); }));
      },
      hide: function () {
        var chosen = selectedNodes();
        if (!chosen.length) return;
        remember();
        chosen.forEach(function (n) { hidden[n.id()] = true; });
        selection.remove(chosen);
        applyHidden();
        onChanged();
      },
      show_all: function () {
        if (!Object.keys(hidden).length) return;
        remember();
        hidden = {};
        applyHidden();
        onChanged();
      },
      group: function () {
        var chosen = selectedNodes();
        if (chosen.length < 2) return;
        remember();
        groupCount += 1;
        var ids = chosen.map(function (n) { return n.id(); });
        var taken = {};
        ids.forEach(function (id) { taken[id] = true; });
        var wanted = groups();
        // A node is in one group at most: the new one takes it from any other.
        Object.keys(wanted).forEach(function (gid) {
          wanted[gid] = wanted[gid].filter(function (id) { return !taken[id]; });
        });
        wanted["group-" + Date.now().toString(36) + "-" + groupCount] = ids;
        setGroups(wanted);
        onChanged();
      },
      ungroup: function () {
        // The groups holding a selected node (a click in a box selects its members).
        var holding = boxes.holding(selectedNodes());
        if (!holding.length) return;
        remember();
        var wanted = groups();
        holding.forEach(function (gid) { delete wanted[gid]; });
        setGroups(wanted);
        onChanged();
      },
      relayout: function () {
        // Pinned nodes are locked, and a layout moves no locked node.
        remember();
        var shown = visibleNodes();
        var name = document.getElementById("layout-name").value;
        var options = window.gbLayouts.options(name, shown, selection.nodes());
        var lay = function (compounds) { shown.union(shown.edgesWith(shown)).union(compounds).layout(options).run(); };
        // Forces keep a group's members together when the group is a compound node for the run.
        if (options.name === "fcose") boxes.asCompounds(lay); else lay(cy.collection());
        window.gbPlacement.separate(shown);
        fit();
        onChanged();
      },
      lasso: function () { if (lasso) lasso.arm(); },
      // These need the database: each selected node goes to Python as its own menu event.
      expand_selection: function () {
        sendEach("expand", selectedNodes().map(function (n) { return n.id(); }));
      },
      remove_selection: function () { removeNodes(selectedNodes()); },
      fit: fit,
      undo: function () {
        if (!undoStack.length) return;
        redoStack.push(snapshot());
        restore(undoStack.pop());
      },
      redo: function () {
        if (!redoStack.length) return;
        undoStack.push(snapshot());
        restore(redoStack.pop());
      },
      deselect: function () { selection.clear(); },
      help: function () {
        var box = document.getElementById("help");
        box.style.display = box.style.display === "block" ? "none" : "block";
      },
    };

    function run(name) {
      actions[name]();
      mark();
    }

    // A drag is a change that undo takes back.
    cy.on("grab", "node", function () { remember(); mark(); });

    var bar = document.getElementById("tools");
    bar.replaceChildren();
    BUTTONS.forEach(function (name) {
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.action = name;
      button.textContent = words[name];
      button.title = words[name];
      button.addEventListener("click", function () { run(name); });
      bar.appendChild(button);
    });

    // The layout the re-layout command uses.
    var chooser = document.createElement("select");
    chooser.id = "layout-name";
    chooser.title = words.layout;
    LAYOUTS.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      option.textContent = words["layout_" + name];
      chooser.appendChild(option);
    });
    var relayoutButton = bar.querySelector("[data-action='relayout']");
    bar.insertBefore(chooser, relayoutButton);
    chooser.addEventListener("change", function () { run("relayout"); });

    var help = document.getElementById("help");
    heading(help, words.help_title);
    SHORTCUTS.forEach(function (item) {
      var row = document.createElement("div");
      var key = document.createElement("kbd");
      key.textContent = item[2];
      row.appendChild(key);
      row.appendChild(document.createTextNode(" " + words[item[1]]));
      help.appendChild(row);
    });
    var box = document.createElement("div");
    box.textContent = words.box_hint;
    help.appendChild(box);

    document.addEventListener("keydown", function (e) {
      if (e.target && /INPUT|TEXTAREA|SELECT/.test(e.target.tagName)) return;
      var key = e.key;
      if ((e.ctrlKey || e.metaKey) && (key === "z" || key === "Z")) key = e.shiftKey ? "y" : "z";
      else if ((e.ctrlKey || e.metaKey) && key === "y") key = "y";
      else if (e.ctrlKey || e.metaKey || e.altKey) return;
      else if (key === "z" || key === "y") return; // undo and redo need Ctrl
      var found = SHORTCUTS.filter(function (item) { return item[0] === key; })[0];
      if (!found) return;
      e.preventDefault();
      run(found[1]);
    });

    mark();
    return {
      run: run,
      // After Python redraws (element classes are reset then), hidden nodes stay hidden;
      // ids no longer on the map are forgotten.
      reapply: function () {
        Object.keys(hidden).forEach(function (id) { if (cy.$id(id).empty()) delete hidden[id]; });
        applyHidden();
        mark();
      },
      // What Python keeps of the view: hidden node ids and the groups' members.
      view: function () { return { hidden: Object.keys(hidden), groups: groups() }; },
      remove: removeNodes,
      // Python drew these anew (an expansion brought them back): undo no longer owns them.
      forgetRemoved: function (ids) { ids.forEach(function (id) { delete removed[id]; }); },
      // A view an earlier frame of this map had not sent (places, hidden nodes, groups).
      adopt: restore,
      members: members,
      mark: mark,
      useLasso: function (l) { lasso = l; },
      // Before the analyst moves nodes (a group's drag): undo takes it back.
      remember: function () { remember(); mark(); },
      fit: fit,
    };
  }

  window.gbTools = { attach: attach, heading: heading };
})();
