// The workbench's relationship map: draws what Python sends, sends back one event per gesture.
// Speaks Streamlit's component protocol directly (postMessage), so it needs no build step and
// loads nothing but the two files beside it. Data is only ever set as text (textContent,
// Cytoscape labels), never as HTML.
(function () {
  "use strict";

  var cy = null;
  var args = null;
  var counter = 0;
  var menuNode = null;
  var tools = null;
  var selection = null;
  var groups = null;
  var timebar = null;
  var selectToken = null;
  var BIG = 400; // above this many nodes, draw a cached texture while panning and zooming

  function post(type, extra) {
    var message = Object.assign({ isStreamlitMessage: true, type: type }, extra || {});
    window.parent.postMessage(message, "*");
  }

  function nextSeq() {
    // Increases across iframe reloads too, so Python can ignore events it has seen.
    counter += 1;
    return Date.now() * 1000 + (counter % 1000);
  }

  function positions() {
    var out = {};
    if (!cy) return out;
    cy.nodes().not("[?group]").forEach(function (n) {
      var p = n.position();
      out[n.id()] = [Math.round(p.x), Math.round(p.y)];
    });
    return out;
  }

  var pending = new window.gbPending(); // events Python has not yet handled (pending.js)

  function send(kind, nodeId) { sendEach(kind, [nodeId || null]); }

  // Several events in one value (expand or remove a selection): Python handles them in order.
  // Every value carries the view too.
  function sendEach(kind, ids) {
    if (!args || !args.interactive || !ids.length) return;
    clearTimeout(viewTimer);
    var changed = viewChanged || !!pending.view;
    viewChanged = false;
    ids.forEach(function (id) { pending.add({ seq: nextSeq(), kind: kind, node: id }); });
    sendPending(changed);
  }

  function currentView() {
    return { positions: positions(), view: tools ? tools.view() : null };
  }

  // `hold`: the value carries a view Python may not have yet, kept in the tab until
  // acknowledged (a value with only Python's own view needs no copy there).
  function sendPending(hold) {
    var now = currentView();
    post("streamlit:setComponentValue", {
      value: { events: pending.events.slice(), positions: now.positions, view: now.view },
      dataType: "json",
    });
    var last = pending.events[pending.events.length - 1];
    if (hold) pending.holdView(now, last ? last.seq : 0);
  }

  // What only the canvas changed (places, hidden nodes, groups) goes to Python once
  // the analyst pauses, not after each gesture: each value reruns the map's part of the page,
  // and a rerun in the middle of a burst of gestures slows every one of them. A gesture that
  // needs Python carries the view with it, and a frame replaced before it was sent leaves it
  // to the next (pending.js). Where Python's new nodes were placed waits a little longer: the
  // page has just rerun for them.
  var PAUSE = 400;
  var PLACED = 600;
  var viewTimer = null;
  var viewChanged = false;
  var leaving = false;

  function viewChangedLater(after) {
    if (!args || !args.interactive) return;
    viewChanged = true;
    clearTimeout(viewTimer);
    viewTimer = setTimeout(sendView, typeof after === "number" ? after : PAUSE);
  }

  function sendView() {
    clearTimeout(viewTimer);
    if (viewChanged && !leaving) send("layout", null);
  }

  // A link to another page pressed: no value may follow from this frame, or Streamlit would
  // rerun the map's fragment after the switch and cut the next page's run short. What is
  // unsent is kept for the map's next frame; if the page stays after all, sending resumes.
  function onLeaving() {
    leaving = true;
    clearTimeout(viewTimer);
    keepViewOnLeaving();
    setTimeout(function () { leaving = false; if (viewChanged) viewChangedLater(); }, 3000);
  }

  function keepViewOnLeaving() {
    if (viewChanged && args && args.interactive) pending.holdView(currentView(), 0);
  }

  // A view the frame before this one had not sent: put the map back as it was, and send it.
  function adoptKeptView() {
    var kept = pending.keptState();
    if (!kept) return;
    tools.adopt(kept);
    viewChanged = true;
    sendView();
  }

  function drawLegend() {
    var box = document.getElementById("legend");
    var present = {};
    cy.nodes().forEach(function (n) { present[n.data("type")] = true; });
    var items = args.legend.filter(function (item) { return present[item.label]; });
    var rules = args.rules || [];
    box.style.display = items.length || rules.length ? "block" : "none";
    window.gbTools.heading(box, args.legend_title);
    // Styling rules first (what a size or a colour means), then the labels on the map.
    rules.concat(items.map(function (item) { return { color: item.color, text: item.name }; }))
      .forEach(function (item) {
        var row = document.createElement("div");
        row.className = "row";
        if (item.color || item.ring) {
          var swatch = document.createElement("span");
          swatch.className = "swatch";
          swatch.style.background = item.color || "#fff";
          if (item.ring) swatch.style.border = "3px solid " + item.ring;
          row.appendChild(swatch);
        }
        var name = document.createElement("span");
        name.textContent = item.text;
        row.appendChild(name);
        box.appendChild(row);
      });
  }

  function fitView() {
    window.gbLayouts.fit(cy, cy.elements());
  }

  function markDrawn() {
    // For tests and the benchmark: which version is on screen, and how big it is.
    requestAnimationFrame(function () {
      document.body.dataset.drawnVersion = String(args.version);
      document.body.dataset.nodes = String(cy.nodes().length);
      document.body.dataset.edges = String(cy.edges().length);
    });
  }

  function applyLocks() {
    cy.nodes().forEach(function (n) {
      if (n.hasClass("pinned")) n.lock(); else n.unlock();
    });
  }

  function create() {
    var count = args.elements.filter(function (e) { return !e.data.source; }).length;
    cy = cytoscape({
      container: document.getElementById("cy"),
      elements: args.elements,
      style: window.gbStyles.stylesheet(args.legend),
      layout: { name: "preset" },
      wheelSensitivity: 0.3,
      minZoom: 0.05,
      maxZoom: 4,
      textureOnViewport: count > BIG,
      pixelRatio: count > BIG ? 1 : "auto",
      boxSelectionEnabled: true, // shift-drag draws a selection box
      selectionType: "additive",
      autounselectify: true, // the selection is selection.js's
    });
    selection = window.gbSelection.attach(cy, markSoon);
    groups = window.gbGroups.attach(cy, args.tools);
    groups.set(args.groups);
    // For the browser tests and the benchmark.
    window.gbCanvas = { cy: cy, selection: selection,
                        select: function (ids) { selection.only(cy.collection(ids.map(function (id) { return cy.$id(id); }))); },
                        selected: function () { return selection.nodes().map(function (n) { return n.id(); }); } };
    var withPos = args.elements.filter(function (e) { return !e.data.source && e.position; }).length;
    if (withPos === 0 && count > 0) {
      window.gbLayouts.firstLayout(cy);
      viewChangedLater(PLACED);
    } else if (withPos < count) {
      var ids = args.elements.filter(function (e) { return !e.data.source && !e.position; })
                             .map(function (e) { return e.data.id; });
      window.gbPlacement.placeNew(cy, ids);
      viewChangedLater(PLACED);
    }
    bindEvents();
    applyLocks();
    tools = window.gbTools.attach(cy, args.tools, viewChangedLater, sendEach, selection, groups);
    if (args.interactive) adoptKeptView();
    timebar = window.gbTimebar.attach(cy, args.tools);
    if (count) fitView(); // once the time bar is up: the fit keeps clear of it
    tools.useLasso(window.gbLasso.attach(cy, selection.add));
    groups.gestures(selection, tools.remember, viewChangedLater); // after the lasso: an armed lasso has the press
    window.gbCanvas.tools = tools; // for the browser tests and the benchmark
    window.gbCanvas.act = act;
    applySelection();
    drawLegend();
    markDrawn();
  }

  // Nodes Python asks to select ("select the top N"), once per request.
  function applySelection() {
    var wanted = args.select;
    if (!wanted || wanted.token === selectToken) return;
    selectToken = wanted.token;
    selection.only(cy.collection(wanted.ids.map(function (id) { return cy.$id(id); })).not(".hidden"));
  }

  // Selecting a thousand nodes (a box, a lasso) is one change: counted once, on the next frame.
  var markQueued = false;
  function markSoon() {
    if (markQueued || !tools) return;
    markQueued = true;
    requestAnimationFrame(function () { markQueued = false; tools.mark(); });
  }

  function update() {
    var wanted = {};
    args.elements.forEach(function (e) { wanted[e.data.id] = e; });
    // A removal or an undone removal Python has not heard of yet: a drawing older than the
    // gesture must not take it back (the node would vanish or return until Python catches up).
    var ahead = {};
    pending.events.forEach(function (e) { if (e.kind === "restore" || e.kind === "remove") ahead[e.node] = e.kind; });
    var mine = function (id, kind) { return ahead[id] === kind; };
    cy.batch(function () {
      cy.elements().forEach(function (el) {
        if (wanted[el.id()] || el.removed()) return;
        if (el.isNode() ? mine(el.id(), "restore") : mine(el.data("source"), "restore") || mine(el.data("target"), "restore")) return;
        el.remove();
      });
    });
    var added = [];
    var addedNodes = [];
    args.elements.forEach(function (e) {
      var el = cy.getElementById(e.data.id);
      if (el.nonempty()) {
        // A styling rule turned off leaves its data behind unless removed.
        ["size", "ccolor"].forEach(function (name) {
          if (el.data(name) !== undefined && e.data[name] === undefined) el.removeData(name);
        });
        // Setting data or classes restyles the element even when nothing changed: on a large
        // map, a rerun that changes nothing would cost a full restyle and redraw.
        if (changed(el, e.data)) el.data(e.data);
        if (!sameClasses(el, e.classes || "")) el.classes(e.classes || "");
      } else if (!mine(e.data.id, "remove") && !mine(e.data.source, "remove") && !mine(e.data.target, "remove")) {
        added.push(e);
        if (!e.data.source) addedNodes.push(e);
      }
    });
    if (added.length) {
      // Nodes, then links: a link's ends exist first.
      var nodesFirst = added.filter(function (e) { return !e.data.source; })
                            .concat(added.filter(function (e) { return e.data.source; }));
      cy.add(nodesFirst);
      tools.forgetRemoved(addedNodes.map(function (e) { return e.data.id; }));
      var toPlace = addedNodes.filter(function (e) { return !e.position; }).map(function (e) { return e.data.id; });
      if (toPlace.length) {
        if (!window.gbPlacement.placeNew(cy, toPlace)) {
          window.gbLayouts.firstLayout(cy);
        }
        viewChangedLater(PLACED);
      }
    }
    applyLocks();
    groups.set(args.groups); // Python's, as it draws them
    tools.reapply();
    timebar.refresh();
    if (addedNodes.length) fitView(); // once the time bar is up: the fit keeps clear of it
    applySelection();
    drawLegend();
    markDrawn();
  }

  function changed(el, data) {
    var now = el.data();
    return Object.keys(data).some(function (key) {
      var a = now[key], b = data[key];
      return Array.isArray(b) ? !Array.isArray(a) || a.join() !== b.join() : a !== b;
    });
  }

  // Classes Python sets (tools' own, such as "hidden", are kept apart by tools.reapply).
  function sameClasses(el, wanted) {
    var have = el.classes().filter(function (c) { return c !== "hidden" && c !== "faded"; }).sort().join(" ");
    var want = wanted.split(/\s+/).filter(function (c) { return c && c !== "hidden" && c !== "faded"; }).sort().join(" ");
    return have === want;
  }

  function hideMenu() {
    document.getElementById("menu").style.display = "none";
    menuNode = null;
  }

  function showMenu(node, x, y) {
    var menu = document.getElementById("menu");
    menu.replaceChildren();
    menuNode = node.id();
    var keys = ["expand"];
    if (node.hasClass("more")) keys.push("more");
    keys.push(node.hasClass("pinned") ? "unpin" : "pin", "remove", "path_start", "path_end", "profile");
    keys.forEach(function (key) {
      var item = document.createElement("div");
      item.setAttribute("role", "menuitem");
      item.dataset.action = key;
      item.textContent = args.menu[key];
      item.addEventListener("click", function () {
        var id = menuNode;
        hideMenu();
        act(key, id);
      });
      menu.appendChild(item);
    });
    menu.style.left = Math.min(x, window.innerWidth - 160) + "px";
    menu.style.top = Math.min(y, window.innerHeight - 240) + "px";
    menu.style.display = "block";
  }

  // A menu choice. Pin, unpin and remove show at once, before Python (which keeps them) has
  // answered; the rest wait for the database.
  function act(key, id) {
    var node = cy.$id(id);
    if (key === "remove") { tools.remove(node); return; } // undo can bring it back
    if (key === "pin" || key === "unpin") {
      node.toggleClass("pinned", key === "pin");
      if (key === "pin") node.lock(); else node.unlock();
    }
    send(key, id);
  }

  function showEdgeMenu(edge, x, y) {
    var menu = document.getElementById("menu");
    menu.replaceChildren();
    menuNode = edge.id();
    var item = document.createElement("div");
    item.setAttribute("role", "menuitem");
    item.dataset.action = "passages";
    item.textContent = args.menu.passages;
    item.addEventListener("click", function () {
      var id = menuNode;
      hideMenu();
      send("passages", id);
    });
    menu.appendChild(item);
    menu.style.left = Math.min(x, window.innerWidth - 160) + "px";
    menu.style.top = Math.min(y, window.innerHeight - 60) + "px";
    menu.style.display = "block";
  }

  function showInfo(node) {
    var info = document.getElementById("info");
    // A node's tip starts with its whole caption; a link's caption is its type or its count.
    info.textContent = node.isNode() ? node.data("tip") : node.data("label") + " — " + node.data("tip");
    info.style.display = "block";
  }

  function bindEvents() {
    cy.on("dbltap", "node", function (e) { hideMenu(); send("expand", e.target.id()); });
    cy.on("cxttap", "node", function (e) {
      var p = e.renderedPosition;
      showMenu(e.target, p.x, p.y + cy.container().offsetTop);
    });
    cy.on("cxttap", "edge[?aggregate]", function (e) {
      var p = e.renderedPosition;
      showEdgeMenu(e.target, p.x, p.y + cy.container().offsetTop);
    });
    cy.on("tap", "node", function (e) { hideMenu(); showInfo(e.target); });
    cy.on("tap", "edge[?aggregate]", function (e) { hideMenu(); showInfo(e.target); });
    cy.on("tap", function (e) {
      if (e.target === cy) {
        hideMenu();
        document.getElementById("info").style.display = "none";
      }
    });
    cy.on("dragfree", "node", viewChangedLater);
  }

  // Python draws a group as a box element and its members' `parent`; on the canvas a group is
  // groups.js's, and no element has a parent.
  function takeGroups(elements) {
    var wanted = {}, out = [];
    elements.forEach(function (e) {
      if (e.data.group) { wanted[e.data.id] = wanted[e.data.id] || []; return; }
      if (e.data.parent) {
        (wanted[e.data.parent] = wanted[e.data.parent] || []).push(e.data.id);
        var data = Object.assign({}, e.data);
        delete data.parent;
        e = Object.assign({}, e, { data: data });
      }
      out.push(e);
    });
    return { elements: out, groups: wanted };
  }

  function render(newArgs) {
    var split = takeGroups(newArgs.elements);
    args = Object.assign({}, newArgs, { elements: split.elements, groups: split.groups });
    var first = !cy;
    if (first && args.interactive) pending.open(args.map);
    if (args.interactive) pending.acknowledge(args.ack);
    post("streamlit:setFrameHeight", { height: args.height });
    if (first) create(); else update();
    // A frame that replaced one whose gestures Python had not yet seen sends them again.
    if (first && pending.events.length) sendPending(!!pending.view);
  }

  pending.watchLeaving(onLeaving, keepViewOnLeaving);

  window.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type === "streamlit:render") render(data.args);
  });
  post("streamlit:componentReady", { apiVersion: 1 });
})();
