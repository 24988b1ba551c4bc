// The map's time bar: a histogram of when its dated nodes and links happened (data `t`, ms
// since 1970, sent by Python), a window set by two sliders, and playback that slides the
// window along. What lies outside the window fades; undated elements stay as they are.
// It all runs here, with no page rerun.
(function () {
  "use strict";

  var BINS = 40;
  var STEPS = 1000;   // slider resolution
  var TICK = 250;     // ms between playback steps

  function attach(cy, words) {
    var bar = document.getElementById("timebar");
    var from = document.getElementById("time-from");
    var to = document.getElementById("time-to");
    var play = document.getElementById("time-play");
    var all = document.getElementById("time-all");
    var label = document.getElementById("time-label");
    var bins = document.getElementById("time-bins");
    var span = null;   // [first, last] of the dated elements
    var timer = null;

    play.textContent = words.time_play;
    all.textContent = words.time_all;

    function dated() { return cy.elements("[t]"); }

    function at(step) { return span[0] + (span[1] - span[0]) * (Number(step) / STEPS); }

    function day(ms) { return new Date(ms).toISOString().slice(0, 10); }

    function apply() {
      if (!span) return;
      var lo = at(Math.min(from.value, to.value)), hi = at(Math.max(from.value, to.value));
      var faded = 0;
      cy.batch(function () {
        dated().forEach(function (el) {
          // A seen-at link spans first to last passage (t0…t): it shows if that span meets the window.
          var first = el.data("t0") !== undefined ? el.data("t0") : el.data("t");
          var out = el.data("t") < lo || first > hi;
          if (out !== el.hasClass("faded")) el.toggleClass("faded", out);
          if (out) faded += 1;
        });
      });
      label.textContent = day(lo) + " — " + day(hi);
      document.body.dataset.faded = String(faded);
      document.body.dataset.window = day(lo) + "/" + day(hi);
    }

    function histogram() {
      bins.replaceChildren();
      var counts = new Array(BINS).fill(0);
      dated().forEach(function (el) {
        var i = span[1] > span[0] ? Math.floor(((el.data("t") - span[0]) / (span[1] - span[0])) * (BINS - 1)) : 0;
        counts[i] += 1;
      });
      var most = Math.max.apply(null, counts) || 1;
      counts.forEach(function (count) {
        var column = document.createElement("span");
        column.style.height = Math.round((28 * count) / most) + "px";
        bins.appendChild(column);
      });
    }

    function stop() {
      clearInterval(timer);
      timer = null;
      play.textContent = words.time_play;
    }

    // Playback keeps the window's width (a tenth of the span when it is all of it) and moves
    // it from the start to the end, then stops.
    play.addEventListener("click", function () {
      if (timer) { stop(); return; }
      var width = Math.abs(to.value - from.value);
      width = width >= STEPS ? STEPS / 10 : Math.max(width, STEPS / 50);
      from.value = 0;
      to.value = width;
      apply();
      play.textContent = words.time_pause;
      timer = setInterval(function () {
        var next = Math.min(Number(to.value) + STEPS / 50, STEPS);
        from.value = next - width;
        to.value = next;
        apply();
        if (next >= STEPS) stop();
      }, TICK);
    });
    all.addEventListener("click", function () {
      stop();
      from.value = 0;
      to.value = STEPS;
      apply();
    });
    from.addEventListener("input", function () { stop(); apply(); });
    to.addEventListener("input", function () { stop(); apply(); });

    // After Python redraws: the span and the histogram follow what is on the map, the window
    // stays where the analyst put it.
    function refresh() {
      var times = dated().map(function (el) { return el.data("t"); });
      if (!times.length) {
        span = null;
        bar.style.display = "none";
        document.body.dataset.faded = "0";
        return;
      }
      span = [Math.min.apply(null, times), Math.max.apply(null, times)];
      bar.style.display = "flex";
      histogram();
      apply();
    }

    from.max = to.max = String(STEPS);
    from.value = 0;
    to.value = STEPS;
    refresh();
    return { refresh: refresh };
  }

  window.gbTimebar = { attach: attach };
})();
