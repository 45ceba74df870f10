// Draws the charts whose Vega-Lite specs the server put in #chart-specs.
// Drawing only: every number arrives computed; nothing here derives one.
(function () {
  "use strict";
  var status = { rendered: 0, failed: [], expected: 0 };
  window.momentumCharts = status;
  var node = document.getElementById("chart-specs");
  if (!node) { document.body.dataset.charts = "ready"; return; }
  var charts = JSON.parse(node.textContent);
  status.expected = charts.length;
  // The first chart alone, then the rest together: started all at once, every chart
  // compiles before any draws, so the first would wait for all of them; one at a time,
  // the last would wait for every paint in between.
  function draw(c) {
    var target = document.getElementById("chart-" + c.id);
    return vegaEmbed(target, c.spec, { renderer: "svg", actions: false })
      .then(function (result) {
        status.rendered += 1;
        if (status.firstChartMs === undefined) { status.firstChartMs = performance.now(); }
        target.dataset.rendered = "true";
        var svg = target.querySelector("svg");
        if (svg) { svg.setAttribute("aria-hidden", "true"); svg.setAttribute("focusable", "false"); }
        return result;
      })
      .catch(function (error) {
        status.failed.push(c.id + ": " + error);
        target.textContent = "This chart could not be drawn: " + error;
        console.error(error);
      });
  }
  function paint() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }
  var first = charts.length ? draw(charts[0]).then(paint) : Promise.resolve();
  first.then(function () {
    return Promise.all(charts.slice(1).map(draw));
  }).then(function () {
    status.allChartsMs = performance.now();
    document.body.dataset.charts = "ready";
  });
})();
